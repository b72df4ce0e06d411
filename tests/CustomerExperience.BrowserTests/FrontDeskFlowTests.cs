using System.Text.Json;
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
/// A front-desk morning in Chromium on a tablet: sign in, find today's visit on the schedule, check the customer in,
/// post a delay for the room (the customer gets one email), complete the visit and book next year (one confirmation).
/// </summary>
[Collection(LiveAppCollection.Name)]
public class FrontDeskFlowTests(LiveApp live)
{
    [Fact]
    public async Task Sign_in_find_todays_visit_check_in_post_a_delay_complete_and_book_next_year()
    {
        var customerEmail = MailDev.UniqueAddress("desk-flow");
        var (visitId, roomId, roomName) = await SeedTodaysVisitAsync(live, customerEmail);
        var staffEmail = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.FrontDesk, name: "Dee Desk");
        var page = await live.NewTabletPageAsync();

        // Sign in; the sign-in page returns to the schedule asked for.
        await page.GotoAsync("/staff/schedule?location=riverside");
        await page.GetByLabel("Email").FillAsync(staffEmail);
        await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/schedule?location=riverside");

        // Today's visit is on the schedule under its room, by preferred name.
        var visit = page.Locator($"#visit-{visitId}");
        await visit.WaitForAsync();
        Assert.Contains("Birdie", await visit.InnerTextAsync());
        Assert.Equal("Booked", await visit.GetAttributeAsync("data-status"));
        Assert.Contains(roomName, await page.Locator($"#resource-{roomId}").InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.Locator($"#checkin-{visitId}").ClickAsync();
        await page.Locator($"#visit-{visitId}[data-status=CheckedIn]").WaitForAsync();

        // Post a 20-minute delay for that room: the checked-in customer is told once.
        await page.GetByRole(AriaRole.Link, new() { Name = "Delays", Exact = true }).ClickAsync();
        await page.GetByLabel("Location").SelectOptionAsync(new SelectOptionValue { Label = "Riverside Women's Imaging" });
        await page.GetByLabel("Room or machine").SelectOptionAsync(roomId.ToString());
        await page.GetByLabel("Minutes late").FillAsync("20");
        await page.Locator("#message").FillAsync("The machine needed a restart.");
        await page.Locator("#post-delay-button").ClickAsync();
        await page.Locator("#delays-done").WaitForAsync();
        Assert.Equal("1 customer", (await page.Locator(".delay-emailed").Last.InnerTextAsync()).Trim());
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        var delayEmail = Assert.Single(await MailDev.WaitForAsync(customerEmail));
        Assert.Contains("20 min", delayEmail.GetProperty("text").GetString());

        // The schedule shows the running delay beside the day's visits.
        await page.GotoAsync("/staff/schedule?location=riverside");
        Assert.Contains($"{roomName} 20 min", await page.Locator("#schedule-delays").InnerTextAsync());

        // Back on the visit: complete it, and checkout offers next year's visit.
        await page.GotoAsync($"/staff/visits/{visitId}");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Locator($"#complete-{visitId}").ClickAsync();
        await page.WaitForURLAsync($"**/staff/visits/{visitId}/next**");
        var proposed = await page.Locator("#chosen-time").InnerTextAsync();
        Assert.Contains(DateTime.UtcNow.Year + 1 + "", proposed);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Locator("#book-next").ClickAsync();
        await page.WaitForURLAsync($"**/staff/visits/{visitId}");
        Assert.Contains("Booked Birdie's next visit", await page.Locator("#visit-done").InnerTextAsync());

        // Exactly one confirmation with an invite, and the visit on a covered date a year on.
        // (The after-visit message may come too, whenever its job fires; it is not what this checks.)
        await Eventually.TrueAsync(async () => (await MailDev.MessagesToAsync(customerEmail)).Any(IsInvite), TimeSpan.FromSeconds(30), "the confirmation");
        var emails = (await MailDev.MessagesToAsync(customerEmail))
            .Where(e => !e.GetProperty("subject").GetString()!.StartsWith("Thank you for visiting", StringComparison.Ordinal)).ToList();
        var confirmation = Assert.Single(emails, IsInvite);
        Assert.Equal(2, emails.Count);
        await using var scope = live.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var visits = await db.Appointments.Where(a => a.Customer!.NormalizedEmail == customerEmail).OrderBy(a => a.Start).ToListAsync();
        Assert.Equal([AppointmentStatus.Completed, AppointmentStatus.Booked], visits.Select(v => v.Status));
        Assert.True(visits[1].Start >= visits[0].Start.AddDays(364), $"next visit {visits[1].Start:O} is not a year after {visits[0].Start:O}");
        Assert.Equal(BookingSource.FrontDesk, visits[1].Source);
        Assert.StartsWith("Booked: ", confirmation.GetProperty("subject").GetString());
        Assert.Contains((visits[1].Start.Year).ToString(), confirmation.GetProperty("subject").GetString());
    }

    /// <summary>
    /// A visit on today's schedule in a room of its own (so other tests' bookings never collide with it), started a few
    /// minutes ago and not yet checked in, for a customer who goes by "Birdie".
    /// </summary>
    internal static async Task<(Guid Visit, Guid Room, string RoomName)> SeedTodaysVisitAsync(LiveApp live, string email)
    {
        await using var scope = live.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var location = await db.Locations.SingleAsync(l => l.Slug == "riverside");
        var service = await db.Services.SingleAsync(s => s.Slug == "screening-mammogram");
        var room = new Resource { Id = Guid.CreateVersion7(), LocationId = location.Id, Name = "Room B-" + Guid.NewGuid().ToString("N")[..4], Services = [service] };
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = "Bernadette Flow", PreferredName = "Birdie", Email = email,
            DateOfBirth = new DateOnly(1970, 3, 4), CreatedAt = clock.GetUtcNow(),
        };
        var now = clock.GetUtcNow();
        var start = now.AddMinutes(-5);
        // Just after local midnight "five minutes ago" is yesterday; then the visit starts in a minute instead.
        if (TimeZoneInfo.ConvertTime(start, location.TimeZone).Date != TimeZoneInfo.ConvertTime(now, location.TimeZone).Date)
            start = now.AddMinutes(1);
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = service.Id, LocationId = location.Id, ResourceId = room.Id,
            Source = BookingSource.Online, CreatedAt = now.AddDays(-14),
        };
        visit.Schedule(start, service.Duration, service.Buffer);
        db.AddRange(room, customer, visit);
        await db.SaveChangesAsync();
        return (visit.Id, room.Id, room.Name);
    }

    private static bool IsInvite(JsonElement email) => email.GetProperty("attachments").ValueKind == JsonValueKind.Array;
}
