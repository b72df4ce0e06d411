using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using static CustomerExperience.Tests.Insights.InsightsSeed;

namespace CustomerExperience.Tests.Insights;

/// <summary>The dashboard and the goals page through HTTP: who may open them, what they show, and what they refuse.</summary>
public class InsightsPagesTests : IAsyncLifetime
{
    private static readonly TimeSpan Edt = TimeSpan.FromHours(-4);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private InsightsSeed seed = null!;
    private HttpClient manager = null!;
    private string performer30 = "", performer29 = "";
    private Guid lapsedCustomer;

    private string June => $"/staff/insights?period=custom&from=2026-06-01&to=2026-06-30&location={seed.Clinic.LocationId}";

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(InsightsPagesTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        seed = new InsightsSeed(app.Services, await TestClinic.SeedAsync(app.Services));
        performer30 = await StaffSignIn.CreateAccountIdAsync(app.Services, StaffRoles.Clinician, "Pat Thirty");
        performer29 = await StaffSignIn.CreateAccountIdAsync(app.Services, StaffRoles.Clinician, "Pip TwentyNine");
        for (var i = 0; i < 30; i++)
            await seed.AnsweredVisitAsync(new DateTimeOffset(2026, 6, 10, 8, 0, 0, Edt).AddMinutes(5 * i),
                Scores(explained: i < 27 ? 5 : 4, recommend: 10), performedBy: performer30, comment: i == 0 ? "It was painful" : null);
        for (var i = 0; i < 29; i++)
            await seed.AnsweredVisitAsync(new DateTimeOffset(2026, 6, 11, 8, 0, 0, Edt).AddMinutes(5 * i), Scores(explained: 5), performedBy: performer29);
        lapsedCustomer = await seed.CustomerAsync("Lena Lapsed");
        await seed.VisitAsync(lapsedCustomer, new DateTimeOffset(2025, 3, 3, 9, 0, 0, Edt));
        await seed.CaseAsync(new DateTimeOffset(2026, 6, 12, 9, 0, 0, Edt), CaseStatus.Resolved, TimeSpan.FromHours(3), RootCause.WaitTime);
        await seed.CaseAsync(new DateTimeOffset(2026, 6, 13, 9, 0, 0, Edt), CaseStatus.Resolved, TimeSpan.FromHours(3), RootCause.Billing);
        manager = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData(StaffRoles.FrontDesk)]
    [InlineData(StaffRoles.Clinician)]
    public async Task Front_desk_and_clinicians_get_403(string role)
    {
        var client = await StaffSignIn.ClientAsync(app, role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/staff/insights")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/staff/insights/goals")).StatusCode);
        Assert.DoesNotContain("href=\"/staff/insights\"", await (await client.GetAsync("/staff/schedule")).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(StaffRoles.Manager)]
    [InlineData(StaffRoles.Admin)]
    public async Task Managers_and_admins_see_the_dashboard_with_its_charts_and_tables(string role)
    {
        var client = await StaffSignIn.ClientAsync(app, role);
        var response = await client.GetAsync(June);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("href=\"/staff/insights\" aria-current=\"page\"", html);
        foreach (var id in new[] { "trend-chart", "trend-table", "pareto-chart", "root-cause-table", "questions", "staff-table", "lapsed-table", "comment-list" })
            Assert.Contains($"id=\"{id}\"", html);
        Assert.Contains("<polygon class=\"band\"", html);
        Assert.Contains("Clinical — route to quality", html);
    }

    [Fact]
    public async Task A_staff_member_with_29_responses_shows_too_few_and_one_with_30_the_figure()
    {
        var html = await (await manager.GetAsync(June)).Content.ReadAsStringAsync();

        var twentyNine = Row(html, $"staff-{performer29}");
        Assert.Contains("too few responses", twentyNine);
        Assert.DoesNotContain("%", twentyNine);
        var thirty = Row(html, $"staff-{performer30}");
        Assert.DoesNotContain("too few responses", thirty);
        // Top-box of explained 27/30 and of recommend 30/30: 95 %.
        Assert.Contains("95.0 %", thirty);

        var own = await (await manager.GetAsync(June + $"&staff={performer29}")).Content.ReadAsStringAsync();
        Assert.Contains("class=\"figure too-few\" id=\"figure-overall\"", own);
        var enough = await (await manager.GetAsync(June + $"&staff={performer30}")).Content.ReadAsStringAsync();
        Assert.Contains("class=\"figure\" id=\"figure-overall\"", enough);
    }

    private static string Row(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row {id}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    [Theory]
    [InlineData("period=custom&from=2026-13-01&to=2026-06-30", "from")]
    [InlineData("period=custom&from=2026-06-30&to=2026-06-01", "to")]
    [InlineData("period=decade", "period")]
    [InlineData("channel=fax", "channel")]
    [InlineData("weeks=7", "weeks")]
    [InlineData("location=00000000-0000-0000-0000-000000000001", "location")]
    [InlineData("staff=nobody", "staff")]
    [InlineData("cause=Weather", "cause")]
    public async Task Bad_filters_are_400_with_the_field_named(string query, string field)
    {
        var response = await manager.GetAsync("/staff/insights?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"data-field=\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Called_note_lands_on_the_customers_timeline()
    {
        var html = await (await manager.GetAsync(June)).Content.ReadAsStringAsync();
        Assert.Contains($"id=\"lapsed-{lapsedCustomer}-{seed.Clinic.ServiceId}\"", html);

        var response = await StaffSignIn.PostFormAsync(manager, June,
            new() { ["customerId"] = lapsedCustomer.ToString(), ["serviceId"] = seed.Clinic.ServiceId.ToString(), ["note"] = "Left a voicemail, will call Friday" },
            action: June + "&handler=Called");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("#lapsed", response.Headers.Location!.OriginalString);

        var timeline = await (await manager.GetAsync($"/staff/customers/{lapsedCustomer}")).Content.ReadAsStringAsync();
        Assert.Contains("Called about their overdue Screening mammogram: Left a voicemail, will call Friday", timeline);

        var empty = await StaffSignIn.PostFormAsync(manager, June,
            new() { ["customerId"] = lapsedCustomer.ToString(), ["serviceId"] = seed.Clinic.ServiceId.ToString(), ["note"] = " " }, action: June + "&handler=Called");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("note", await empty.Content.ReadAsStringAsync());
        var forged = await manager.PostAsync(June + "&handler=Called", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["customerId"] = lapsedCustomer.ToString(), ["serviceId"] = seed.Clinic.ServiceId.ToString(), ["note"] = "forged" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomerExperience.Web.Data.AppDbContext>();
        Assert.Equal(1, await db.CustomerNotes.CountAsync(n => n.CustomerId == lapsedCustomer));
    }

    private Dictionary<string, string> Goal(string metric = "OverallTopBox", string target = "85", string? question = null) => new()
    {
        ["metric"] = metric, ["question"] = question ?? "", ["location"] = seed.Clinic.LocationId.ToString(), ["staff"] = "",
        ["target"] = target, ["from"] = "2026-06-01", ["to"] = "2026-08-31",
    };

    [Fact]
    public async Task Goals_are_set_shown_with_progress_and_removed_with_an_audit_entry()
    {
        var set = await StaffSignIn.PostFormAsync(manager, "/staff/insights/goals", Goal(), action: "/staff/insights/goals?handler=Create");
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomerExperience.Web.Data.AppDbContext>();
        var goal = await db.Goals.AsNoTracking().SingleAsync();
        Assert.Equal((GoalMetric.OverallTopBox, 85m, seed.Clinic.LocationId), (goal.Metric, goal.Target, goal.LocationId));

        // 59 responses at the location from 1 June to today: top-box of explained 56/59 and recommend 30/30 → mean 97.5 %.
        var dashboard = await (await manager.GetAsync("/staff/insights")).Content.ReadAsStringAsync();
        var row = Row(dashboard, $"goal-{goal.Id}");
        Assert.Contains("Met", row);
        Assert.Contains("97.5 %", row);

        var removed = await StaffSignIn.PostFormAsync(manager, "/staff/insights/goals", [], action: $"/staff/insights/goals?handler=Delete&id={goal.Id}");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.False(await db.Goals.AnyAsync());
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Action.StartsWith("insights.")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal([AuditActions.GoalSet, AuditActions.GoalDeleted], audit);
        Assert.Equal(HttpStatusCode.NotFound,
            (await StaffSignIn.PostFormAsync(manager, "/staff/insights/goals", [], action: $"/staff/insights/goals?handler=Delete&id={goal.Id}")).StatusCode);
    }

    [Theory]
    [InlineData("OverallTopBox", "150", null, "target")]
    [InlineData("Nps", "-101", null, "target")]
    [InlineData("Retention", "abc", null, "target")]
    [InlineData("Happiness", "80", null, "metric")]
    [InlineData("QuestionTopBox", "90", null, "question")]
    [InlineData("QuestionTopBox", "90", "weather", "question")]
    public async Task Bad_goals_are_400_with_the_field_named_and_nothing_stored(string metric, string target, string? question, string field)
    {
        var response = await StaffSignIn.PostFormAsync(manager, "/staff/insights/goals", Goal(metric, target, question), action: "/staff/insights/goals?handler=Create");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"data-field=\"{field}\"", await response.Content.ReadAsStringAsync());
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<CustomerExperience.Web.Data.AppDbContext>().Goals.AnyAsync());
    }

    [Fact]
    public async Task Goal_dates_and_scope_are_checked()
    {
        var fields = Goal();
        fields["to"] = "2026-05-01";
        var backwards = await StaffSignIn.PostFormAsync(manager, "/staff/insights/goals", fields, action: "/staff/insights/goals?handler=Create");
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("data-field=\"to\"", await backwards.Content.ReadAsStringAsync());

        fields = Goal();
        fields["staff"] = performer30;
        var both = await StaffSignIn.PostFormAsync(manager, "/staff/insights/goals", fields, action: "/staff/insights/goals?handler=Create");
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Contains("data-field=\"staff\"", await both.Content.ReadAsStringAsync());

        var forged = await manager.PostAsync("/staff/insights/goals?handler=Create", new FormUrlEncodedContent(Goal()));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}
