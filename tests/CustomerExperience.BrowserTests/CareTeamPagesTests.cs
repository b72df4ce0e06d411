using System.Text.RegularExpressions;
using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>
/// The care team and the visit code in Chromium: the desk picks the demo clinician at check-in from the schedule, the
/// visit panel names both people and shows the code large, and the checkout page shows the same code. The three pages pass
/// axe at phone, tablet and desktop sizes (CX_SHOTS=dir saves a screenshot of each).
/// </summary>
[Collection(LiveAppCollection.Name)]
public partial class CareTeamPagesTests(LiveApp live)
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("phone", 360, 740), ("tablet", 820, 1180), ("desktop", 1280, 800)];

    [GeneratedRegex(@"^\d{3} \d{3}$")]
    private static partial Regex Code();

    [Fact]
    public async Task The_desk_picks_the_clinician_at_check_in_and_the_panel_and_checkout_show_the_team_and_the_code()
    {
        var (visitId, _, _) = await FrontDeskFlowTests.SeedTodaysVisitAsync(live, MailDev.UniqueAddress("care-team"));
        var staffEmail = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.FrontDesk, name: "Dee Desk");
        await using (var scope = live.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var id = await db.Users.Where(u => u.Email == staffEmail).Select(u => u.Id).SingleAsync();
            db.StaffLocations.Add(new StaffLocation { StaffUserId = id, LocationId = await db.Locations.Where(l => l.Slug == "riverside").Select(l => l.Id).SingleAsync() });
            await db.SaveChangesAsync();
        }
        var page = await live.NewTabletPageAsync();
        await page.GotoAsync("/staff/schedule?location=riverside");
        await page.GetByLabel("Email").FillAsync(staffEmail);
        await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/schedule?location=riverside");

        await LookAtAsync(page, "schedule");
        var picker = page.Locator($"#performer-{visitId}");
        Assert.Equal("Casey Clinician", (await picker.Locator("option").First.InnerTextAsync()).Trim());
        await picker.SelectOptionAsync(new SelectOptionValue { Label = "Casey Clinician" });
        await page.Locator($"#checkin-{visitId}").ClickAsync();
        await page.Locator($"#visit-{visitId}[data-status=CheckedIn]").WaitForAsync();

        await page.GotoAsync($"/staff/visits/{visitId}");
        Assert.Equal("Checked in by Dee Desk · Performed by Casey Clinician", (await page.Locator("#care-team").InnerTextAsync()).Trim());
        var code = (await page.Locator("#visit-code strong").InnerTextAsync()).Trim();
        Assert.Matches(Code(), code);
        await LookAtAsync(page, "visit-panel");

        await page.Locator($"#complete-{visitId}").ClickAsync();
        await page.WaitForURLAsync($"**/staff/visits/{visitId}/next**");
        Assert.Equal($"Survey code for the exit kiosk: {code}", (await page.Locator("#visit-code").InnerTextAsync()).ReplaceLineEndings(" ").Trim());
        await LookAtAsync(page, "checkout");
    }

    private static async Task LookAtAsync(IPage page, string name)
    {
        var shots = Environment.GetEnvironmentVariable("CX_SHOTS");
        foreach (var (size, width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            if (!string.IsNullOrEmpty(shots))
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"{name}-{size}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1024, 768);
    }
}
