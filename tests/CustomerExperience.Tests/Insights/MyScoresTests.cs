using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using static CustomerExperience.Tests.Insights.InsightsSeed;

namespace CustomerExperience.Tests.Insights;

/// <summary>"My scores" through HTTP: one's own figures, goals and kudos, and never a colleague's.</summary>
public class MyScoresTests : IAsyncLifetime
{
    private static readonly TimeSpan Edt = TimeSpan.FromHours(-4);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private InsightsSeed seed = null!;
    private (string Id, string Email) mia, olly, tess;
    private Guid miaGoal, ollyGoal;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(MyScoresTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        seed = new InsightsSeed(app.Services, await TestClinic.SeedAsync(app.Services));
        mia = await StaffAsync(StaffRoles.Clinician, "Mia Mine");
        olly = await StaffAsync(StaffRoles.Clinician, "Olly Other");
        tess = await StaffAsync(StaffRoles.FrontDesk, "Tess TwentyNine");

        // Mia: 29 visits she performed and 1 she only checked in, 30 responses in all.
        var june10 = new DateTimeOffset(2026, 6, 10, 8, 0, 0, Edt);
        for (var i = 0; i < 29; i++)
        {
            var comment = i switch { 0 => "Mia explained everything", 23 => "Nice but pricey", 26 => "Waited far too long", _ => null };
            await seed.AnsweredVisitAsync(june10.AddMinutes(5 * i),
                Scores(explained: i < 26 ? 5 : 4, recommend: i < 23 ? 10 : i < 26 ? 7 : 3), performedBy: mia.Id, comment: comment);
        }
        var customer = await seed.CustomerAsync("Carla Customer");
        var desk = await seed.VisitAsync(customer, new DateTimeOffset(2026, 6, 12, 9, 0, 0, Edt), checkedInBy: mia.Id);
        await seed.ResponseAsync(new DateTimeOffset(2026, 6, 12, 10, 0, 0, Edt), Scores(explained: 5, recommend: 10), desk, customer,
            comment: "Lovely welcome at the desk");

        // Olly: 30 perfect responses and his own kudos.
        for (var i = 0; i < 30; i++)
            await seed.AnsweredVisitAsync(june10.AddHours(3).AddMinutes(5 * i), Scores(explained: 5, recommend: 10), performedBy: olly.Id,
                comment: i == 0 ? "Olly is the best" : null);
        // Tess: one short of the minimum.
        for (var i = 0; i < 29; i++)
            await seed.AnsweredVisitAsync(june10.AddHours(6).AddMinutes(5 * i), Scores(explained: 5, recommend: 10), performedBy: tess.Id);

        (miaGoal, ollyGoal) = await seed.WithDbAsync(db =>
        {
            Goal For(string staff, decimal target) => new()
            {
                Id = Guid.CreateVersion7(), Metric = GoalMetric.OverallTopBox, StaffUserId = staff, Target = target,
                From = new DateOnly(2026, 6, 1), To = new DateOnly(2026, 8, 31), CreatedAt = clock.GetUtcNow(), CreatedById = staff,
            };
            var (a, b) = (For(mia.Id, 80), For(olly.Id, 99));
            db.Goals.AddRange(a, b);
            return Task.FromResult((a.Id, b.Id));
        });
    }

