using System.Text.RegularExpressions;
using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CustomerExperience.BrowserTests;

/// <summary>
/// An admin sets up a room with hours for a service nobody offers yet, through the rooms pages; a customer then books it
/// in the public flow; taking the room out of use asks about that visit first. axe on each page; screenshots of the
/// set-up pages at phone, tablet and desktop sizes go to /tmp/shots/admin-rooms.
/// </summary>
[Collection(LiveAppCollection.Name)]
public class AdminRoomsTests(LiveApp live)
{
    private const string Shots = "/tmp/shots/admin-rooms";
    private const string Location = "Riverside Women's Imaging";

    [Fact]
    public async Task An_admin_creates_a_room_with_hours_and_a_customer_books_it_online()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var serviceName = $"Thyroid ultrasound {suffix}";
        await SeedServiceAsync(serviceName, suffix);
        var admin = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.Admin, name: "Ada Admin");
        var page = await live.NewPageAsync(1440, 900);

        await page.GotoAsync("/staff/admin/rooms");
        await page.GetByLabel("Email").FillAsync(admin);
        await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/admin/rooms");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Rooms and machines");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = $"Add a room or machine at {Location}" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/staff/admin/rooms/new"));
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        var roomName = $"Ultrasound room {suffix}";
        await page.GetByLabel("Name").FillAsync(roomName);
        await page.GetByLabel("Room", new() { Exact = true }).CheckAsync();
        await Expect(page.Locator("#locationId option:checked")).ToHaveTextAsync(Location);
        await page.GetByLabel(serviceName).CheckAsync();
        foreach (var weekday in new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" })
            await page.GetByLabel(weekday, new() { Exact = true }).FillAsync("08:00–12:00, 13:00–18:00");
        await page.Locator("#save-room").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/staff/admin/rooms\?location="));
        await Expect(page.Locator("#rooms-done")).ToContainTextAsync($"Saved {roomName}.");
        await Expect(page.Locator("table.rooms")).ToContainTextAsync(roomName);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        var roomId = await live.App.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<AppDbContext>()
            .Resources.Where(r => r.Name == roomName).Select(r => r.Id).SingleAsync();

        // ---- The public flow offers and books it
        var email = MailDev.UniqueAddress("room-flow");
        var customer = await live.NewPhonePageAsync();
        await customer.GotoAsync("/book");
        await customer.GetByLabel(serviceName).CheckAsync();
        await customer.GetByLabel(Location).CheckAsync();
        await customer.GetByRole(AriaRole.Button, new() { Name = "See free times" }).ClickAsync();
        await customer.WaitForURLAsync(new Regex(@"/book/time\?"));
        await customer.Locator("ul.days a.day").Nth(2).ClickAsync();
        await customer.Locator("#times a.time").First.ClickAsync();
        await customer.WaitForURLAsync(new Regex(@"/book/details\?"));
        await customer.GetByLabel("Full name").FillAsync("Room Flow");
        await customer.GetByLabel("Email").FillAsync(email);
        await customer.GetByLabel("Phone").FillAsync("(212) 555-0123");
        await customer.GetByLabel("Date of birth").FillAsync("1975-06-07");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Book this visit" }).ClickAsync();
        await customer.WaitForURLAsync(new Regex(@"/manage/[^/?]+\?booked=1$"));
        await Expect(customer.Locator("#booked h1")).ToHaveTextAsync("You're booked");
        await using var scope = live.App.Services.CreateAsyncScope();
        var visit = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Appointments.AsNoTracking()
            .SingleAsync(a => a.Customer!.NormalizedEmail == email);
        Assert.Equal(roomId, visit.ResourceId);

        // ---- Taking the room out of use lists that visit first; "Don't save" changes nothing
        await page.GotoAsync($"/staff/admin/rooms/{roomId}");
        await page.GetByLabel("In use (offered for booking)").UncheckAsync();
        await page.Locator("#save-room").ClickAsync();
        await Expect(page.Locator("#affected-visits tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator($"#affected-{visit.Id}")).ToContainTextAsync("Room Flow");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await Shoot(page, "confirm");
        await page.Locator("#then-cancel").ClickAsync();
        await page.WaitForURLAsync("**/staff/admin/rooms");
        Assert.True(await scope.ServiceProvider.GetRequiredService<AppDbContext>().Resources.AsNoTracking().Where(r => r.Id == roomId).Select(r => r.IsActive).SingleAsync());

        // ---- Every set-up page at the three sizes, no sideways scroll, axe clean
        foreach (var (name, width, height) in new[] { ("phone", 390, 844), ("tablet", 820, 1180), ("desktop", 1440, 900) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var (url, shot) in new[] { ("/staff/admin/rooms", "rooms"), ($"/staff/admin/rooms/{roomId}", "room"), ("/staff/admin/closures", "closures") })
            {
                await page.GotoAsync(url);
                // The page itself never scrolls sideways; the message names the elements that stick out (outside scrolling regions).
                var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
                var wider = overflow <= 0 ? [] : await page.EvaluateAsync<string[]>("""
                    () => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                        .filter(e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return false; return true; })
                        .slice(0, 8).map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className} → ${Math.round(e.getBoundingClientRect().right)}px`)
                    """);
                Assert.True(overflow <= 0, $"{url} scrolls sideways by {overflow}px at {width}px: {string.Join("; ", wider)}");
                await Accessibility.AssertNoSeriousViolationsAsync(page);
                await Shoot(page, $"{shot}-{name}");
            }
        }
    }

    private static async Task Shoot(IPage page, string name)
    {
        Directory.CreateDirectory(Shots);
        await page.ScreenshotAsync(new() { Path = $"{Shots}/{name}.png", FullPage = true });
    }

    /// <summary>A service like the demo's, offered nowhere until a room performs it.</summary>
    private async Task SeedServiceAsync(string name, string suffix)
    {
        await using var scope = live.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Services.Add(new Service
        {
            Id = Guid.CreateVersion7(), Slug = $"thyroid-{suffix}", Name = name, DurationMinutes = 30, BufferMinutes = 10,
            ReminderOffsetsMinutes = [24 * 60], PreparationNotes = "Wear a top with an open neck.", CalendarTitle = "Clinic appointment",
        });
        await db.SaveChangesAsync();
    }
}
