using System.Globalization;
using System.Text.RegularExpressions;
using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CustomerExperience.BrowserTests;

/// <summary>
/// From nothing to a booked visit through the browser only: an admin adds a location in a far time zone, a service and a
/// room with weekly hours through /staff/admin; an anonymous customer then books that service there in the public flow
/// and gets the confirmation email with its calendar invite, at the time the customer chose in the location's zone.
/// </summary>
[Collection(LiveAppCollection.Name)]
public class SetupToBookingFlowTests(LiveApp live)
{
    // Far from the demo's New York and from the server's UTC, so a time shown in the wrong zone cannot pass.
    private const string TimeZone = "Pacific/Auckland";
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    [Fact]
    public async Task A_location_service_and_room_set_up_in_the_browser_can_be_booked_online()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        // Named to sort after the demo's on /book, where other tests find the demo's choices by their place in the list.
        var locationName = $"Waterfront Imaging {suffix}";
        var serviceName = $"Ultrasound, knee {suffix}";
        var roomName = $"Ultrasound {suffix}";
        var admin = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.Admin, name: "Ada Admin");
        var page = await live.NewPageAsync(1440, 900);

        // ---- Location
        await page.GotoAsync("/staff/admin/locations/new");
        await page.GetByLabel("Email").FillAsync(admin);
        await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/admin/locations/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(locationName);
        await page.GetByLabel("Street address").FillAsync("12 Quay Street");
        await page.GetByLabel("City").FillAsync("Auckland");
        await page.GetByLabel("State or region").FillAsync("Auckland");
        await page.GetByLabel("Postal code").FillAsync("1010");
        await page.GetByLabel("Time zone").SelectOptionAsync(TimeZone);
        await page.GetByLabel("Phone").FillAsync("+64 9 555 0123");
        await page.GetByLabel("Arrival notes (optional)").FillAsync("Reception is on the first floor.");
        await page.Locator("#save-location").ClickAsync();
        await page.WaitForURLAsync("**/staff/admin/locations");
        await Expect(page.Locator("#setup-done")).ToContainTextAsync($"Added {locationName}");

        // ---- Service
        await page.GotoAsync("/staff/admin/services/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(serviceName);
        await page.GetByLabel("Duration (minutes)").FillAsync("20");
        await page.GetByLabel("Preparation notes (optional)").FillAsync("Wear shorts or a loose skirt.");
        await page.Locator("#save-service").ClickAsync();
        await page.WaitForURLAsync("**/staff/admin/services");
        await Expect(page.Locator("#setup-done")).ToContainTextAsync(serviceName);

        // ---- Room at the new location, performing the new service, open every day
        await page.GotoAsync("/staff/admin/rooms");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Add a room or machine at {locationName}" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/staff/admin/rooms/new"));
        await page.GetByLabel("Name").FillAsync(roomName);
        await page.GetByLabel("Room", new() { Exact = true }).CheckAsync();
        await Expect(page.Locator("#locationId option:checked")).ToHaveTextAsync(locationName);
        await page.GetByLabel(serviceName).CheckAsync();
        foreach (var weekday in new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" })
            await page.GetByLabel(weekday, new() { Exact = true }).FillAsync("09:00–12:00, 13:00–17:00");
        await page.Locator("#save-room").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/staff/admin/rooms\?location="));
        await Expect(page.Locator("#rooms-done")).ToContainTextAsync($"Saved {roomName}.");

        // ---- An anonymous customer books it
        var email = MailDev.UniqueAddress("setup-flow");
        var customer = await live.NewPhonePageAsync();
        await customer.GotoAsync("/book");
        await customer.GetByLabel(serviceName).CheckAsync();
        await customer.GetByLabel(locationName).CheckAsync();
        await customer.GetByRole(AriaRole.Button, new() { Name = "See free times" }).ClickAsync();
        await customer.WaitForURLAsync(new Regex(@"/book/time\?"));
        await Expect(customer.Locator("p.summary")).ToContainTextAsync($"{serviceName} at {locationName}");
        await Accessibility.AssertNoSeriousViolationsAsync(customer);

        // Open every day: each of the fourteen days has times, except perhaps today once it is late in Auckland.
        var dayLinks = customer.Locator("ul.days a.day");
        Assert.True(await dayLinks.CountAsync() >= 13, "A room open every day should give at least 13 of the 14 days times.");
        var dayLink = dayLinks.Nth(2);
        var href = await dayLink.GetAttributeAsync("href") ?? "";
        var day = DateOnly.ParseExact(Regex.Match(href, @"date=(\d{4}-\d{2}-\d{2})").Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        await dayLink.ClickAsync();
        await customer.WaitForURLAsync(new Regex($"date={day:yyyy-MM-dd}"));
        var times = customer.Locator("#times a.time");
        await Expect(times.First).ToHaveTextAsync("9:00 AM");
        // 20-minute visits on the 15-minute grid within 09:00–12:00 and 13:00–17:00: none runs into the break or past closing.
        var shown = (await times.AllInnerTextsAsync()).Select(t => t.Trim()).ToList();
        Assert.Contains("11:30 AM", shown);
        Assert.DoesNotContain("11:45 AM", shown);
        Assert.DoesNotContain("12:45 PM", shown);
        Assert.Contains("1:00 PM", shown);
        Assert.Equal("4:30 PM", shown[^1]);
        await customer.GetByRole(AriaRole.Link, new() { Name = "10:00 AM" }).ClickAsync();

        await customer.WaitForURLAsync(new Regex(@"/book/details\?"));
        var when = $"{day.ToString("dddd, MMMM d", English)}, {day.Year} at 10:00 AM";
        await Expect(customer.Locator(".card.summary")).ToContainTextAsync(when);
        await customer.GetByLabel("Full name").FillAsync("Setup Flow");
        await customer.GetByLabel("Email").FillAsync(email);
        await customer.GetByLabel("Phone").FillAsync("(212) 555-0147");
        await customer.GetByLabel("Date of birth").FillAsync("1982-03-04");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Book this visit" }).ClickAsync();

        await customer.WaitForURLAsync(new Regex(@"/manage/[^/?]+\?booked=1$"));
        await Expect(customer.Locator("#booked h1")).ToHaveTextAsync("You're booked");
        await Expect(customer.Locator("#booked")).ToContainTextAsync(email);
        await Expect(customer.Locator("#when")).ToHaveTextAsync(when);
        await Expect(customer.Locator("main")).ToContainTextAsync(locationName);
        await Expect(customer.Locator("main")).ToContainTextAsync("Reception is on the first floor.");
        await Expect(customer.Locator("main")).ToContainTextAsync("Wear shorts or a loose skirt.");
        await Accessibility.AssertNoSeriousViolationsAsync(customer);

        // ---- The confirmation email and its invite, at 10:00 in Auckland
        var confirmation = Assert.Single(await MailDev.WaitForAsync(email, 1, TimeSpan.FromSeconds(30)));
        Assert.Equal($"Booked: Clinic appointment, {when}", confirmation.GetProperty("subject").GetString());
        var text = confirmation.GetProperty("text").GetString() ?? "";
        Assert.Contains(locationName, text);
        Assert.Contains("12 Quay Street", text);
        var invite = await MailDev.AttachmentAsync(confirmation, "invite.ics");
        var start = TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(10, 0)), TimeZoneInfo.FindSystemTimeZoneById(TimeZone));
        Assert.Contains($"DTSTART:{start:yyyyMMdd'T'HHmmss'Z'}", invite);
        Assert.Contains($"DTEND:{start.AddMinutes(20):yyyyMMdd'T'HHmmss'Z'}", invite);
        Assert.Contains("METHOD:REQUEST", invite);
        Assert.Contains(email, Unfold(invite), StringComparison.OrdinalIgnoreCase);
        Assert.Matches(new Regex(@"LOCATION:[^\r\n]*Waterfront Imaging"), Unfold(invite));
    }

    private static string Unfold(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);
}
