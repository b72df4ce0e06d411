using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Customers;

/// <summary>
/// The app for front-desk tests: its own database, the test clinic, a clock held at Monday 2026-11-23 07:00 in New York,
/// and staff members signed in by name (the audit trail records names).
/// </summary>
public sealed partial class FrontDeskApp : IAsyncDisposable
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    public AppFactory App { get; private set; } = null!;
    public TestClinic Clinic { get; private set; } = null!;

    /// <param name="configure">Settings for this host (<see cref="AppFactory.With"/>), before it starts.</param>
    public static async Task<FrontDeskApp> StartAsync(string name, Action<AppFactory>? configure = null)
    {
        var frontDesk = new FrontDeskApp();
        frontDesk.App = new AppFactory(await TestDatabases.CreateAsync(name))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(frontDesk.Clock)),
        };
        frontDesk.App.With("RateLimits:PublicWritePerMinute", "1000");
        configure?.Invoke(frontDesk.App);
        frontDesk.Clinic = await TestClinic.SeedAsync(frontDesk.App.Services);
        return frontDesk;
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    /// <summary>A front-desk member called <paramref name="name"/>, signed in through the real form.</summary>
    public async Task<HttpClient> StaffAsync(string name)
    {
        var email = await StaffSignIn.CreateAccountAsync(App.Services, StaffRoles.FrontDesk, name: name);
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await StaffSignIn.SignInAsync(client, email, StaffSignIn.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task<Customer> SeedCustomerAsync(string fullName, string? preferredName = null, string? phone = null,
        DateOnly? dateOfBirth = null, string? email = null)
    {
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = fullName, PreferredName = preferredName, Phone = phone,
            DateOfBirth = dateOfBirth, Email = email ?? MailDev.UniqueAddress("customer"), CreatedAt = Clock.GetUtcNow(),
        };
        await DbAsync(async db =>
        {
            db.Customers.Add(customer);
            return await db.SaveChangesAsync();
        });
        return customer;
    }

    /// <summary>A visit placed directly (no email); <paramref name="change"/> sets its status the way the visit panel would.</summary>
    public async Task<Appointment> SeedVisitAsync(Guid customerId, DateTimeOffset start, Action<Appointment>? change = null)
    {
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customerId, ServiceId = Clinic.ServiceId, LocationId = Clinic.LocationId,
            ResourceId = Clinic.RoomId, CreatedAt = Clock.GetUtcNow(),
        };
        visit.Schedule(start, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
        change?.Invoke(visit);
        await DbAsync(async db =>
        {
            db.Appointments.Add(visit);
            return await db.SaveChangesAsync();
        });
        return visit;
    }

    /// <summary>Books online through the public API, as a customer would; returns the visit id and the manage token.</summary>
    public async Task<(Guid Id, string Token)> BookOnlineAsync(string start, string email, string fullName = "Online Customer")
    {
        var response = await App.CreateClient().PostAsJsonAsync("/api/v1/bookings", Clinic.Booking(start, email, fullName));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return (body.GetProperty("id").GetGuid(), body.GetProperty("manageUrl").GetString()!.Split('/')[^1]);
    }

    public async Task<int> DeliverEmailsAsync() =>
        (await App.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default)).Sent;

    public async Task<List<AuditEntry>> AuditAsync(string action) =>
        await DbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync());

    public static async Task<string> HtmlAsync(HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    /// <summary>The <c>data-kind</c> of each timeline item, top to bottom.</summary>
    public static List<string> TimelineKinds(string html) =>
        TimelineKind().Matches(html[html.IndexOf("id=\"timeline\"", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("class=\"timeline-item[^\"]*\" data-kind=\"([a-z-]+)\"")]
    private static partial Regex TimelineKind();
}
