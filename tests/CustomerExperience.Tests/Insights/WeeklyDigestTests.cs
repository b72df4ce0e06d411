using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Insights;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using static CustomerExperience.Tests.Insights.InsightsSeed;

namespace CustomerExperience.Tests.Insights;

/// <summary>
/// Monday's digest, with the clock moved by hand. New York in November (EST = UTC−5): the week just ended is Monday
/// 16 – Sunday 22 November 2026, due from Monday 23 November 08:00 local = 13:00Z.
/// Week: R1 all top marks and 10, R2 all 4 and 6 (a detractor): every question 1/2 → overall 50.0 %, NPS (1 − 1)/2 = 0.
/// Week before: one response with top marks and 10 → 100.0 % and +100.
/// </summary>
public class WeeklyDigestTests : IAsyncLifetime
{
    private static readonly TimeSpan Est = TimeSpan.FromHours(-5);
    private static readonly DateTimeOffset Due = new(2026, 11, 23, 13, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Due.AddDays(-1));
    private AppFactory app = null!;
    private InsightsSeed seed = null!;
    private readonly Dictionary<string, string> staff = [];
    private string disabledManager = "";

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(WeeklyDigestTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        app.With("Insights:MinResponses", "1");
        seed = new InsightsSeed(app.Services, await TestClinic.SeedAsync(app.Services));
        foreach (var role in StaffRoles.All)
            staff[role] = await StaffSignIn.CreateAccountAsync(app.Services, role, email: MailDev.UniqueAddress($"digest-{role.ToLowerInvariant()}"));
        disabledManager = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.Manager, email: MailDev.UniqueAddress("digest-disabled"));
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static DateTimeOffset Local(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, Est);

    private async Task<int> RunAtAsync(DateTimeOffset instant)
    {
        clock.SetUtcNow(instant);
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WeeklyDigest>().QueueDueAsync(default);
    }

    private async Task<List<string>> DigestKeysToAsync(string address)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboundEmails
            .Where(e => e.Kind == WeeklyDigest.Kind && e.ToAddress == address).Select(e => e.IdempotencyKey).ToListAsync();
    }

    private async Task SeedWeeksAsync()
    {
        await seed.AnsweredVisitAsync(Local(11, 11, 11), Scores(5, 5, 5, 5, 5, 5, 10), comment: "Last week's comment");
        await seed.AnsweredVisitAsync(Local(11, 17, 11), Scores(5, 5, 5, 5, 5, 5, 10), comment: "Friendly reception, thank you");
        await seed.AnsweredVisitAsync(Local(11, 19, 11), Scores(4, 4, 4, 4, 4, 4, 6), comment: "Parking was hard to find");
        await seed.CaseAsync(Local(11, 19, 12), CaseStatus.Open, dueAt: Local(11, 20, 12));
        // Measured 1–22 November: three responses, every question 2/3 → 66.7 %.
        await seed.WithDbAsync(async db =>
        {
            var admin = await db.Users.SingleAsync(u => u.Email == staff[StaffRoles.Admin]);
            db.Goals.Add(new Goal
            {
                Id = Guid.CreateVersion7(), Metric = GoalMetric.OverallTopBox, Target = 80, From = new DateOnly(2026, 11, 1),
                To = new DateOnly(2026, 12, 31), CreatedAt = DateTimeOffset.UnixEpoch, CreatedById = admin.Id,
            });
            (await db.Users.SingleAsync(u => u.Email == disabledManager)).DisabledAt = DateTimeOffset.UnixEpoch;
            return 0;
        });
    }

    [Fact]
    public async Task Enabled_managers_and_admins_get_one_digest_each_from_Monday_0800_with_the_week_figures()
    {
        await SeedWeeksAsync();

        Assert.Equal(0, await RunAtAsync(Due.AddMinutes(-1)));
        Assert.True(await RunAtAsync(Due) >= 2);
        Assert.Equal(0, await RunAtAsync(Due.AddMinutes(15)));
        Assert.Equal(0, await RunAtAsync(Due.AddDays(2)));

        foreach (var role in new[] { StaffRoles.Manager, StaffRoles.Admin })
        {
            var key = Assert.Single(await DigestKeysToAsync(staff[role]));
            Assert.Matches(@"^digest:2026-W47:[0-9a-f-]+$", key);
        }
        Assert.Empty(await DigestKeysToAsync(staff[StaffRoles.FrontDesk]));
        Assert.Empty(await DigestKeysToAsync(staff[StaffRoles.Clinician]));
        Assert.Empty(await DigestKeysToAsync(disabledManager));

        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);
        var message = Assert.Single(await MailDev.WaitForAsync(staff[StaffRoles.Manager]));
        Assert.Equal("Weekly insights: 16 Nov – 22 Nov 2026", message.GetProperty("subject").GetString());
        var text = message.GetProperty("text").GetString()!;
        Assert.Contains("Responses: 2 from 2 completed visits", text);
        Assert.Contains("Overall top-box: 50.0 % ▼ (down 50.0 points from the period before)", text);
        Assert.Contains("NPS: 0 ▼ (down 100.0 points from the period before)", text);
        Assert.Contains("- Overall top-box (Organisation): 66.7 %, target ≥ 80.0 % — not yet", text);
        Assert.Contains("Open cases: 1", text);
        Assert.Contains("Overdue cases: 1", text);
        Assert.Contains("“Parking was hard to find”", text);
        Assert.Contains("“Friendly reception, thank you”", text);
        Assert.DoesNotContain("Last week's comment", text);
        Assert.DoesNotContain("Insight Customer", text);
        Assert.Contains("/staff/insights", text);
        Assert.Contains("Parking was hard to find", message.GetProperty("html").GetString()!);
    }

    [Fact]
    public async Task A_week_without_responses_or_completed_visits_sends_nothing()
    {
        await seed.AnsweredVisitAsync(Local(11, 11, 11), Scores(5, 5, 5, 5, 5, 5, 10));
        Assert.Equal(0, await RunAtAsync(Due));
        Assert.Empty(await DigestKeysToAsync(staff[StaffRoles.Manager]));
    }
}
