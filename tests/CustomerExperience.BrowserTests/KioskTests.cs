using System.Diagnostics;
using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>
/// The exit kiosk in Chromium on a tablet (820 × 1180, touch): a manager enrols it through the real pages, then
/// customers answer by tapping (or by keyboard); answers survive the network going away and are stored once.
/// </summary>
[Collection(LiveAppCollection.Name)]
public class KioskTests(LiveApp live)
{
    public const string Riverside = "Riverside Women's Imaging";
    private static readonly string[] Keys = ["booking", "reminders", "welcome", "wait", "explained", "comfort", "recommend"];

    [Fact]
    public async Task A_manager_enrols_the_tablet_then_seven_taps_and_send_take_under_30_seconds_and_it_resets_to_welcome()
    {
        var page = await live.NewKioskPageAsync();
        var kioskId = await KioskFlow.EnrolAsync(live, page);

        var clock = Stopwatch.StartNew();
        await page.Locator("#start").TapAsync();
        foreach (var (key, i) in Keys.Select((k, i) => (k, i)))
        {
            await KioskFlow.HeadingFocusedAsync(page, $"q-{key}");
            Assert.Equal($"{i + 1} of 7", await page.Locator("#progress").InnerTextAsync());
            await page.Locator($"#screen-{key} .kiosk-option[data-score='{(key == "recommend" ? 10 : 5)}']").TapAsync();
        }
        await page.Locator("#comment-heading").WaitForAsync();
        await page.Locator("#send").TapAsync();
        await page.Locator("#thanks-heading").WaitForAsync();
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"7 taps and send took {clock.Elapsed.TotalSeconds:0.0} s");

        var stored = await KioskFlow.WaitForResponsesAsync(live, kioskId, 1);
        var response = Assert.Single(stored);
        Assert.Equal(SurveyChannel.Kiosk, response.Channel);
        Assert.False(response.IsPartial);
        Assert.Equal(7, response.Answers.Count);
        Assert.Equal(10, response.Answers.Single(a => a.QuestionKey == "recommend").Score);
        Assert.Equal(await KioskFlow.LocationIdAsync(live, "riverside"), response.LocationId);
        Assert.InRange(response.DurationSeconds!.Value, 0, 30);

