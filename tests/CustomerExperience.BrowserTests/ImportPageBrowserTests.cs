using System.Text;
using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>
/// An admin imports customers in Chromium against real Kestrel: upload, guessed mapping, preview with a bad row, the
/// background import to completion (the page follows it by itself), and a 50 MB file refused with a message rather
/// than a broken connection. Screenshots at phone, tablet and desktop sizes go to /tmp/shots/import.
/// </summary>
[Collection(LiveAppCollection.Name)]
public class ImportPageBrowserTests(LiveApp live)
{
    private const string Shots = "/tmp/shots/import";

    [Fact]
    public async Task An_admin_uploads_maps_previews_and_imports_and_an_oversized_file_gets_a_message()
    {
        var email = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.Admin, name: "Ida Admin");
        string service;
        await using (var scope = live.App.Services.CreateAsyncScope())
            service = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Services.Where(s => s.IsActive).OrderBy(s => s.Name).Select(s => s.Name).FirstAsync();
        var csv = new StringBuilder($"Full name,Preferred name,Email,Phone,Date of birth,Last visit {service}\r\n");
        for (var i = 1; i <= 40; i++)
            csv.Append($"\"Browser{i}, Zoë\",Zoë,{(i == 3 ? "broken" : $"browser{i}.{Guid.NewGuid():N}@import.example")},+1 212 555 01{i:00},1970-02-{i % 28 + 1:00},2026-01-15\r\n");
        var file = new FilePayload { Name = "customers.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) };
        Directory.CreateDirectory(Shots);

        foreach (var (name, width, height) in new[] { ("phone", 390, 844), ("tablet", 820, 1180), ("desktop", 1440, 900) })
        {
            var context = await live.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = width, Height = height }, IsMobile = name == "phone", HasTouch = name != "desktop",
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/staff/admin/import");
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync("**/staff/admin/import");
            await AssertFitsAsync(page, $"upload-{name}");

            await page.Locator("#file").SetInputFilesAsync(file);
            await page.Locator("#upload").ClickAsync();
            await page.Locator("#mapping-form").WaitForAsync();
            Assert.Equal("2", await page.Locator("#email").InputValueAsync());
            Assert.Equal("4", await page.Locator("#dateOfBirth").InputValueAsync());
            await page.Locator("#locationId").SelectOptionAsync(new SelectOptionValue { Index = 1 });
            await AssertFitsAsync(page, $"mapping-{name}");

            await page.Locator("#preview").ClickAsync();
            await page.Locator("#preview-rows").WaitForAsync();
            Assert.Contains("Enter an email address", await page.Locator("#preview-row-4").InnerTextAsync());
            await AssertFitsAsync(page, $"preview-{name}", scrollingTable: true);

            if (name == "desktop")
            {
                await page.Locator("#start").ClickAsync();
                await page.Locator("#another").WaitForAsync(new() { Timeout = 120_000 });
                Assert.Contains("39", await page.Locator("#count-imported").InnerTextAsync());
                Assert.Contains("1", await page.Locator("#count-rejected").InnerTextAsync());
                await AssertFitsAsync(page, $"completed-{name}");

                await page.GotoAsync("/staff/admin/import");
                // From disk, not a buffer: Playwright hands Chromium the path instead of pushing 50 MB through its pipe.
                var huge = Path.Combine(Shots, "huge.csv");
                await using (var stream = File.Create(huge))
                    stream.SetLength(50 * 1024 * 1024);
                await page.Locator("#file").SetInputFilesAsync(huge);
                await page.Locator("#upload").ClickAsync();
                await page.Locator("#import-errors").WaitForAsync();
                File.Delete(huge);
                Assert.Contains("the limit is 20 MB", await page.Locator("#import-errors").InnerTextAsync());
                await AssertFitsAsync(page, $"too-large-{name}");
            }
            await context.CloseAsync();
        }
    }

    private static async Task AssertFitsAsync(IPage page, string shot, bool scrollingTable = false)
    {
        if (!scrollingTable)
            Assert.Equal(0, await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.ScreenshotAsync(new() { Path = $"{Shots}/{shot}.png", FullPage = true });
    }
}
