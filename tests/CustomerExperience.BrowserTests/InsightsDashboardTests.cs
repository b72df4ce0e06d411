using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

[CollectionDefinition(Name)]
public class InsightsLiveAppCollection : ICollectionFixture<LiveApp>
{
    // A live app of its own: the year of data seeded here would otherwise show up in the other browser tests' pages.
    public const string Name = "insights live app";
}

/// <summary>
/// The insights dashboard in Chromium over a plausible year at one location: charts and their tables render, axe
/// finds nothing serious. With <c>CX_SCREENSHOTS</c> set to a folder it saves phone, tablet and desktop screenshots.
/// </summary>
[Collection(InsightsLiveAppCollection.Name)]
public class InsightsDashboardTests(LiveApp live)
{
    [Fact]
    public async Task Dashboard_and_goals_render_their_charts_and_tables_without_serious_accessibility_violations()
    {
        var clinic = await TestClinic.SeedAsync(live.App.Services);
        var email = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.Manager, name: "Morgan Manager");
        var technologist = await PlausibleYearAsync(clinic, email);
        var url = $"/staff/insights?period=year&location={clinic.LocationId}&weeks=52";

        var shots = Environment.GetEnvironmentVariable("CX_SCREENSHOTS");
        foreach (var (name, width, height) in new[] { ("desktop", 1280, 800), ("tablet", 820, 1180), ("phone", 360, 740) })
        {
            var context = await live.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = width, Height = height }, IsMobile = name == "phone",
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/signin");
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync("**/staff**");
            var response = await page.GotoAsync(url);
            Assert.Equal(200, response!.Status);

