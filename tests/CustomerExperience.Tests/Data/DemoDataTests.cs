using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Insights;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Data;

/// <summary>The demo clinic as run.sh seeds it at start-up: care teams, codes, survey answers and cases; a second seeding changes nothing.</summary>
public class DemoDataTests : IAsyncLifetime
{
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(DemoDataTests)));
        app.With("App:SeedDemoData", "true");
        _ = app.Services;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private Task<Dictionary<string, int>> CountsAsync() => QueryAsync(async db => new Dictionary<string, int>
    {
        ["staff"] = await db.Users.CountAsync(),
        ["staff locations"] = await db.StaffLocations.CountAsync(),
        ["locations"] = await db.Locations.CountAsync(),
        ["customers"] = await db.Customers.CountAsync(),
        ["visits"] = await db.Appointments.CountAsync(),
        ["visit codes"] = await db.Appointments.CountAsync(a => a.VisitCode != null),
        ["responses"] = await db.SurveyResponses.CountAsync(),
        ["answers"] = await db.Set<SurveyAnswer>().CountAsync(),
        ["cases"] = await db.RecoveryCases.CountAsync(),
        ["case notes"] = await db.Set<CaseNote>().CountAsync(),
        ["notes"] = await db.CustomerNotes.CountAsync(),
        ["recall emails"] = await db.OutboundEmails.CountAsync(e => e.Kind == "recall"),
        ["goals"] = await db.Goals.CountAsync(),
    });

    [Fact]
    public async Task Seeding_again_changes_nothing()
    {
        var before = await CountsAsync();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaffAccounts>().SeedDemoAsync(default);
            await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(default);
        }

        Assert.Equal(before, await CountsAsync());
        Assert.All(before, count => Assert.True(count.Value > 0, count.Key));
    }

    [Fact]
    public async Task The_demo_set_up_was_saved_by_the_set_up_pages_editors_and_passes_their_checks_as_it_stands()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var audits = await db.AuditEntries.AsNoTracking().Where(a => a.StaffName == DemoData.SetUpBy).ToListAsync();
        string[] Audited(string action) => [.. audits.Where(a => a.Action == action).Select(a => a.Details)];

        // Each location and service, read back into its page's form and saved again, passes the page's checks and changes nothing.
        var locations = await db.Locations.OrderBy(l => l.Slug).ToListAsync();
        Assert.Equal(["midtown", "riverside"], locations.Select(l => l.Slug));
        foreach (var location in locations)
        {
            Assert.IsType<PlacesSave.Saved>(await scope.ServiceProvider.GetRequiredService<LocationSettings>()
                .UpdateAsync(location.Id, location.Version, LocationForm.From(location), default));
            Assert.Contains($"Created location {location.Name} ({location.Slug})", Audited(AuditActions.LocationCreated));
        }
        var services = await db.Services.OrderBy(s => s.Slug).ToListAsync();
        Assert.Equal(["bone-density-scan", "diagnostic-mammogram", "screening-mammogram"], services.Select(s => s.Slug));
        foreach (var service in services)
        {
            Assert.IsType<PlacesSave.Saved>(await scope.ServiceProvider.GetRequiredService<ServiceSettings>()
                .UpdateAsync(service.Id, service.Version, ServiceForm.From(service), default));
            Assert.Contains($"Created service {service.Name} ({service.Slug})", Audited(AuditActions.ServiceCreated));
        }
        Assert.False(db.ChangeTracker.HasChanges());

        // Each room's form, as the rooms page shows it, passes its checks and stands for exactly the hours stored.
        var rooms = await db.Resources.AsNoTracking().Include(r => r.Services).Include(r => r.WorkingHours).AsSplitQuery().ToListAsync();
        Assert.Equal(5, rooms.Count);
        Assert.Equal(5, Audited(AuditActions.RoomCreated).Length);
        static string Week(IEnumerable<WorkingHours> hours) => string.Join("; ", hours.OrderBy(h => h.Day).ThenBy(h => h.Opens).Select(h => $"{h.Day} {h.Opens}-{h.Closes}"));
        foreach (var room in rooms)
        {
            var (values, errors) = await RoomsForm.From(room).ValidateAsync(db, default);
            Assert.True(errors.Count == 0, $"{room.Name}: {string.Join(" ", errors.Values)}");
            Assert.Equal(Week(room.WorkingHours), Week(values!.Hours));
            Assert.Equal(room.Services.Select(s => s.Id).Order(), values.ServiceIds.Order());
            Assert.Contains(room.WorkingHours, h => h.Day == DayOfWeek.Monday);
        }

        // Every closure to come went through the closures page's editor (those over already are history it refuses).
        var today = Location.DateIn(TimeZoneInfo.FindSystemTimeZoneById(DemoData.Zone), TimeProvider.System.GetUtcNow());
        var toCome = await db.LocationClosures.AsNoTracking().Where(c => c.To > today).ToListAsync();
        Assert.NotEmpty(toCome);
        foreach (var closure in toCome)
        {
            var location = locations.Single(l => l.Id == closure.LocationId);
            Assert.Contains($"Closed {location.Name} {ClosuresEditor.Describe(new DateRange(closure.From, closure.To))}: {closure.Reason}",
                Audited(AuditActions.ClosureAdded));
        }
    }

    [Fact]
    public async Task Every_visit_that_happened_has_a_care_team_and_a_code_unique_at_its_location()
    {
        var clinicianEmail = "clinician@northside.example"; // a parameter in the SQL, not the address (log scan)
        var clinician = await QueryAsync(db => db.Users.SingleAsync(u => u.Email == clinicianEmail));
        var happened = await QueryAsync(db => db.Appointments.AsNoTracking()
            .Where(a => a.Status == AppointmentStatus.CheckedIn || a.Status == AppointmentStatus.Completed).ToListAsync());

        Assert.NotEmpty(happened);
        Assert.All(happened, v =>
        {
            Assert.NotNull(v.CheckedInById);
            Assert.Equal(clinician.Id, v.PerformedById);
            Assert.Matches("^[0-9]{6}$", v.VisitCode);
        });
        Assert.All(happened.GroupBy(v => v.LocationId), atOne => Assert.Equal(atOne.Count(), atOne.Select(v => v.VisitCode).Distinct().Count()));
        var everyoneWorksSomewhere = await QueryAsync(db => db.Users.AllAsync(u => db.StaffLocations.Any(s => s.StaffUserId == u.Id)));
        Assert.True(everyoneWorksSomewhere);
        Assert.True(await QueryAsync(db => db.StaffLocations.AnyAsync(s => s.StaffUserId == clinician.Id)));
    }

    [Fact]
    public async Task There_are_answers_from_both_channels_a_few_unhappy_and_open_and_resolved_cases_owned_by_the_demo_manager()
    {
        var managerEmail = "manager@northside.example"; // a variable, so the SQL carries a parameter, not the address (log scan)
        var manager = await QueryAsync(db => db.Users.SingleAsync(u => u.Email == managerEmail));
        var responses = await QueryAsync(db => db.SurveyResponses.AsNoTracking().ToListAsync());
        var cases = await QueryAsync(db => db.RecoveryCases.AsNoTracking().Include(c => c.Notes).ToListAsync());

        Assert.Equal([SurveyChannel.Kiosk, SurveyChannel.Email], responses.Select(r => r.Channel).Distinct().Order());
        Assert.Contains(responses, r => r.AppointmentId is null);
        Assert.InRange(cases.Count(c => c.Source == CaseSource.Survey), 3, responses.Count / 2);
        Assert.Contains(cases, c => c.Source == CaseSource.Complaint);
        Assert.Contains(cases, c => c.Status == CaseStatus.Open);
        var resolved = cases.Where(c => c.Status == CaseStatus.Resolved).ToList();
        Assert.NotEmpty(resolved);
        Assert.All(resolved, c =>
        {
            Assert.NotNull(c.RootCause);
            Assert.False(string.IsNullOrWhiteSpace(c.Outcome));
            Assert.NotEmpty(c.Notes);
            Assert.Equal(manager.Id, c.ResolvedById);
        });
        Assert.All(cases, c => Assert.Equal(manager.Id, c.OwnerId));
        Assert.True(await QueryAsync(db => db.Locations.AnyAsync(l => l.ServiceRecoveryManagerId == manager.Id)));
    }

    [Fact]
    public async Task The_dashboard_tells_its_story_Midtowns_wait_is_the_weak_spot_improved_lately_and_a_goal_is_nearly_met()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var queries = scope.ServiceProvider.GetRequiredService<InsightsQueries>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var riverside = (await db.Locations.SingleAsync(l => l.Slug == "riverside")).Id;
        var midtown = (await db.Locations.SingleAsync(l => l.Slug == "midtown")).Id;
        var today = Location.DateIn(TimeZoneInfo.FindSystemTimeZoneById(DemoData.Zone), TimeProvider.System.GetUtcNow());
        var year = new InsightsFilter(today.AddDays(-363), today);
        var fourWeeks = new InsightsFilter(today.AddDays(-27), today);
        async Task<Satisfaction> At(InsightsFilter filter, Guid location) => await queries.SatisfactionAsync(filter with { LocationId = location }, default);
        static double TopBox(Satisfaction s, string key) => s.Questions.Single(q => q.Key == key).TopBoxPercent.Value!.Value;

        var midtownYear = await At(year, midtown);
        Assert.True(TopBox(midtownYear, "wait") < TopBox(await At(year, riverside), "wait") - 20);
        Assert.All(midtownYear.Questions.Where(q => q.Key != "wait"), q => Assert.True(q.TopBoxPercent.Value > TopBox(midtownYear, "wait") + 15, q.Key));
        var beforeImprovement = new InsightsFilter(today.AddDays(-DemoData.MidtownWaitImprovedDaysAgo - 90), today.AddDays(-DemoData.MidtownWaitImprovedDaysAgo - 1));
        var midtownLately = await At(fourWeeks, midtown);
        Assert.True(TopBox(midtownLately, "wait") > TopBox(await At(beforeImprovement, midtown), "wait") + 10);
        Assert.True(TopBox(midtownLately, "wait") < TopBox(await At(fourWeeks, riverside), "wait") - 5);

        // Everyone on the demo care teams has a figure in the dashboard's default four weeks.
        var staff = await queries.StaffAsync(fourWeeks, default);
        Assert.Equal(["Casey Clinician", "Frankie Desk", "Morgan Manager"], staff.Where(s => !s.OverallTopBox.TooFew).Select(s => s.Name));
        Assert.False((await At(fourWeeks, midtown)).OverallTopBox.TooFew);

        var goals = await scope.ServiceProvider.GetRequiredService<Goals>().InForceAsync(today, default);
        var explained = goals.Single(g => g.Goal.QuestionKey == "explained");
        Assert.False(explained.Met);
        Assert.InRange(explained.Actual.Value!.Value, (double)explained.Goal.Target - 4, (double)explained.Goal.Target - 0.01);
        Assert.Contains(goals, g => g.Met == true);

        var loyalty = await queries.LoyaltyAsync(year, default);
        Assert.InRange(loyalty.Retention.Value!.Value, 80, 97);
        Assert.InRange(loyalty.RecallConversion.Value!.Value, 5, 80);
        Assert.InRange(loyalty.NextVisitBooked.Value!.Value, 20, 60);
        Assert.InRange(loyalty.NoShowRate.Value!.Value, 1, 8);
        Assert.InRange((await queries.LapsedAsync(fourWeeks, 1, 20, default)).Total, 10, 300);
        var recovery = await queries.RecoveryAsync(year, default);
        Assert.Equal(RootCause.WaitTime, recovery.RootCauses.GroupBy(r => r.Cause).MaxBy(g => g.Sum(r => r.Cases))!.Key);
        Assert.InRange(recovery.Open, 1, 30);
    }
}
