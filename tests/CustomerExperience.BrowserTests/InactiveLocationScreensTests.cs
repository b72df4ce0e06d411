using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CustomerExperience.BrowserTests;

/// <summary>
/// A location taken out of use while its kiosk and waiting-room screens are on: the kiosk keeps an answer it could not
/// send and switches to "not taking visitors", the waiting screen swaps that in at its next refresh; both come back by
/// themselves when the location reopens. axe on both screens; CX_SHOTS=dir saves them.
/// </summary>
[Collection(LiveAppCollection.Name)]
public class InactiveLocationScreensTests(LiveApp live)
{
    private const string NotTakingVisitors = "This location is not taking visitors at the moment";
    private static readonly string[] Keys = ["booking", "reminders", "welcome", "wait", "explained", "comfort", "recommend"];

    [Fact]
    public async Task The_kiosk_keeps_an_answer_given_as_the_location_closes_says_it_is_closed_and_sends_the_answer_when_it_reopens()
    {
        var (locationId, slug) = await SeedLocationAsync();
        var page = await live.NewKioskPageAsync();
        await page.Clock.InstallAsync();
        var kioskId = await EnrolAsync(page, slug);

        await SetActiveAsync(locationId, false);
        await page.Locator("#start").TapAsync();
        foreach (var key in Keys)
            await page.Locator($"#screen-{key} .kiosk-option[data-score='{(key == "recommend" ? 9 : 4)}']").TapAsync();
        await page.Locator("#comment").FillAsync("Friendly front desk.");
        await page.Locator("#send").TapAsync();

        // The server refuses it (409, closed): the page reloads to say so, and the answer stays on the tablet.
        await Expect(page.Locator("#not-taking-visitors")).ToHaveTextAsync(NotTakingVisitors);
        Assert.Equal(0, await page.Locator(".kiosk-option").CountAsync());
        Assert.Contains("Friendly front desk.", await page.EvaluateAsync<string>($"localStorage.getItem('cx.kiosk.queue.{slug}')"));
        Assert.Empty(await KioskFlow.ResponsesAsync(live, kioskId));
        await LookAtAsync(page, "kiosk-not-taking-visitors");

        // Reopened: within a minute the survey is back, and the kept answer is stored once.
        await SetActiveAsync(locationId, true);
        await page.Clock.RunForAsync(61_000);
        await page.Locator("#welcome-heading").WaitForAsync();
        var stored = Assert.Single(await KioskFlow.WaitForResponsesAsync(live, kioskId, 1));
        Assert.Equal("Friendly front desk.", stored.Comment);
        Assert.Equal(7, stored.Answers.Count);
        await SetActiveAsync(locationId, false);
    }

    [Fact]
    public async Task The_waiting_screen_says_the_location_is_not_taking_visitors_at_its_next_refresh_and_comes_back_when_it_reopens()
    {
        var (locationId, slug) = await SeedLocationAsync();
        var page = await live.NewKioskPageAsync();
        await page.Clock.InstallAsync();
        await page.GotoAsync($"/waiting/{slug}");
        await page.Locator("#on-time").WaitForAsync();
        await page.EvaluateAsync("window.sameDocument = true");

        await SetActiveAsync(locationId, false);
        await page.Clock.RunForAsync(61_000);
        await Expect(page.Locator("#not-taking-visitors h2")).ToHaveTextAsync(NotTakingVisitors);
        await Expect(page.Locator("#on-time")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the page was reloaded");
        await LookAtAsync(page, "waiting-not-taking-visitors");

        await SetActiveAsync(locationId, true);
        await page.Clock.RunForAsync(61_000);
        await page.Locator("#on-time").WaitForAsync();
        await SetActiveAsync(locationId, false);
    }

    /// <summary>axe and no sideways scroll at phone, tablet and desktop sizes; back to the kiosk tablet's size after.</summary>
    private static async Task LookAtAsync(IPage page, string name)
    {
        foreach (var (size, width, height) in new[] { ("phone", 390, 844), ("tablet", 820, 1180), ("desktop", 1440, 900) })
        {
            await page.SetViewportSizeAsync(width, height);
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{name} scrolls sideways at {size}");
            await KioskFlow.ShotAsync(page, $"{name}-{size}");
        }
        await page.SetViewportSizeAsync(820, 1180);
    }

    /// <summary>A location of its own (with a room and a service), so closing it changes nothing for the other tests.</summary>
    private async Task<(Guid Id, string Slug)> SeedLocationAsync()
    {
        var clinic = await TestClinic.SeedAsync(live.App.Services);
        await using var scope = live.App.Services.CreateAsyncScope();
        var slug = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Locations
            .Where(l => l.Id == clinic.LocationId).Select(l => l.Slug).SingleAsync();
        return (clinic.LocationId, slug);
    }

    /// <summary>Deactivating through the set-up pages is tested on its own (LocationSetupPagesTests); here only its effect matters.</summary>
    private async Task SetActiveAsync(Guid locationId, bool active)
    {
        await using var scope = live.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Locations.Where(l => l.Id == locationId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.IsActive, active));
    }

    private async Task<Guid> EnrolAsync(IPage page, string slug)
    {
        var email = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.Manager, name: "Kim Kiosk-Manager");
        var name = "Exit " + Guid.NewGuid().ToString("N")[..8];
        await page.GotoAsync("/staff/kiosks");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/kiosks");
        await page.Locator($"#name-{slug}").FillAsync(name);
        await page.Locator($"#use-device-{slug}").ClickAsync();
        await page.WaitForURLAsync($"**/kiosk/{slug}");
        await page.Locator("#welcome-heading").WaitForAsync();
        await using var scope = live.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Kiosks.Where(k => k.Name == name).Select(k => k.Id).SingleAsync();
    }
}