            Assert.True(await page.Locator("#trend-chart").IsVisibleAsync());
            Assert.True(await page.Locator("#trend-chart polygon.band").CountAsync() >= 1);
            Assert.True(await page.Locator("#trend-chart circle.point").CountAsync() >= 40);
            Assert.True(await page.Locator("#pareto-chart rect.bar").CountAsync() >= 5);
            Assert.Equal(52, await page.Locator("#trend-table tbody tr").CountAsync());
            Assert.True(await page.Locator("#staff-table tbody tr").CountAsync() >= 3);
            Assert.True(await page.Locator("#lapsed-table tbody tr").CountAsync() >= 3);
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            await AssertNoSidewaysScrollAsync(page);
            foreach (var details in await page.Locator("details.chart-table summary").AllAsync())
                await details.ClickAsync();
            Assert.True(await page.Locator("#trend-table").IsVisibleAsync());
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            if (shots is not null)
            {
                Directory.CreateDirectory(shots);
                await page.ScreenshotAsync(new() { Path = Path.Combine(shots, $"insights-{name}.png"), FullPage = true });
                await page.Locator("#weekly-trend").ScreenshotAsync(new() { Path = Path.Combine(shots, $"insights-trend-{name}.png") });
                await page.Locator("#recovery").ScreenshotAsync(new() { Path = Path.Combine(shots, $"insights-recovery-{name}.png") });
            }
            Assert.Equal(200, (await page.GotoAsync("/staff/insights/goals"))!.Status);
            // The demo clinic's own goals are listed too.
            Assert.Equal(1, await page.Locator("#goals-table tbody tr", new() { HasText = "Test Screening Center" }).CountAsync());
            Assert.True(await page.Locator("#goals-table tbody tr").CountAsync() >= 2);
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            await AssertNoSidewaysScrollAsync(page);
            if (shots is not null)
                await page.ScreenshotAsync(new() { Path = Path.Combine(shots, $"goals-{name}.png"), FullPage = true });
            await context.CloseAsync();
        }

        foreach (var (name, width, height) in new[] { ("desktop", 1280, 800), ("phone", 360, 740) })
        {
            var context = await live.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = width, Height = height }, IsMobile = name == "phone",
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/signin");
            await page.GetByLabel("Email").FillAsync(technologist);
            await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync("**/staff**");
            Assert.Equal(200, (await page.GotoAsync("/staff/me"))!.Status);
            Assert.Equal(7, await page.Locator("#questions tbody tr").CountAsync());
            Assert.True(await page.Locator("#kudos-list li").CountAsync() >= 1);
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            await AssertNoSidewaysScrollAsync(page);
            if (shots is not null)
                await page.ScreenshotAsync(new() { Path = Path.Combine(shots, $"my-scores-{name}.png"), FullPage = true });
            await context.CloseAsync();
        }
    }

    /// <summary>Wide charts and tables scroll inside their own regions; the page itself never scrolls sideways.</summary>
    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var wider = await page.EvaluateAsync<string[]>("""
            () => document.documentElement.scrollWidth <= document.documentElement.clientWidth ? [] :
                [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .slice(0, 8).map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className} → ${Math.round(e.getBoundingClientRect().right)}px`)
            """);
        Assert.True(wider.Length == 0, $"the page scrolls sideways on a {page.ViewportSize!.Width}px screen: " + string.Join("; ", wider));
    }

    /// <summary>
    /// Sixty-four weeks of responses whose top-box rises from about 66 % to 85 %, the wait a weaker question, three
    /// performers (one below the minimum), next visits booked at checkout, cases with a skewed spread of root causes, and
    /// customers who became due in the last year after a recall email (three in four came back, the rest lapsed).
    /// </summary>
    /// <summary>Seeds the year; returns the email of a technologist with plenty of responses.</summary>
    private async Task<string> PlausibleYearAsync(TestClinic clinic, string managerEmail)
    {
        await using var scope = live.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var staff = new List<string>();
        var emails = new List<string>();
        foreach (var name in new[] { "Ana Technologist", "Ben Technologist", "Cy Newcomer" })
        {
            emails.Add(await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.Clinician, name: name));
            staff.Add((await users.FindByEmailAsync(emails[^1]))!.Id);
        }
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        var second = 0;
        Appointment Visit(Guid customer, DateTimeOffset at, AppointmentStatus status, string? performer, DateTimeOffset? createdAt = null,
            BookingSource source = BookingSource.Online)
        {
            var visit = new Appointment
            {
                Id = Guid.CreateVersion7(), CustomerId = customer, ServiceId = clinic.ServiceId, LocationId = clinic.LocationId,
                ResourceId = clinic.RoomId, CreatedAt = createdAt ?? at.AddDays(-30), Source = source,
            };
            visit.Schedule(at.AddSeconds(second++), TimeSpan.FromSeconds(1), TimeSpan.Zero);
            if (status == AppointmentStatus.Completed) { visit.CheckIn(visit.Start, null, performer); visit.Complete(visit.Start.AddMinutes(1)); }
            else if (status == AppointmentStatus.NoShow) visit.MarkNoShow();
            db.Appointments.Add(visit);
            return visit;
        }
        Customer NewCustomer(string name)
        {
            var customer = new Customer { Id = Guid.CreateVersion7(), FullName = name, Email = $"{Guid.NewGuid():N}@customers.example", Phone = "+1 212 555 0123", CreatedAt = now.AddYears(-2) };
            db.Customers.Add(customer);
            return customer;
        }
        string[] comments = ["Friendly and quick, thank you.", "The wait was long and nobody explained why.", "Parking was hard to find.",
            "The technologist explained every step.", "It was painful and I am worried about my results.", "Booking online was easy."];
        for (var week = 63; week >= 0; week--)
        {
            var quality = 0.66 + 0.19 * (63 - week) / 63.0;
            var count = 30 + random.Next(14);
            for (var i = 0; i < count; i++)
            {
                var at = now.AddDays(-7 * week - random.Next(7)).Date.AddHours(14 + random.Next(6));
                var when = new DateTimeOffset(at, TimeSpan.Zero);
                if (when > now) when = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(-1);
                var customer = NewCustomer($"Customer {week}-{i}");
                var performer = i % 9 == 8 && week < 10 ? staff[2] : staff[i % 2];
                var visit = Visit(customer.Id, when.AddMinutes(-40), AppointmentStatus.Completed, performer);
                var answers = new List<SurveyAnswer>();
                foreach (var key in new[] { "booking", "reminders", "welcome", "wait", "explained", "comfort" })
                {
                    if (random.NextDouble() < 0.08) continue;
                    var p = key == "wait" ? quality - 0.2 : quality;
                    answers.Add(new SurveyAnswer { QuestionKey = key, Score = random.NextDouble() < p ? 5 : 2 + random.Next(3) });
                }
                answers.Add(new SurveyAnswer { QuestionKey = "recommend", Score = random.NextDouble() < quality ? 9 + random.Next(2) : random.Next(9) });
                db.SurveyResponses.Add(new SurveyResponse
                {
                    Id = Guid.CreateVersion7(), DefinitionVersion = 1, Channel = i % 3 == 0 ? SurveyChannel.Email : SurveyChannel.Kiosk,
                    LocationId = clinic.LocationId, AppointmentId = visit.Id, CustomerId = customer.Id, SubmittedAt = when,
                    StartedAt = when.AddSeconds(-25 - random.Next(20)), DurationSeconds = 25 + random.Next(20),
                    Comment = random.NextDouble() < 0.15 ? comments[random.Next(comments.Length)] : null, Answers = answers,
                });
                if (random.NextDouble() < 0.05) Visit(NewCustomer($"No-show {week}-{i}").Id, when.AddHours(-3), AppointmentStatus.NoShow, null);
                if (random.NextDouble() < 0.35) Visit(NewCustomer($"Quiet {week}-{i}").Id, when.AddHours(-2), AppointmentStatus.Completed, performer);
                // Most book next year's visit at checkout, a few minutes after completing.
                if (random.NextDouble() < 0.4 + 0.3 * quality)
                    Visit(customer.Id, when.AddDays(365), AppointmentStatus.Booked, null, createdAt: visit.CompletedAt!.Value.AddMinutes(5), source: BookingSource.FrontDesk);
            }
            await db.SaveChangesAsync();
        }
        (RootCause Cause, int Count)[] causes = [(RootCause.WaitTime, 14), (RootCause.Communication, 8), (RootCause.Scheduling, 5),
            (RootCause.Billing, 3), (RootCause.Facility, 2), (RootCause.StaffCourtesy, 1)];
        foreach (var (cause, count) in causes)
            for (var i = 0; i < count; i++)
            {
                var opened = now.AddDays(-random.Next(20, 350));
                db.RecoveryCases.Add(new RecoveryCase
                {
                    Id = Guid.CreateVersion7(), Source = CaseSource.Survey, LocationId = clinic.LocationId, Summary = "The wait: Poor",
                    OpenedAt = opened, DueAt = opened.AddDays(1), Status = CaseStatus.Resolved, FirstContactAt = opened.AddHours(2 + random.Next(20)),
                    ResolvedAt = opened.AddDays(2), RootCause = cause,
                });
            }
        for (var i = 0; i < 4; i++)
        {
            var opened = now.AddHours(-12 * i - 2);
            db.RecoveryCases.Add(new RecoveryCase
            {
                Id = Guid.CreateVersion7(), Source = CaseSource.Survey, LocationId = clinic.LocationId, Summary = "Recommend: 3",
                OpenedAt = opened, DueAt = opened.AddDays(1), Status = CaseStatus.Open,
            });
        }
        // Customers who became due in the last year: a recall email a month before; three in four came back.
        string[] first = ["Lena", "Omar", "Pia", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Vic", "Wes"];
        string[] last = ["Lapsed", "Okafor", "Patel", "Quist", "Reyes", "Stone", "Tran", "Ueda", "Vega", "Wolf"];
        for (var i = 0; i < 240; i++)
        {
            var customer = NewCustomer($"{first[i % 10]} {last[i / 10 % 10]}");
            // At 08:00 UTC: the survey visits above fill 14:20 to about 21:00 (one room, a second apart), and a visit at
            // the test's own time of day could land on one of them.
            var visitAt = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-380 - random.Next(340)).AddHours(8);
            Visit(customer.Id, visitAt, AppointmentStatus.Completed, staff[i % 2]);
            var recallAt = visitAt.AddDays(335);
            db.OutboundEmails.Add(new OutboundEmail
            {
                Id = Guid.CreateVersion7(), Kind = "recall", IdempotencyKey = $"recall:{customer.Id}:{clinic.ServiceId}:{i}", ToAddress = customer.Email,
                Subject = "Your next visit is covered", TextBody = "…", CustomerId = customer.Id, Status = OutboundEmailStatus.Sent,
                CreatedAt = recallAt, NextAttemptAt = recallAt, SentAt = recallAt,
            });
            if (random.NextDouble() < 0.75)
            {
                var back = visitAt.AddDays(365 + random.Next(-20, 60));
                if (back < now) Visit(customer.Id, back, AppointmentStatus.Completed, staff[i % 2], createdAt: recallAt.AddDays(random.Next(1, 40)));
            }
        }
        await db.SaveChangesAsync();
        var manager = (await users.FindByEmailAsync(managerEmail))!.Id;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        db.Goals.Add(new Goal
        {
            Id = Guid.CreateVersion7(), Metric = GoalMetric.QuestionTopBox, QuestionKey = "explained", LocationId = clinic.LocationId, Target = 90,
            From = today.AddDays(-60), To = today.AddDays(30), CreatedAt = now, CreatedById = manager,
        });
        db.Goals.Add(new Goal
        {
            Id = Guid.CreateVersion7(), Metric = GoalMetric.NoShowRate, Target = 5, From = today.AddDays(-60), To = today.AddDays(30), CreatedAt = now, CreatedById = manager,
        });
        await db.SaveChangesAsync();
        return emails[0];
    }
}
