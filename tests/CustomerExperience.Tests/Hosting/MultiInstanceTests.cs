using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace CustomerExperience.Tests.Hosting;

/// <summary>
/// The app as identical instances on one Postgres: real processes behind a round-robin proxy on loopback. Forms,
/// sign-ins and emailed work cross instances; an instance that is stopped finishes its requests, one that is killed
/// loses nothing.
/// </summary>
public partial class MultiInstanceTests(ITestOutputHelper output)
{
    private static HttpClient Through(RoundRobinProxy proxy, CookieContainer cookies) =>
        // One request per connection: the proxy sends each to the next instance.
        new(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = proxy.BaseAddress,
            DefaultRequestHeaders = { ConnectionClose = true },
        };

    [Fact]
    public async Task Behind_a_round_robin_proxy_a_form_and_a_sign_in_cross_instances_and_each_due_reminder_is_delivered_once()
    {
        var database = await TestDatabases.CreateAsync("two_instances");
        var (clinic, recipients) = await SeedRemindersDueAsync(database, 30);
        string email;
        await using (var seeding = new AppFactory(database))
            email = await StaffSignIn.CreateAccountAsync(seeding.Services, StaffRoles.Manager);
        // Both start at once and both run jobs, on a database already migrated (by the seeding above).
        var jobs = JobsEverySecond();
        var started = await Task.WhenAll(AppProcess.StartAsync(database, jobs), AppProcess.StartAsync(database, jobs));
        await using var first = started[0];
        await using var second = started[1];
        await using var proxy = new RoundRobinProxy(first.Port, second.Port);
        using var client = Through(proxy, new CookieContainer());

        // The sign-in form from one instance, sent to the other; the staff cookie it sets opens pages on the first.
        var signedIn = await StaffSignIn.SignInAsync(client, email, StaffSignIn.Password);
        var staffPage = await client.GetAsync("/staff/kiosks");
        // The booking form, shown by one and sent to the other.
        var start = TestClinic.At(DateTime.UtcNow.Year + 1, 3, 2, 10);
        var details = $"/book/details?serviceId={clinic.ServiceId}&locationId={clinic.LocationId}&start={Uri.EscapeDataString(start)}";
        var token = await StaffSignIn.AntiforgeryTokenAsync(client, details);
        var booked = await client.PostAsync(details, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["serviceId"] = clinic.ServiceId.ToString(), ["locationId"] = clinic.LocationId.ToString(), ["start"] = start,
            ["fullName"] = "Two Instances", ["email"] = MailDev.UniqueAddress("two-instances"), ["phone"] = "(212) 555-0101",
            ["dateOfBirth"] = "1975-06-07", ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/staff", signedIn.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, staffPage.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        Assert.StartsWith("/manage/", booked.Headers.Location?.ToString());
        // GET sign-in, POST sign-in, staff page, GET booking form, POST booking form: every request on the other instance.
        Assert.Equal([0, 1, 0, 1, 0], proxy.Routed);

        // Meanwhile both job servers fire the reminder job every second: each due reminder goes out once.
        await Eventually.TrueAsync(async () => await CountAsync(database, "SELECT count(*) FROM cx.outbound_emails WHERE kind = 'reminder' AND status = 'Sent'") == recipients.Count,
            TimeSpan.FromSeconds(90), $"{recipients.Count} reminders sent");
        var delivered = await DeliveredAsync(recipients);

        Assert.All(recipients, r => Assert.Equal(1, delivered[r]));
        Assert.Equal(recipients.Count, await CountAsync(database, "SELECT count(*) FROM cx.outbound_emails WHERE kind = 'reminder'"));
        Assert.Equal(2, await CountAsync(database, "SELECT count(*) FROM hangfire.server"));
    }

    [Fact]
    public async Task An_instance_killed_mid_batch_loses_no_reminder_the_other_sends_each_once()
    {
        var database = await TestDatabases.CreateAsync("killed_mid_batch");
        // An SMTP server that accepts and never greets: the first instance's delivery hangs holding the batch's leases.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var (_, recipients) = await SeedRemindersDueAsync(database, 40);
        var first = await AppProcess.StartAsync(database, new(JobsEverySecond())
        {
            ["Smtp__Port"] = ((IPEndPoint)silent.LocalEndpoint).Port.ToString(),
            ["Smtp__TimeoutSeconds"] = "3",
            ["Outbox__Lease"] = "00:00:10",
        });
        await using (first)
        {
            await Eventually.TrueAsync(async () =>
                    await CountAsync(database, "SELECT count(*) FROM cx.outbound_emails WHERE kind = 'reminder' AND lease_until > now()") > 0,
                TimeSpan.FromSeconds(60), "the first instance to take reminders to send");
            await first.KillAsync();
        }
        silent.Stop();
        var leased = await CountAsync(database, "SELECT count(*) FROM cx.outbound_emails WHERE kind = 'reminder' AND lease_until > now()");
        var queued = await CountAsync(database, "SELECT count(*) FROM cx.outbound_emails WHERE kind = 'reminder'");

        await using var second = await AppProcess.StartAsync(database, JobsEverySecond());
        await Eventually.TrueAsync(async () => await CountAsync(database, "SELECT count(*) FROM cx.outbound_emails WHERE kind = 'reminder' AND status = 'Sent'") == recipients.Count,
            TimeSpan.FromSeconds(90), $"all {recipients.Count} reminders sent by the second instance");
        var delivered = await DeliveredAsync(recipients);

        output.WriteLine($"killed with {queued} reminders queued, {leased} of them taken by the killed instance");
        Assert.True(leased > 0);
        Assert.All(recipients, r => Assert.Equal(1, delivered[r]));
    }

    [Fact]
    public async Task A_stopped_instance_finishes_the_request_in_flight_then_exits()
    {
        var database = await TestDatabases.CreateAsync("graceful_stop");
        TestClinic clinic;
        await using (var seeding = new AppFactory(database))
            clinic = await TestClinic.SeedAsync(seeding.Services);
        await using var app = await AppProcess.StartAsync(database);
        var email = MailDev.UniqueAddress("graceful");
        var body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(clinic.Booking(TestClinic.At(DateTime.UtcNow.Year + 1, 3, 3, 10), email),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));

        // A booking whose body is still arriving when the stop comes: half sent, then SIGTERM.
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, app.Port);
        var stream = socket.GetStream();
        var head = $"POST /api/v1/bookings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
        await stream.FlushAsync();
        await app.TerminateAsync();
        // Stopping: it takes no new connection...
        await Eventually.TrueAsync(async () =>
        {
            using var probe = new TcpClient();
            try { await probe.ConnectAsync(IPAddress.Loopback, app.Port); return false; }
            catch (SocketException) { return true; }
        }, TimeSpan.FromSeconds(20), "the stopping instance to refuse new connections");
        // ...but finishes the one in flight.
        await stream.WriteAsync(body.AsMemory(body.Length / 2));
        var response = await new StreamReader(stream).ReadToEndAsync();
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.WaitForExitAsync(exited.Token);

