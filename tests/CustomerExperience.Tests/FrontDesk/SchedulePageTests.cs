using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.FrontDesk;

/// <summary>The day schedule: a column per room with its visits, in the location's zone, whatever the server's.</summary>
public class SchedulePageTests : IAsyncLifetime
{
    // Monday 30 November 2026, 08:30 in New York (13:30Z).
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 30, 13, 30, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private TestClinic clinic = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(SchedulePageTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        clinic = await TestClinic.SeedAsync(app.Services, rooms: 2);
        client = await StaffSignIn.ClientAsync(app, StaffRoles.FrontDesk);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static DateTimeOffset Eastern(int month, int day, int hour, int minute = 0, int offset = -5) =>
        new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(offset));

    [Fact]
    public async Task Shows_each_rooms_visits_of_the_local_day_with_preferred_names_statuses_and_day_links()
    {
        var rooms = await FrontDeskSeed.RoomsAsync(app.Services, clinic);
        var lotte = await FrontDeskSeed.CustomerAsync(app.Services, "Charlotte Example", "Lotte", pronunciation: "LOT-uh");
        var sam = await FrontDeskSeed.CustomerAsync(app.Services, "Sam Plain", preferredName: null);
        var late = await FrontDeskSeed.CustomerAsync(app.Services, "Nora Late", "Nory");
        var early = await FrontDeskSeed.CustomerAsync(app.Services, "Eve Before", "Evie");

        var booked = await FrontDeskSeed.VisitAsync(app.Services, clinic, lotte.Id, Eastern(11, 30, 9), resourceId: rooms[0]);
        var checkedIn = await FrontDeskSeed.VisitAsync(app.Services, clinic, sam.Id, Eastern(11, 30, 10), AppointmentStatus.CheckedIn, rooms[0]);
        var cancelled = await FrontDeskSeed.VisitAsync(app.Services, clinic, sam.Id, Eastern(11, 30, 11), AppointmentStatus.Cancelled, rooms[1]);
        // 23:30 on 30 November in New York is already 1 December in UTC; 23:30 on the 29th is already the 30th in UTC.
        var evening = await FrontDeskSeed.VisitAsync(app.Services, clinic, late.Id, Eastern(11, 30, 23, 30), resourceId: rooms[1]);
        var dayBefore = await FrontDeskSeed.VisitAsync(app.Services, clinic, early.Id, Eastern(11, 29, 23, 30), resourceId: rooms[1]);
        var tomorrow = await FrontDeskSeed.VisitAsync(app.Services, clinic, lotte.Id, Eastern(12, 1, 9), resourceId: rooms[0]);

        var response = await client.GetAsync("/staff/schedule");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await FrontDeskSeed.TextAsync(response);

        Assert.Contains("Monday, November 30, 2026", html);
        Assert.Contains("Test Screening Center", html);
        var room1 = FrontDeskSeed.Element(html, $"resource-{rooms[0]}", "section");
        var room2 = FrontDeskSeed.Element(html, $"resource-{rooms[1]}", "section");
        Assert.Contains("Room 1", room1);
        Assert.Contains("Open 8:00 AM–12:00 PM, 1:00 PM–5:00 PM", room1);

        var first = FrontDeskSeed.Element(room1, $"visit-{booked.Id}", "li");
        Assert.Contains("9:00 AM–9:30 AM", first);
        Assert.Contains(">Lotte</a>", first);
        Assert.Contains("(Charlotte Example)", first);
        Assert.Contains("say “LOT-uh”", first);
        Assert.Contains("Screening mammogram", first);
        Assert.Contains(">Booked</span>", first);
        Assert.Contains($"id=\"checkin-{booked.Id}\"", first);
        Assert.Contains("__RequestVerificationToken", first);

        var second = FrontDeskSeed.Element(room1, $"visit-{checkedIn.Id}", "li");
        Assert.Contains("10:00 AM–10:30 AM", second);
        Assert.Contains(">Sam Plain</a>", second);
        Assert.Contains(">Checked in</span>", second);
        Assert.DoesNotContain($"id=\"checkin-{checkedIn.Id}\"", second);
        Assert.Contains($"id=\"complete-{checkedIn.Id}\"", second);
        Assert.True(html.IndexOf($"visit-{booked.Id}", StringComparison.Ordinal) < html.IndexOf($"visit-{checkedIn.Id}", StringComparison.Ordinal));

        Assert.Contains(">Cancelled</span>", FrontDeskSeed.Element(room2, $"visit-{cancelled.Id}", "li"));
        Assert.DoesNotContain("<form", FrontDeskSeed.Element(room2, $"visit-{cancelled.Id}", "li"));
        Assert.Contains("11:30 PM–12:00 AM", FrontDeskSeed.Element(room2, $"visit-{evening.Id}", "li"));
        Assert.DoesNotContain($"visit-{dayBefore.Id}", html);
        Assert.DoesNotContain($"visit-{tomorrow.Id}", html);

        var location = Uri.EscapeDataString(await FrontDeskSeed.QueryAsync(app.Services, db => Task.FromResult(db.Locations.Single().Slug)));
        Assert.Contains($"href=\"/staff/schedule?location={location}&date=2026-11-29\" id=\"previous-day\"", html);
        Assert.Contains($"href=\"/staff/schedule?location={location}&date=2026-12-01\" id=\"next-day\"", html);

        var next = await FrontDeskSeed.TextAsync(await client.GetAsync($"/staff/schedule?location={location}&date=2026-12-01"));
        Assert.Contains("Tuesday, December 1, 2026", next);
        Assert.Contains($"visit-{tomorrow.Id}", next);
        Assert.DoesNotContain($"visit-{booked.Id}", next);
        Assert.Contains($"id=\"today\"", next);
        // Another day's visit has no check-in button: only today's can be checked in.
        Assert.DoesNotContain($"id=\"checkin-{tomorrow.Id}\"", next);
    }

