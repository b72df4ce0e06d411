using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>
/// The texts page in Chromium at phone, tablet and desktop size: an email's words and their preview, the survey questions
/// and theirs, axe clean, no sideways scroll. Previews only: saved words would change the emails other browser tests read.
/// With <c>CX_SCREENSHOTS</c> set to a folder it saves screenshots.
/// </summary>
[Collection(LiveAppCollection.Name)]
public class TextsPageTests(LiveApp live)
{
    [Fact]
    public async Task The_texts_page_and_its_previews_render_without_serious_accessibility_violations_at_three_sizes()
    {
        var email = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.Admin, name: "Ada Admin");
        var shots = Environment.GetEnvironmentVariable("CX_SCREENSHOTS");
        foreach (var (name, width, height) in new[] { ("phone", 390, 844), ("tablet", 820, 1180), ("desktop", 1440, 900) })
        {
            var page = await live.NewPageAsync(width, height, mobile: name == "phone");
            await page.GotoAsync("/signin");
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync("**/staff**");

            Assert.Equal(200, (await page.GotoAsync("/staff/admin/texts?kind=reminder"))!.Status);
            await Check(page, $"texts-{name}");

            await page.GetByLabel("Body").FillAsync("Hello {FirstName} & family,\n\nSee you soon at {LocationName}.\n\n{VisitDetails}\n\n{ManageLink}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
            await page.Locator("#preview").WaitForAsync();
            Assert.Contains("Hello Alex & family,", await page.Locator("#preview-html").InnerTextAsync());
            Assert.Contains("Reschedule or cancel: ", await page.Locator("#preview-text").InnerTextAsync());
            await page.Locator("#preview summary").ClickAsync();
            await Check(page, $"texts-preview-{name}");

            await page.GetByLabel("Body").FillAsync("Hello {Firstname},\n\n{VisitDetails}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await page.Locator("#texts-errors").WaitForAsync();
            Assert.Contains("{Firstname}", await page.Locator("#texts-errors").InnerTextAsync());
            await Check(page, $"texts-refused-{name}");

            Assert.Equal(200, (await page.GotoAsync("/staff/admin/texts?kind=survey-questions"))!.Status);
            await page.GetByLabel("Question 4").FillAsync("How was the wait, and did we keep you informed?");
            await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
            await page.Locator("#preview").WaitForAsync();
            Assert.Equal("How was the wait, and did we keep you informed?", await page.Locator("#preview #q-wait legend").InnerTextAsync());
            await Check(page, $"texts-survey-preview-{name}");
            await page.Context.CloseAsync();
        }

        async Task Check(IPage page, string shot)
        {
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            var wider = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
            Assert.False(wider, $"{shot}: the page scrolls sideways");
            if (shots is null) return;
            Directory.CreateDirectory(shots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, $"{shot}.png"), FullPage = true });
        }
    }
}
