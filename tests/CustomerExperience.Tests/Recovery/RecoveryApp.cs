using System.Net;
using CustomerExperience.Tests.FrontDesk;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Recovery;

/// <summary>
/// The app with a test clock, and what service-recovery tests start from. Each test makes its own location and managers
/// (home location, service-recovery manager), so tests sharing the database never own or receive each other's cases.
/// </summary>
public sealed class RecoveryApp : IAsyncDisposable
{
    // Monday 30 November 2026, 08:30 in New York (13:30Z): inside the test clinic's opening hours.
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 13, 30, 0, TimeSpan.Zero));
    public AppFactory App { get; private set; } = null!;

    public sealed record Staff(string Id, string Email, string Name);

    public static async Task<RecoveryApp> StartAsync(string name)
    {
        var recovery = new RecoveryApp();
        recovery.App = new AppFactory(await TestDatabases.CreateAsync(name))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(recovery.Clock)),
        };
        return recovery;
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    public Task<TestClinic> ClinicAsync() => TestClinic.SeedAsync(App.Services);

    /// <summary>A staff account with a maildev address of its own, working at <paramref name="homeLocation"/> when given.</summary>
    public async Task<Staff> StaffAsync(string role, string name, Guid? homeLocation = null)
    {
        var email = MailDev.UniqueAddress(role.ToLowerInvariant());
        await StaffSignIn.CreateAccountAsync(App.Services, role, email, name);
        var id = await DbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        if (homeLocation is { } place)
            await DbAsync(async db =>
            {
                db.StaffLocations.Add(new StaffLocation { StaffUserId = id, LocationId = place });
                return await db.SaveChangesAsync();
            });
        return new Staff(id, email, name);
    }

    /// <summary>A manager at the clinic's location who owns its cases (the location's service-recovery manager).</summary>
    public async Task<Staff> OwnerAsync(TestClinic clinic, string name = "Olivia Owner")
    {
        var owner = await StaffAsync(StaffRoles.Manager, name, clinic.LocationId);
        await DbAsync(db => db.Locations.Where(l => l.Id == clinic.LocationId)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.ServiceRecoveryManagerId, owner.Id)));
        return owner;
    }

    public async Task<HttpClient> SignInAsync(Staff staff)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await StaffSignIn.SignInAsync(client, staff.Email, StaffSignIn.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>
    /// A customer with a completed visit at the clinic: the clinic's first on Friday 27 November at 10:00 New York
    /// time, each later one a day earlier (one room cannot hold two visits at once).
    /// </summary>
    public async Task<(Customer Customer, Appointment Visit)> VisitedAsync(TestClinic clinic, string fullName = "Charlotte Example")
    {
        var earlier = visitsSeeded.GetValueOrDefault(clinic.LocationId);
        visitsSeeded[clinic.LocationId] = earlier + 1;
        var customer = await FrontDeskSeed.CustomerAsync(App.Services, fullName);
        var visit = await FrontDeskSeed.VisitAsync(App.Services, clinic, customer.Id,
            new DateTimeOffset(2026, 11, 27, 10, 0, 0, TestClinic.Eastern).AddDays(-earlier), AppointmentStatus.Completed);
        return (customer, visit);
    }

    private readonly Dictionary<Guid, int> visitsSeeded = [];

    /// <summary>An email survey answer for the visit: "Very poor" for the wait and a 3 to recommend, the rest good.</summary>
    public static SurveySubmission Unhappy(TestClinic clinic, Guid? visitId, string? comment = null, Guid? id = null) => new(
        id ?? Guid.NewGuid(), SurveyChannel.Email, clinic.LocationId, 1,
        new Dictionary<string, int> { ["booking"] = 5, ["reminders"] = 4, ["welcome"] = 5, ["wait"] = 1, ["explained"] = 4, ["comfort"] = 5, ["recommend"] = 3 },
        comment, AppointmentId: visitId);

    public async Task<SubmitOutcome> SubmitAsync(SurveySubmission submission)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SurveyResponses>().SubmitAsync(submission, default);
    }

    public async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public Task<RecoveryCase> CaseAsync(int number) =>
        DbAsync(db => db.RecoveryCases.AsNoTracking().Include(c => c.Notes).SingleAsync(c => c.Number == number));

    /// <summary>Sends every due outbox row to maildev; returns how many were sent.</summary>
    public async Task<int> DeliverAsync()
    {
        var sent = 0;
        while ((await App.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default)) is { Claimed: > 0 } result)
            sent += result.Sent;
        return sent;
    }
}
