using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>
/// An admin sets up a location and a service in Chromium through /staff/admin, a wrong value first: the hub, both lists,
/// both forms (with and without errors) and the edit page pass axe at phone, tablet and desktop sizes (CX_SHOTS=dir saves a screenshot of each).
/// </summary>
[Collection(LiveAppCollection.Name)]
public class SetupPlacesPagesTests(LiveApp live)
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("phone", 390, 844), ("tablet", 820, 1180), ("desktop", 1440, 900)];

    [Fact]
    public async Task An_admin_creates_a_location_and_a_service_through_the_set_up_pages()
    {
        var email = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.Admin, name: "Ada Admin");
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var page = await live.NewTabletPageAsync();
        await page.GotoAsync("/staff/admin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/admin");
        await LookAtAsync(page, "hub");

        await page.Locator("#nav-setup").WaitForAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Locations", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/staff/admin/locations");
        await LookAtAsync(page, "locations");
        await page.Locator("#add-location").ClickAsync();
        await page.WaitForURLAsync("**/staff/admin/locations/new");
        await LookAtAsync(page, "location-new");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"Harbour Imaging {suffix}");
        await page.GetByLabel("Street address").FillAsync("9 Quay Street");
        await page.GetByLabel("City").FillAsync("Boston");
        await page.GetByLabel("State or region").FillAsync("MA");
        await page.GetByLabel("Postal code").FillAsync("02110");
        await page.GetByLabel("Time zone").SelectOptionAsync("America/New_York");
        await page.GetByLabel("Phone").FillAsync("+1 617 555 0123");
        await page.GetByLabel("Directions link (optional)").FillAsync("maps.example/harbour");
        await page.GetByLabel("Parking notes (optional)").FillAsync("Garage on Quay Street; we validate 2 hours.");
        await page.Locator("#save-location").ClickAsync();
        await page.Locator("#directionsUrl-error").WaitForAsync();
        await LookAtAsync(page, "location-new-error");

        await page.GetByLabel("Directions link (optional)").FillAsync("https://maps.example/harbour");
        await page.Locator("#save-location").ClickAsync();
        await page.WaitForURLAsync("**/staff/admin/locations");
        Assert.Contains($"Added Harbour Imaging {suffix}", await page.Locator("#setup-done").InnerTextAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = $"Harbour Imaging {suffix}" }).ClickAsync();
        await page.Locator("#location-form").WaitForAsync();
        Assert.Equal("Garage on Quay Street; we validate 2 hours.", await page.GetByLabel("Parking notes (optional)").InputValueAsync());
        await LookAtAsync(page, "location-edit");

        await page.GotoAsync("/staff/admin/services/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"Thyroid ultrasound {suffix}");
        await page.GetByLabel("Duration (minutes)").FillAsync("25");
        await page.GetByLabel("Reminders before the visit (optional)").FillAsync("2 days, 2 hours");
        await page.GetByLabel("Earliest").FillAsync("3");
        await page.GetByLabel("Latest").FillAsync("1");
        await page.Locator("#save-service").ClickAsync();
        await page.Locator("#resultsMinBusinessDays-error").WaitForAsync();
        await LookAtAsync(page, "service-new-error");

        await page.GetByLabel("Earliest").FillAsync("1");
        await page.GetByLabel("Latest").FillAsync("3");
        await page.Locator("#save-service").ClickAsync();
        await page.WaitForURLAsync("**/staff/admin/services");
        await LookAtAsync(page, "services");

        await using var scope = live.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var location = await db.Locations.AsNoTracking().SingleAsync(l => l.Name == $"Harbour Imaging {suffix}");
        Assert.Equal(("America/New_York", "https://maps.example/harbour"), (location.TimeZoneId, location.DirectionsUrl));
        var service = await db.Services.AsNoTracking().SingleAsync(s => s.Name == $"Thyroid ultrasound {suffix}");
        Assert.Equal([2880, 120], service.ReminderOffsetsMinutes);
        Assert.Equal("Clinic appointment", service.CalendarTitle);
    }

    private static async Task LookAtAsync(IPage page, string name)
    {
        var shots = Environment.GetEnvironmentVariable("CX_SHOTS");
        foreach (var (size, width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{name} scrolls sideways at {size}");
            if (!string.IsNullOrEmpty(shots))
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"{name}-{size}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1024, 768);
    }
}
