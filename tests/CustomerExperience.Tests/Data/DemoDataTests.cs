using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
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
    public async Task Every_visit_that_happened_has_a_care_team_and_a_code_unique_at_its_location()
    {
        var clinician = await QueryAsync(db => db.Users.SingleAsync(u => u.Email == "clinician@northside.example"));
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
        var manager = await QueryAsync(db => db.Users.SingleAsync(u => u.Email == "manager@northside.example"));
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
}