        Assert.StartsWith("HTTP/1.1 201", response);
        Assert.Equal(0, app.ExitCode);
        Assert.Equal(1, await CountAsync(database, $"SELECT count(*) FROM cx.customers WHERE email = '{email}'"));
        Assert.Contains("Application is shutting down", app.Output);
    }

    /// <summary>Recurring jobs every second, so the tests wait for seconds, not minutes.</summary>
    private static Dictionary<string, string> JobsEverySecond() => new()
    {
        ["App__RunJobs"] = "true",
        ["Jobs__Reminders"] = "* * * * * *",
        ["Jobs__OutboxSweep"] = "* * * * * *",
    };

    /// <summary>
    /// <paramref name="count"/> visits starting in 100 minutes, booked ten days ago: each one's two-hour reminder is due
    /// now (the day and week ones are older, so only the nearest is sent). Returns the clinic and the customers' addresses.
    /// </summary>
    private static async Task<(TestClinic Clinic, List<string> Recipients)> SeedRemindersDueAsync(string database, int count)
    {
        TestClinic clinic;
        await using (var seeding = new AppFactory(database))
            clinic = await TestClinic.SeedAsync(seeding.Services, rooms: count);
        await using var db = TestDatabases.Context(database);
        var rooms = await db.Resources.Where(r => r.LocationId == clinic.LocationId).Select(r => r.Id).ToListAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(100);
        var booked = DateTimeOffset.UtcNow.AddDays(-10);
        var recipients = new List<string>();
        foreach (var room in rooms)
        {
            var customer = new Customer
            {
                Id = Guid.CreateVersion7(), FullName = "Reminded Customer", Email = MailDev.UniqueAddress("reminded"),
                DateOfBirth = new DateOnly(1970, 1, 1), CreatedAt = booked,
            };
            var visit = new Appointment
            {
                Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = clinic.ServiceId, LocationId = clinic.LocationId,
                ResourceId = room, CreatedAt = booked,
            };
            visit.Schedule(start, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
            db.Customers.Add(customer);
            db.Appointments.Add(visit);
            recipients.Add(customer.Email!);
        }
        await db.SaveChangesAsync();
        return (clinic, recipients);
    }

    private static async Task<Dictionary<string, int>> DeliveredAsync(List<string> recipients)
    {
        var delivered = new Dictionary<string, int>();
        foreach (var recipient in recipients)
            delivered[recipient] = (await MailDev.MessagesToAsync(recipient)).Count;
        return delivered;
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
