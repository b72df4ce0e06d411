using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>
/// The texts page in Chromium at phone, tablet and desktop size: an email's words and their preview, the survey questions
/// and theirs, axe clean, no sideways scroll, and no CSP violation (the email's HTML, inline styles and all, is in a
/// sandboxed frame under a policy of its own). Previews only: saved words would change the emails other browser tests read.
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
            var violations = await WatchCspAsync(page);
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
            // The HTML part, in its sandboxed frame, looks as the email does: the inline styles apply.
            var frame = page.FrameLocator("#preview-html");
            Assert.Contains("Hello Alex & family,", await frame.Locator("body").InnerTextAsync());
            Assert.Contains("system-ui", await frame.Locator("body").EvaluateAsync<string>("b => getComputedStyle(b).fontFamily"));
            var button = frame.GetByRole(AriaRole.Link, new() { Name = "Reschedule or cancel" });
            Assert.Equal("rgb(11, 92, 171)", await button.EvaluateAsync<string>("a => getComputedStyle(a).backgroundColor"));
            Assert.Equal("inline-block", await button.EvaluateAsync<string>("a => getComputedStyle(a).display"));
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
            Assert.True(violations.Count == 0, "CSP violations:\n" + string.Join("\n", violations));
            await page.Context.CloseAsync();
        }

        // Every CSP violation, of the page or of the preview frame: Chromium logs each to the console ("Refused to apply
        // inline style…"), and the page's own fire securitypolicyviolation (the frame runs no scripts to listen with).
        static async Task<List<string>> WatchCspAsync(IPage page)
        {
            var violations = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add($"console: {message.Text}");
            };
            await page.ExposeFunctionAsync("cxCspViolation", (string what) => violations.Add($"event: {what}"));
            await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => window.cxCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`))");
            return violations;
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