    private async Task<(string Id, string Email)> StaffAsync(string role, string name)
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, role, name: name);
        await using var scope = app.Services.CreateAsyncScope();
        return ((await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(email))!.Id, email);
    }

    private async Task<HttpClient> SignedInAsync((string Id, string Email) who)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(client, who.Email, StaffSignIn.Password)).StatusCode);
        return client;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static string Part(string html, string id, string end)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no element {id}");
        return html[start..html.IndexOf(end, start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task A_staff_member_sees_their_own_figures_goals_and_kudos_newest_first()
    {
        var response = await (await SignedInAsync(mia)).GetAsync("/staff/me");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("href=\"/staff/me\" aria-current=\"page\"", html);
        Assert.Contains("2 Apr 2026 – 1 Jul 2026", html);

        // Explained: 26 of 29 performed + 1 checked in = 27/30 = 90 %; recommend 9–10: 23 + 1 = 24/30 = 80 %,
        // detractors 3 → NPS (24 − 3) / 30 = +70; overall the mean of 90 and 80.
        Assert.Contains("90.0 %", Part(html, "question-explained", "</tr>"));
        Assert.Contains("80.0 %", Part(html, "question-recommend", "</tr>"));
        var overall = Part(html, "figure-overall", "</li>");
        Assert.Contains("class=\"figure\" id=\"figure-overall\"", html);
        Assert.Contains("85.0 %", overall);
        Assert.Contains("n = 30", overall);
        Assert.Contains("+70", WebUtility.HtmlDecode(Part(html, "figure-nps", "</li>")));

        Assert.Contains("Met", Part(html, $"goal-{miaGoal}", "</tr>"));
        Assert.DoesNotContain($"goal-{ollyGoal}", html);

        // Kudos: only the happy ones (Nice but pricey gave a 7, Waited far too long a 4 and a 3), newest first, no names.
        var kudos = Part(html, "kudos-list", "</ul>");
        var desk = kudos.IndexOf("Lovely welcome at the desk", StringComparison.Ordinal);
        var explained = kudos.IndexOf("Mia explained everything", StringComparison.Ordinal);
        Assert.True(desk >= 0 && explained > desk, "both kudos, newest first");
        Assert.DoesNotContain("Nice but pricey", html);
        Assert.DoesNotContain("Waited far too long", html);
        Assert.DoesNotContain("Carla Customer", html);
        Assert.DoesNotContain("Insight Customer", html);
    }

    [Theory]
    [InlineData("/staff/me")]
    [InlineData("/staff/me?period=52w")]
    public async Task Another_staff_members_responses_and_comments_never_appear(string url)
    {
        var html = await (await (await SignedInAsync(mia)).GetAsync(url)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Olly is the best", html);
        Assert.DoesNotContain("100.0 %", Part(html, "figure-overall", "</li>"));

        var olly = await (await (await SignedInAsync(this.olly)).GetAsync(url)).Content.ReadAsStringAsync();
        Assert.Contains("Olly is the best", olly);
        Assert.Contains("100.0 %", Part(olly, "figure-overall", "</li>"));
        Assert.DoesNotContain("Mia explained everything", olly);
    }

    [Theory]
    [InlineData("staffId")]
    [InlineData("staff")]
    public async Task A_staff_parameter_is_refused_and_shows_nobodys_figures(string name)
    {
        var response = await (await SignedInAsync(mia)).GetAsync($"/staff/me?{name}={olly.Id}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("only your own figures", body);
        Assert.DoesNotContain("Olly is the best", body);
    }

    [Fact]
    public async Task A_bad_period_is_400()
    {
        var response = await (await SignedInAsync(mia)).GetAsync("/staff/me?period=decade");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("period", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Twenty_nine_responses_are_too_few_and_thirty_show_the_figure()
    {
        var html = await (await (await SignedInAsync(tess)).GetAsync("/staff/me?period=4w")).Content.ReadAsStringAsync();
        var overall = Part(html, "figure-overall", "</li>");
        Assert.Contains("class=\"figure too-few\" id=\"figure-overall\"", html);
        Assert.Contains("too few responses", overall);
        Assert.DoesNotContain("%", overall);
        Assert.Contains("href=\"/staff/me\"", html);

        var mine = await (await (await SignedInAsync(mia)).GetAsync("/staff/me?period=4w")).Content.ReadAsStringAsync();
        Assert.Contains("class=\"figure\" id=\"figure-overall\"", mine);
        Assert.DoesNotContain("too few responses", Part(mine, "figure-overall", "</li>"));
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var response = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/staff/me");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
    }
}
