using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>The live app with a 2-second kiosk idle time (Kiosk:IdleSeconds), so walking away can be tested without waiting 30 s.</summary>
public sealed class KioskIdleApp : LiveApp
{
    public const int IdleSeconds = 2;

    protected override void Configure(AppFactory factory) => factory.With("Kiosk:IdleSeconds", IdleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

public class KioskIdleTests(KioskIdleApp live) : IClassFixture<KioskIdleApp>
{
    [Fact]
    public async Task A_customer_who_walks_away_mid_survey_leaves_a_partial_response_and_the_next_one_starts_afresh()
    {
        var page = await live.NewKioskPageAsync();
        var kioskId = await KioskFlow.EnrolAsync(live, page);

        await page.Locator("#start").TapAsync();
        await page.Locator("#screen-booking .kiosk-option[data-score='2']").TapAsync();
        await page.Locator("#screen-reminders .kiosk-option[data-score='1']").TapAsync();
        await KioskFlow.HeadingFocusedAsync(page, "q-welcome");

        // No touch for Kiosk:IdleSeconds: back to the welcome screen, the two answers saved as a partial response.
        await page.Locator("#welcome-heading").WaitForAsync(new() { Timeout = (KioskIdleApp.IdleSeconds + 10) * 1000 });
        var response = Assert.Single(await KioskFlow.WaitForResponsesAsync(live, kioskId, 1));
        Assert.True(response.IsPartial);
        Assert.Equal(["booking:2", "reminders:1"], response.Answers.Select(a => $"{a.QuestionKey}:{a.Score}").Order());

        Assert.Equal(0, await page.Locator(".kiosk-option[aria-pressed='true']").CountAsync());
        await page.Locator("#start").TapAsync();
        await Assertions.Expect(page.Locator("#progress")).ToHaveTextAsync("1 of 7");
        Assert.Equal("false", await page.Locator("#screen-booking .kiosk-option[data-score='2']").GetAttributeAsync("aria-pressed"));
    }
}