        // Back to the welcome screen by itself (Kiosk:ThanksSeconds, 5 s), with nothing left of the last answers.
        await page.Locator("#welcome-heading").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal(0, await page.Locator(".kiosk-option[aria-pressed='true']").CountAsync());
        Assert.Equal("[]", await page.EvaluateAsync<string>("localStorage.getItem('cx.kiosk.queue.riverside')"));
    }

    [Fact]
    public async Task Offline_answers_are_queued_and_stored_exactly_once_when_the_network_is_back_even_when_a_reply_is_lost()
    {
        var page = await live.NewKioskPageAsync();
        var kioskId = await KioskFlow.EnrolAsync(live, page);

        await page.Context.SetOfflineAsync(true);
        await page.Locator("#start").TapAsync();
        foreach (var key in Keys)
            await page.Locator($"#screen-{key} .kiosk-option[data-score='{(key == "recommend" ? 6 : 2)}']").TapAsync();
        await page.Locator("#comment").FillAsync("The wait was long and nobody said why.");
        await page.Locator("#send").TapAsync();
        await page.Locator("#thanks-heading").WaitForAsync();

        var queued = await page.EvaluateAsync<string>("localStorage.getItem('cx.kiosk.queue.riverside')");
        Assert.Contains("The wait was long", queued);
        Assert.Empty(await KioskFlow.ResponsesAsync(live, kioskId));

        // The first send reaches the server but its reply is lost: the kiosk sends again, and the server stores it once.
        var posts = 0;
        await page.RouteAsync("**/responses", async route =>
        {
            if (Interlocked.Increment(ref posts) == 1)
            {
                await route.FetchAsync();
                await route.AbortAsync();
            }
            else
                await route.ContinueAsync();
        });
        await page.Context.SetOfflineAsync(false);

        await Eventually.TrueAsync(async () => await page.EvaluateAsync<string>("localStorage.getItem('cx.kiosk.queue.riverside')") == "[]",
            TimeSpan.FromSeconds(30), "the kiosk's queue to empty");
        Assert.True(posts >= 2, $"{posts} send(s)");
        var response = Assert.Single(await KioskFlow.ResponsesAsync(live, kioskId));
        Assert.Equal("The wait was long and nobody said why.", response.Comment);
        Assert.Equal(7, response.Answers.Count);
    }

    [Fact]
    public async Task An_unenrolled_browser_and_a_forged_cookie_get_no_survey()
    {
        var page = await live.NewKioskPageAsync();
        await page.GotoAsync("/kiosk/riverside");
        Assert.Equal("This screen is not set up", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(0, await page.Locator(".kiosk-option").CountAsync());
        Assert.DoesNotContain("How easy was it to book", await page.ContentAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        var forged = await live.NewKioskPageAsync();
        await forged.Context.AddCookiesAsync([new Cookie { Name = "cx.kiosk", Value = "Zm9yZ2VkLWtpb3NrLXNlY3JldC0xMjM0NTY3ODkwYWJj", Url = live.BaseUrl + "/kiosk" }]);
        await forged.GotoAsync("/kiosk/riverside");
        Assert.Equal("This screen is not set up", await forged.Locator("h1").InnerTextAsync());
        Assert.DoesNotContain("How easy was it to book", await forged.ContentAsync());
    }

    [Fact]
    public async Task The_kiosk_can_be_answered_by_keyboard_alone()
    {
        var page = await live.NewKioskPageAsync();
        var kioskId = await KioskFlow.EnrolAsync(live, page);
        await page.Locator("#welcome-heading").FocusAsync();

        await KioskFlow.TabToAsync(page, "#start");
        await page.Keyboard.PressAsync("Enter");
        foreach (var key in Keys)
        {
            await KioskFlow.HeadingFocusedAsync(page, $"q-{key}");
            await KioskFlow.TabToAsync(page, $"#screen-{key} .kiosk-option[data-score='4']");
            await page.Keyboard.PressAsync(key == "wait" ? "Space" : "Enter");
        }
        await KioskFlow.HeadingFocusedAsync(page, "comment-heading");
        await KioskFlow.TabToAsync(page, "#comment");
        await page.Keyboard.TypeAsync("Typed without a mouse.");
        await KioskFlow.TabToAsync(page, "#contact");
        await page.Keyboard.PressAsync("Space");
        await KioskFlow.TabToAsync(page, "#send");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#thanks-heading").WaitForAsync();

        var response = Assert.Single(await KioskFlow.WaitForResponsesAsync(live, kioskId, 1));
        Assert.Equal(7, response.Answers.Count);
        Assert.All(response.Answers, a => Assert.Equal(4, a.Score));
        Assert.Equal("Typed without a mouse.", response.Comment);
        Assert.True(response.ContactRequested);
    }

    [Fact]
    public async Task Back_skip_and_large_text_work_and_a_skip_is_no_answer()
    {
        var page = await live.NewKioskPageAsync();
        var kioskId = await KioskFlow.EnrolAsync(live, page);

        await page.Locator("#large-text").TapAsync();
        Assert.Equal("true", await page.Locator("#large-text").GetAttributeAsync("aria-pressed"));
        Assert.Contains("kiosk-large", await page.EvaluateAsync<string>("document.documentElement.className"));
        await page.Locator("#start").TapAsync();
        await page.Locator("#screen-booking .kiosk-option[data-score='3']").TapAsync();
        await page.Locator("#screen-reminders [data-action='back']").TapAsync();
        Assert.Equal("true", await page.Locator("#screen-booking .kiosk-option[data-score='3']").GetAttributeAsync("aria-pressed"));
        await page.Locator("#screen-booking .kiosk-option[data-score='5']").TapAsync();
        await page.Locator("#screen-reminders [data-action='skip']").TapAsync();
        Assert.Equal("3 of 7", await page.Locator("#progress").InnerTextAsync());
        foreach (var key in Keys.Skip(2))
            await page.Locator($"#screen-{key} .kiosk-option[data-score='{(key == "recommend" ? 9 : 4)}']").TapAsync();
        await page.Locator("#send").TapAsync();
        await page.Locator("#thanks-heading").WaitForAsync();

        var response = Assert.Single(await KioskFlow.WaitForResponsesAsync(live, kioskId, 1));
        Assert.Equal(6, response.Answers.Count);
        Assert.DoesNotContain(response.Answers, a => a.QuestionKey == "reminders");
        Assert.Equal(5, response.Answers.Single(a => a.QuestionKey == "booking").Score);
        await page.Locator("#welcome-heading").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("false", await page.Locator("#large-text").GetAttributeAsync("aria-pressed"));
    }

    [Fact]
    public async Task The_visit_code_ties_the_response_to_the_visit_and_its_care_team_and_a_wrong_code_says_so()
    {
        var page = await live.NewKioskPageAsync();
        var kioskId = await KioskFlow.EnrolAsync(live, page);
        var (visitId, code, performer) = await SeedVisitWithCodeAsync();

        await page.Locator("#start").TapAsync();
        foreach (var key in Keys.Take(3))
            await page.Locator($"#screen-{key} .kiosk-option[data-score='5']").TapAsync();
        foreach (var key in Keys.Skip(3))
            await page.Locator($"#screen-{key} [data-action='skip']").TapAsync();
        var wrong = code == "999999" ? "999998" : "999999";
        await page.Locator("#visit-code").FillAsync(wrong);
        await page.Locator("#send").TapAsync();
        await Expect(page.Locator("#visit-code-problem")).ToContainTextAsync("could not find that code");
        Assert.True(await page.Locator("#send-anonymously").IsVisibleAsync());
        Assert.Empty(await KioskFlow.ResponsesAsync(live, kioskId));

        await page.Locator("#visit-code").FillAsync(code);
        await page.Locator("#send").TapAsync();
        await page.Locator("#thanks-heading").WaitForAsync();

        var response = Assert.Single(await KioskFlow.WaitForResponsesAsync(live, kioskId, 1));
        Assert.Equal(visitId, response.AppointmentId);
        Assert.Equal(performer, response.Appointment!.PerformedById);
        Assert.Equal(response.Appointment.CustomerId, response.CustomerId);
    }

    [Fact]
    public async Task The_demo_link_enrols_the_browser_that_opens_it_as_the_demo_locations_kiosk()
    {
        var page = await live.NewKioskPageAsync();
        await page.GotoAsync($"/kiosk-setup/demo-{LiveApp.DemoKioskCode}");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Use this device as the kiosk of {Riverside}" }).TapAsync();
        await page.WaitForURLAsync("**/kiosk/riverside");
        await page.Locator("#welcome-heading").WaitForAsync();

        var wrong = await live.NewKioskPageAsync();
        var refused = await wrong.GotoAsync("/kiosk-setup/demo-not-the-code");
        Assert.Equal(404, refused!.Status);
    }

    [Fact]
    public async Task Each_kiosk_screen_has_no_serious_accessibility_violation_and_fits_tablet_phone_and_desktop()
    {
        var sizes = new (string Name, int Width, int Height, bool Mobile)[] { ("tablet", 820, 1180, false), ("phone", 360, 740, true), ("desktop", 1280, 800, false) };
        foreach (var (name, width, height, mobile) in sizes)
        {
            var page = await live.NewPageAsync(width, height, mobile);
            await page.GotoAsync("/kiosk/riverside");
            await KioskFlow.ShotAsync(page, $"not-set-up-{name}");

            await KioskFlow.EnrolAsync(live, page, shots: name);
            await CheckAsync(page, "welcome", name, width);
            await page.Locator("#start").TapAsync();
            await CheckAsync(page, "question", name, width);
            foreach (var key in Keys.Take(6))
                await page.Locator($"#screen-{key} .kiosk-option[data-score='4']").TapAsync();
            await CheckAsync(page, "recommend", name, width);
            await page.Locator("#screen-recommend .kiosk-option[data-score='8']").TapAsync();
            await page.Locator("#visit-code").FillAsync("12");
            await page.Locator("#send").TapAsync();
            await Expect(page.Locator("#visit-code-problem")).ToContainTextAsync("6 digits");
            await CheckAsync(page, "comment", name, width);
            await page.Locator("#send-anonymously").TapAsync();
            await page.Locator("#thanks-heading").WaitForAsync();
            await CheckAsync(page, "thanks", name, width);
        }
    }

    private static async Task CheckAsync(IPage page, string screen, string size, int width)
    {
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"The {screen} screen is {scrollWidth}px wide on a {width}px screen.");
        // Every button a customer taps is at least 64 px each way.
        var small = await page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll('button')].filter(b => b.offsetParent !== null)
              .map(b => [b.textContent.trim(), b.getBoundingClientRect()])
              .filter(([, r]) => r.width < 64 || r.height < 64).map(([t, r]) => `${t} ${Math.round(r.width)}x${Math.round(r.height)}`)
            """);
        Assert.True(small.Length == 0, $"{screen} ({size}): small buttons {string.Join(", ", small)}");
        await KioskFlow.ShotAsync(page, $"{screen}-{size}");
    }

    private async Task<(Guid VisitId, string Code, string Performer)> SeedVisitWithCodeAsync()
    {
        var performerEmail = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.Clinician, name: "Tess Technologist");
        await using var scope = live.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var performer = await db.Users.Where(u => u.Email == performerEmail).Select(u => u.Id).SingleAsync();
        var location = await db.Locations.SingleAsync(l => l.Slug == "riverside");
        var service = await db.Services.SingleAsync(s => s.Slug == "screening-mammogram");
        var room = await db.Resources.Where(r => r.LocationId == location.Id && r.Services.Contains(service)).FirstAsync();
        var now = DateTimeOffset.UtcNow;
        string code;
        do code = Random.Shared.Next(100000, 1000000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        while (await db.Appointments.AnyAsync(a => a.VisitCode == code));
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = "Kiosk Code Customer", Email = MailDev.UniqueAddress("kiosk-code"),
            DateOfBirth = new DateOnly(1968, 5, 6), CreatedAt = now,
        };
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = service.Id, LocationId = location.Id, ResourceId = room.Id,
            CreatedAt = now.AddDays(-20), Source = BookingSource.Online,
        };
        // Late last night, when no demo visit uses the room.
        var start = new DateTimeOffset(now.UtcDateTime.Date.AddHours(3).AddMinutes(Random.Shared.Next(0, 50)), TimeSpan.Zero);
        visit.Schedule(start, TimeSpan.FromMinutes(5), TimeSpan.Zero);
        visit.CheckIn(now.AddMinutes(-40), performedById: performer);
        visit.Complete(now.AddMinutes(-10));
        visit.GiveVisitCode(code);
        db.AddRange(customer, visit);
        await db.SaveChangesAsync();
        return (visit.Id, code, performer);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}

/// <summary>What the kiosk tests share: enrolling through the real pages, reading what was stored, screenshots.</summary>
public static class KioskFlow
{
    /// <summary>Signs in as a new manager on <paramref name="page"/> and uses the device as Riverside's kiosk; returns the kiosk's id.</summary>
    public static async Task<Guid> EnrolAsync(LiveApp live, IPage page, string? shots = null)
    {
        var email = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.Manager, name: "Kim Kiosk-Manager");
        var name = "Exit " + Guid.NewGuid().ToString("N")[..8];
        await page.GotoAsync("/staff/kiosks");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/kiosks");
        if (shots is not null)
        {
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            await ShotAsync(page, $"staff-kiosks-{shots}");
        }
        await page.Locator("#name-riverside").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Use this device as the kiosk of {KioskTests.Riverside}" }).ClickAsync();
        await page.WaitForURLAsync("**/kiosk/riverside");
        await page.Locator("#welcome-heading").WaitForAsync();
        await using var scope = live.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Kiosks.Where(k => k.Name == name).Select(k => k.Id).SingleAsync();
    }

    public static async Task<List<SurveyResponse>> ResponsesAsync(LiveApp live, Guid kioskId)
    {
        await using var scope = live.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.AsNoTracking()
            .Include(r => r.Answers).Include(r => r.Appointment).Where(r => r.KioskId == kioskId).ToListAsync();
    }

    public static async Task<List<SurveyResponse>> WaitForResponsesAsync(LiveApp live, Guid kioskId, int count)
    {
        await Eventually.TrueAsync(async () => (await ResponsesAsync(live, kioskId)).Count >= count, TimeSpan.FromSeconds(20), $"{count} kiosk response(s)");
        return await ResponsesAsync(live, kioskId);
    }

    public static async Task<Guid> LocationIdAsync(LiveApp live, string slug)
    {
        await using var scope = live.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Locations.Where(l => l.Slug == slug).Select(l => l.Id).SingleAsync();
    }

    /// <summary>Focus moved to the new screen's heading, so a screen reader reads the question first.</summary>
    public static async Task HeadingFocusedAsync(IPage page, string id) =>
        await Assertions.Expect(page.Locator($"#{id}")).ToBeFocusedAsync();

    /// <summary>Presses Tab until <paramref name="selector"/> has the focus (at most 30 times).</summary>
    public static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 30; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
                return;
        }
        throw new Xunit.Sdk.XunitException($"Tab never reached {selector}.");
    }

    /// <summary>Saves a screenshot under $CX_SHOTS (set it to look at the screens; unset, nothing is written).</summary>
    public static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("CX_SHOTS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await page.ScreenshotAsync(new() { Path = Path.Combine(directory, name + ".png"), FullPage = true });
        }
    }
}