    [Fact]
    public async Task Today_is_the_locations_today_not_the_servers()
    {
        // 02:00Z on 1 December is still 30 November, 21:00, in New York.
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));
        var evening = await StaffSignIn.ClientAsync(app, StaffRoles.FrontDesk); // the morning's sign-in has expired by now
        var html = await FrontDeskSeed.TextAsync(await evening.GetAsync("/staff/schedule"));
        Assert.Contains("Monday, November 30, 2026", html);
    }

    [Fact]
    public async Task On_the_day_clocks_go_forward_visits_keep_their_local_times()
    {
        var rooms = await FrontDeskSeed.RoomsAsync(app.Services, clinic);
        var customer = await FrontDeskSeed.CustomerAsync(app.Services, "Dana Spring", "Dee");
        // Sunday 8 March 2026: 02:00 EST becomes 03:00 EDT.
        var beforeChange = await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Eastern(3, 8, 1, 30), resourceId: rooms[0]);
        var afterChange = await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Eastern(3, 8, 3, 30, offset: -4), resourceId: rooms[0]);
        var lastOfDay = await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Eastern(3, 8, 23, 30, offset: -4), resourceId: rooms[0]);
        var nextDay = await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Eastern(3, 9, 0, 30, offset: -4), resourceId: rooms[0]);

        var html = await FrontDeskSeed.TextAsync(await client.GetAsync("/staff/schedule?date=2026-03-08"));

        Assert.Contains("Sunday, March 8, 2026", html);
        Assert.Contains("Clocks go forward an hour today", html);
        // Half an hour after 01:30 EST is 03:00 EDT.
        Assert.Contains("1:30 AM–3:00 AM", FrontDeskSeed.Element(html, $"visit-{beforeChange.Id}", "li"));
        Assert.Contains("3:30 AM–4:00 AM", FrontDeskSeed.Element(html, $"visit-{afterChange.Id}", "li"));
        Assert.Contains("11:30 PM–12:00 AM", FrontDeskSeed.Element(html, $"visit-{lastOfDay.Id}", "li"));
        Assert.DoesNotContain($"visit-{nextDay.Id}", html);
        Assert.Contains("Closed today", html);
    }

    [Fact]
    public async Task An_unknown_location_or_a_malformed_date_gets_a_clear_message_and_a_4xx()
    {
        var unknown = await client.GetAsync("/staff/schedule?location=nowhere");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("There is no such location", await FrontDeskSeed.TextAsync(unknown));

        var unknownId = await client.GetAsync($"/staff/schedule?location={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknownId.StatusCode);

        foreach (var date in new[] { "30-11-2026", "2026-02-30", "tomorrow", "0001-01-01", new string('9', 500) })
        {
            var response = await client.GetAsync($"/staff/schedule?date={Uri.EscapeDataString(date)}");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{date}: {(int)response.StatusCode}");
            Assert.Contains("That is not a date", await FrontDeskSeed.TextAsync(response));
        }
    }

    [Fact]
    public async Task The_location_can_be_named_by_id_and_the_links_keep_it()
    {
        var html = await FrontDeskSeed.TextAsync(await client.GetAsync($"/staff/schedule?location={clinic.LocationId}&date=2026-12-02"));
        Assert.Contains("Wednesday, December 2, 2026", html);
        Assert.Contains("&date=2026-12-03\" id=\"next-day\"", html);
        Assert.Contains("selected=\"selected\">Test Screening Center</option>", html);
    }
}
