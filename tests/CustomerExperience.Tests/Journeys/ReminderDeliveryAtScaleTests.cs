using System.Net.Http.Json;
using System.Text.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Jobs;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Hangfire;

namespace CustomerExperience.Tests.Journeys;

/// <summary>
/// 1,000 due reminders through the real pipeline (queue → outbox → SMTP → maildev): two app instances on one
/// database send each exactly once (driven directly, and through their Hangfire servers), and a delivery
/// killed mid-batch loses nothing and repeats at most what was in flight.
/// </summary>
public class ReminderDeliveryAtScaleTests : IAsyncLifetime
{
    private const int Visits = 1000;
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly string run = Guid.NewGuid().ToString("N")[..10];
    private string connectionString = "";
    private readonly List<AppFactory> apps = [];

    public async Task InitializeAsync()
    {
        connectionString = await TestDatabases.CreateAsync(nameof(ReminderDeliveryAtScaleTests));
        var first = NewApp();
        var clinic = await TestClinic.SeedAsync(first.Services);
        await SeedDueVisitsAsync(clinic);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in apps) await app.DisposeAsync();
    }

    private AppFactory NewApp(int? smtpPort = null, TimeProvider? runJobsOn = null)
    {
        var app = new AppFactory(connectionString)
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton(runJobsOn ?? clock)),
        };
        if (smtpPort is { } port) app.With("Smtp:Port", port.ToString());
        if (runJobsOn is not null)
            app.With("App:RunJobs", "true").With("Jobs:SchedulePollingInterval", "00:00:01")
                .With("Jobs:Reminders", "* * * * * *").With("Jobs:OutboxSweep", "* * * * * *");
        apps.Add(app);
        _ = app.Server;
        return app;
    }

    /// <summary>One room per visit, all starting ten hours from now: each is due its one-day reminder.</summary>
    private async Task SeedDueVisitsAsync(TestClinic clinic)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO cx.resources (id, location_id, name, kind, is_active)
            SELECT gen_random_uuid(), @location, 'Bulk ' || n, 'Room', true FROM generate_series(1, @count) n;
            INSERT INTO cx.customers (id, full_name, email, normalized_email, preferred_time_of_day, email_opt_out, created_at)
            SELECT gen_random_uuid(), 'Bulk ' || n, 'bulk' || n || '-' || @run || '@scale.test', 'bulk' || n || '-' || @run || '@scale.test', 'Any', false, @created
            FROM generate_series(1, @count) n;
            INSERT INTO cx.appointments (id, customer_id, service_id, location_id, resource_id, start, "end", blocked_until,
                                         status, source, calendar_sequence, created_at)
            SELECT gen_random_uuid(), c.id, @service, @location, r.id, @start, @start + interval '30 minutes', @start + interval '40 minutes',
                   'Booked', 'Online', 0, @created
            FROM (SELECT id, row_number() OVER (ORDER BY id) n FROM cx.customers WHERE email LIKE '%' || @run || '@scale.test') c
            JOIN (SELECT id, row_number() OVER (ORDER BY id) n FROM cx.resources WHERE name LIKE 'Bulk %') r ON r.n = c.n;
            """, connection);
        command.Parameters.AddWithValue("location", clinic.LocationId);
        command.Parameters.AddWithValue("service", clinic.ServiceId);
        command.Parameters.AddWithValue("count", Visits);
        command.Parameters.AddWithValue("run", run);
        command.Parameters.AddWithValue("start", clock.GetUtcNow().AddHours(10));
        command.Parameters.AddWithValue("created", clock.GetUtcNow().AddDays(-10));
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> QueueAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppointmentReminders>().QueueDueAsync(default);
    }

    private async Task<int> CountAsync(string status)
    {
        var wanted = Enum.Parse<CustomerExperience.Web.Domain.OutboundEmailStatus>(status);
        await using var db = TestDatabases.Context(connectionString);
        return await db.OutboundEmails.CountAsync(e => e.Kind == "reminder" && e.Status == wanted);
    }

    /// <summary>How many messages each of this test's recipients received, read from maildev.</summary>
    private async Task<Dictionary<string, int>> ReceivedAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(TestSettings.MailDevUrl) };
        var all = await http.GetFromJsonAsync<JsonElement[]>("/email") ?? [];
        return all.SelectMany(m => m.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()!))
            .Where(a => a.EndsWith($"-{run}@scale.test", StringComparison.Ordinal))
            .GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
    }

    [Fact]
    public async Task Two_instances_queue_and_send_a_thousand_reminders_with_no_duplicate()
    {
        var (a, b) = (apps[0], NewApp());

        var queued = await Task.WhenAll(QueueAsync(a), QueueAsync(b), QueueAsync(a), QueueAsync(b));
        Assert.Equal(Visits, queued.Sum());

        async Task<int> DrainAsync(AppFactory app)
        {
            var sent = 0;
            var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
            while (await dispatcher.DeliverBatchAsync(default) is { Claimed: > 0 } batch)
                sent += batch.Sent;
            return sent;
        }
        var sentBy = await Task.WhenAll(DrainAsync(a), DrainAsync(b));

        Assert.Equal(Visits, sentBy.Sum());
        Assert.All(sentBy, s => Assert.True(s > 0, "both instances should have shared the work"));
        Assert.Equal(Visits, await CountAsync("Sent"));
        await Eventually.TrueAsync(async () => (await ReceivedAsync()).Count == Visits, TimeSpan.FromSeconds(30), "every reminder in maildev");
        Assert.All(await ReceivedAsync(), r => Assert.Equal(1, r.Value));
    }

    [Fact]
    public async Task Two_job_servers_on_one_database_process_a_thousand_reminders_with_no_duplicate()
    {
        // Nothing here queues or sends: the Hangfire servers of both instances run the real recurring jobs. Their
        // schedule runs on the real clock, so the app's clock runs in real time from the test's "now".
        var running = new RunningClock(clock.GetUtcNow());
        var nodes = new[] { NewApp(runJobsOn: running), NewApp(runJobsOn: running) };

        await Eventually.TrueAsync(async () => await CountAsync("Sent") == Visits, TimeSpan.FromSeconds(120), "every reminder Sent by the jobs");
        await Eventually.TrueAsync(async () => (await ReceivedAsync()).Count == Visits, TimeSpan.FromSeconds(30), "every reminder in maildev");

        Assert.All(await ReceivedAsync(), r => Assert.Equal(1, r.Value));
        await using var db = TestDatabases.Context(connectionString);
        Assert.Equal(Visits, await db.OutboundEmails.CountAsync(e => e.Kind == "reminder"));
        Assert.Equal(Visits, await CountAsync("Sent"));
        var monitoring = nodes[0].Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(2, monitoring.Servers().Count);
        var succeeded = monitoring.SucceededJobs(0, 1000).Select(j => j.Value.Job?.Type).ToList();
        Assert.Contains(typeof(QueueRemindersJob), succeeded);
        Assert.Contains(typeof(DeliverOutboxJob), succeeded);
        Assert.Equal(0, monitoring.FailedCount());
    }

    private sealed class RunningClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long started = System.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => start + System.GetElapsedTime(started);
    }

    [Fact]
    public async Task A_delivery_killed_mid_batch_loses_nothing_and_repeats_at_most_what_was_in_flight()
    {
        var first = apps[0];
        Assert.Equal(Visits, await QueueAsync(first));

        // Kill the first instance's delivery once some messages are out: its in-flight sends are cut off and
        // its claimed rows stay leased, as if the process had died.
        using var kill = new CancellationTokenSource();
        var delivering = first.Services.GetRequiredService<OutboxDispatcher>().DeliverDueAsync(TimeSpan.FromMinutes(5), kill.Token);
        await Eventually.TrueAsync(async () => await CountAsync("Sent") >= 150, TimeSpan.FromSeconds(60), "150 reminders sent before the kill");
        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delivering);
        var sentBeforeKill = await CountAsync("Sent");
        var leased = await CountAsync("Sending");
        await first.DisposeAsync();
        apps.Remove(first);

        // A restarted instance takes over: pending rows at once, the dead one's leased rows once the lease runs out.
        var second = NewApp();
        var dispatcher = second.Services.GetRequiredService<OutboxDispatcher>();
        while (await dispatcher.DeliverBatchAsync(default) is { Claimed: > 0 }) { }
        Assert.Equal(leased, await CountAsync("Sending"));
        clock.Advance(TimeSpan.FromMinutes(3));
        while (await dispatcher.DeliverBatchAsync(default) is { Claimed: > 0 }) { }

        Assert.True(sentBeforeKill < Visits, "the kill came too late to test anything");
        Assert.Equal(Visits, await CountAsync("Sent"));
        await Eventually.TrueAsync(async () => (await ReceivedAsync()).Count == Visits, TimeSpan.FromSeconds(30), "every reminder in maildev");
        var received = await ReceivedAsync();
        var duplicates = received.Values.Sum(n => n - 1);
        // Only the sends in flight at the kill can arrive twice: at most one per parallel SMTP connection.
        Assert.InRange(duplicates, 0, Math.Min(leased, new SmtpOptions().MaxParallel));
        Assert.All(received, r => Assert.InRange(r.Value, 1, 2));
    }

    [Fact]
    public async Task With_smtp_down_for_a_while_every_reminder_is_retried_with_backoff_and_delivered_once_it_returns()
    {
        Assert.Equal(Visits, await QueueAsync(apps[0]));
        await using var smtp = new TcpProxy(TestSettings.SmtpHost, TestSettings.SmtpPort); // not started: SMTP is down
        var dispatcher = NewApp(smtp.Port).Services.GetRequiredService<OutboxDispatcher>();

        async Task<(int Sent, int Retried)> DrainAsync()
        {
            int sent = 0, retried = 0;
            while (await dispatcher.DeliverBatchAsync(default) is { Claimed: > 0 } batch)
                (sent, retried) = (sent + batch.Sent, retried + batch.Retried);
            return (sent, retried);
        }

        Assert.Equal((0, Visits), await DrainAsync());   // attempt 1 fails; next try in 30 s
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal((0, 0), await DrainAsync());        // not before the backoff
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((0, Visits), await DrainAsync());   // attempt 2 fails; next try in 60 s
        smtp.Start();
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal((Visits, 0), await DrainAsync());   // attempt 3 delivers

        await using var db = TestDatabases.Context(connectionString);
        var attempts = await db.OutboundEmails.Where(e => e.Kind == "reminder").Select(e => e.Attempts).Distinct().ToListAsync();
        Assert.Equal([3], attempts);
        await Eventually.TrueAsync(async () => (await ReceivedAsync()).Count == Visits, TimeSpan.FromSeconds(30), "every reminder in maildev");
        Assert.All(await ReceivedAsync(), r => Assert.Equal(1, r.Value));
    }
}
