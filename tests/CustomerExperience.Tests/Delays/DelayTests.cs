using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Delays;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Jobs;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Delays;

/// <summary>
/// "Running N minutes late": posted on /staff/delays, emailed through the outbox to exactly the customers it concerns
/// (counted in maildev), shown on their manage page and on the public waiting-room screen.
/// </summary>
public class DelayTests : IAsyncLifetime
{
    // Wednesday 2 December 2026, 09:00 in New York (EST, UTC-5).
    private static readonly DateTimeOffset Nine = new(2026, 12, 2, 14, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Nine);
    private AppFactory app = null!;
    private TestClinic clinic = null!;
    private Guid room2;
    private Location location = null!;
    private HttpClient staff = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(DelayTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        app.With("RateLimits:PublicWritePerMinute", "1000");
        clinic = await TestClinic.SeedAsync(app.Services, rooms: 2);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        room2 = await db.Resources.Where(r => r.LocationId == clinic.LocationId && r.Id != clinic.RoomId).Select(r => r.Id).SingleAsync();
        location = await db.Locations.AsNoTracking().SingleAsync(l => l.Id == clinic.LocationId);
        staff = await StaffSignIn.ClientAsync(app, StaffRoles.FrontDesk);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private sealed record Visit(Guid Id, string Token, string Email, string Name);

    /// <summary>A visit at a local (New York) time today, in the state the test needs.</summary>
    private async Task<Visit> SeedVisitAsync(string tag, int hour, int minute, Guid resourceId,
        AppointmentStatus status = AppointmentStatus.Booked, bool optedOut = false, DateOnly? day = null)
    {
        var date = day ?? new DateOnly(2026, 12, 2);
        var email = MailDev.UniqueAddress("delay-" + tag);
        var name = $"Customer {tag} {Guid.NewGuid().ToString("N")[..6]}";
        var token = ManageToken.New();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customer = new Customer { Id = Guid.CreateVersion7(), FullName = name, Email = email, CreatedAt = Nine, EmailOptOut = optedOut };
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = clinic.ServiceId, LocationId = clinic.LocationId,
            ResourceId = resourceId, CreatedAt = Nine.AddDays(-10),
        };
        visit.Schedule(new DateTimeOffset(date.Year, date.Month, date.Day, hour, minute, 0, TestClinic.Eastern), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
        if (status == AppointmentStatus.CheckedIn) visit.CheckIn(clock.GetUtcNow());
        if (status == AppointmentStatus.Cancelled) visit.Cancel("test", Nine.AddDays(-1));
        db.Customers.Add(customer);
        db.Appointments.Add(visit);
        ManageToken.Keep(db, visit.Id, token, Nine.AddDays(-10));
        await db.SaveChangesAsync();
        return new Visit(visit.Id, token, email, name);
    }

    private async Task<HttpResponseMessage> PostDelayAsync(string minutes, Guid? resourceId = null, string? message = null, Guid? locationId = null) =>
        await StaffSignIn.PostFormAsync(staff, "/staff/delays", new()
        {
            ["locationId"] = (locationId ?? clinic.LocationId).ToString(),
            ["resourceId"] = resourceId?.ToString() ?? "",
            ["minutes"] = minutes,
            ["message"] = message ?? "",
        });

    private async Task<HttpResponseMessage> ChangeAsync(Guid delayId, string minutes) =>
        await StaffSignIn.PostFormAsync(staff, "/staff/delays", new() { ["newMinutes"] = minutes }, $"/staff/delays?handler=Change&id={delayId}");

    private async Task<HttpResponseMessage> ClearAsync(Guid delayId) =>
        await StaffSignIn.PostFormAsync(staff, "/staff/delays", new(), $"/staff/delays?handler=Clear&id={delayId}");

    private async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private Task<Delay> ActiveDelayAsync(Guid? resourceId = null) =>
        DbAsync(db => db.Delays.AsNoTracking().SingleAsync(d => d.ClearedAt == null && d.ResourceId == resourceId));

    private Task<int> QueuedDelayEmailsAsync() => DbAsync(db => db.OutboundEmails.CountAsync(e => e.Kind == DelayEmails.Kind));

    private async Task DeliverAsync() =>
        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);

    private async Task<int> RunJobAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DelayNotifier>().NotifyAllAsync(default);
    }

    /// <summary>Waits until everyone expected has their mail, then the counts must be exact for everyone.</summary>
    private static async Task AssertMailCountsAsync(params (Visit Visit, int Count)[] expected)
    {
        foreach (var (visit, count) in expected.Where(e => e.Count > 0))
            await MailDev.WaitForAsync(visit.Email, count);
        foreach (var (visit, count) in expected)
            Assert.True((await MailDev.MessagesToAsync(visit.Email)).Count == count, $"{visit.Name}: expected {count} email(s)");
    }

    private static void AssertRedirect(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect, got {(int)response.StatusCode}");

    [Fact]
    public async Task Posting_15_minutes_emails_exactly_the_affected_customers_once_and_raising_it_to_30_emails_them_once_more()
    {
        var checkedIn = await SeedVisitAsync("checkedin", 8, 45, clinic.RoomId, AppointmentStatus.CheckedIn);
        var soon = await SeedVisitAsync("soon", 10, 0, clinic.RoomId, optedOut: true);
        var otherRoom = await SeedVisitAsync("room2", 9, 30, room2);
        var later = await SeedVisitAsync("later", 12, 0, clinic.RoomId);     // three hours out
        var cancelled = await SeedVisitAsync("cancelled", 9, 45, clinic.RoomId, AppointmentStatus.Cancelled);
        var over = await SeedVisitAsync("over", 8, 0, room2, AppointmentStatus.CheckedIn); // ended 08:30, even 15 late it is over

        AssertRedirect(await PostDelayAsync("15", message: "The scanner needed a restart."));
        await DeliverAsync();
        await AssertMailCountsAsync((checkedIn, 1), (soon, 1), (otherRoom, 1), (later, 0), (cancelled, 0), (over, 0));

        var delay = await ActiveDelayAsync();
        var page = await staff.GetStringAsync("/staff/delays");
        Assert.Contains($"id=\"emailed-{delay.Id}\">3 customers", page);
        Assert.Contains("Test FrontDesk", page);

        AssertRedirect(await ChangeAsync(delay.Id, "30"));
        await DeliverAsync();
        await AssertMailCountsAsync((checkedIn, 2), (soon, 2), (otherRoom, 2), (later, 0), (cancelled, 0), (over, 0));
        Assert.Equal(6, await QueuedDelayEmailsAsync());

        // The waiting-room screen shows the delay and nothing about anyone.
        var waiting = await app.CreateClient().GetAsync($"/waiting/{location.Slug}");
        Assert.Equal(HttpStatusCode.OK, waiting.StatusCode);
        var screen = await waiting.Content.ReadAsStringAsync();
        Assert.Contains("Test Screening Center", screen);
        Assert.Contains("running about <span class=\"minutes\">30 minutes</span> late", screen);
        Assert.Contains("The scanner needed a restart.", screen);
        Assert.Contains("Updated 9:00 AM", screen);
        Assert.Contains("data-refresh-seconds=\"60\"", screen);
        Assert.Contains("/js/waiting.js", screen);
        Assert.DoesNotContain("http-equiv=\"refresh\"", screen);
        foreach (var visit in new[] { checkedIn, soon, otherRoom, later, cancelled, over })
        {
            Assert.DoesNotContain(visit.Name, screen);
            Assert.DoesNotContain(visit.Email, screen);
            Assert.DoesNotContain("Customer ", screen);
        }
        Assert.DoesNotContain("Test FrontDesk", screen);
        Assert.DoesNotContain("@", screen);
    }

    [Fact]
    public async Task The_email_gives_the_new_expected_time_the_message_and_the_manage_link_without_the_service_in_the_subject()
    {
        var soon = await SeedVisitAsync("content", 10, 0, clinic.RoomId, optedOut: true);
        AssertRedirect(await PostDelayAsync("15", message: "Sorry, the scanner needed a restart."));
        await DeliverAsync();

        var message = Assert.Single(await MailDev.WaitForAsync(soon.Email));
        var subject = message.GetProperty("subject").GetString()!;
        Assert.Equal("Running late: Test Screening Center, your visit now about 10:15 AM", subject);
        Assert.DoesNotContain("mammogram", subject, StringComparison.OrdinalIgnoreCase);
        var text = message.GetProperty("text").GetString()!;
        Assert.Contains("running about 15 minutes late", text);
        Assert.Contains("booked for 10:00 AM is now expected to start at about 10:15 AM", text);
        Assert.Contains("From the clinic: Sorry, the scanner needed a restart.", text);
        var manage = Regex.Match(text, @"http://127\.0\.0\.1:5080(/manage/\S+)").Groups[1].Value;
        // A link of its own; the one from the booking still works too.
        Assert.NotEqual($"/manage/{soon.Token}", manage);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync($"/manage/{soon.Token}")).StatusCode);

        var visitPage = await app.CreateClient().GetStringAsync(manage);
        Assert.Contains("id=\"delay\"", visitPage);
        Assert.Contains("The clinic is running about <span id=\"delay-minutes\">15</span> minutes late; expected time", visitPage);
        Assert.Contains("<strong id=\"expected-time\">10:15 AM</strong>", visitPage);
    }

    [Fact]
    public async Task Raising_by_less_than_10_minutes_or_lowering_sends_nothing_new_and_reposting_the_same_place_updates_its_delay()
    {
        var soon = await SeedVisitAsync("step", 9, 30, clinic.RoomId);
        AssertRedirect(await PostDelayAsync("15"));
        var delay = await ActiveDelayAsync();
        Assert.Equal(1, await QueuedDelayEmailsAsync());

        AssertRedirect(await ChangeAsync(delay.Id, "24"));
        Assert.Equal(1, await QueuedDelayEmailsAsync());
        AssertRedirect(await ChangeAsync(delay.Id, "5"));
        AssertRedirect(await ChangeAsync(delay.Id, "20"));
        Assert.Equal(1, await QueuedDelayEmailsAsync());
        Assert.Equal(0, await RunJobAsync());

        // Posting again for the whole location updates the running delay (one per place) and, 10+ more than they were told, emails.
        AssertRedirect(await PostDelayAsync("25", message: "Two machines are down."));
        var updated = await ActiveDelayAsync();
        Assert.Equal(delay.Id, updated.Id);
        Assert.Equal(25, updated.Minutes);
        Assert.Equal("Two machines are down.", updated.Message);
        Assert.Equal(1, await DbAsync(db => db.Delays.CountAsync()));
        Assert.Equal(2, await QueuedDelayEmailsAsync());

        await DeliverAsync();
        await AssertMailCountsAsync((soon, 2));
        var notice = await DbAsync(db => db.DelayNotices.SingleAsync());
        Assert.Equal(25, notice.Minutes);
    }

    [Fact]
    public async Task A_room_delay_reaches_only_that_room_and_each_visit_hears_the_larger_delay_that_applies()
    {
        var room1Visit = await SeedVisitAsync("r1", 9, 30, clinic.RoomId);
        var room2Visit = await SeedVisitAsync("r2", 9, 30, room2);

        AssertRedirect(await PostDelayAsync("20", resourceId: clinic.RoomId));
        await DeliverAsync();
        await AssertMailCountsAsync((room1Visit, 1), (room2Visit, 0));

        // A smaller location-wide delay alongside: room 2 hears 10; room 1 still expects 20 and hears nothing new.
        AssertRedirect(await PostDelayAsync("10"));
        await DeliverAsync();
        await AssertMailCountsAsync((room1Visit, 1), (room2Visit, 1));
        var room2Mail = Assert.Single(await MailDev.MessagesToAsync(room2Visit.Email));
        Assert.Contains("about 9:40 AM", room2Mail.GetProperty("subject").GetString());

        var anonymous = app.CreateClient();
        Assert.Contains("<strong id=\"expected-time\">9:50 AM</strong>", await anonymous.GetStringAsync($"/manage/{room1Visit.Token}"));
        Assert.Contains("<strong id=\"expected-time\">9:40 AM</strong>", await anonymous.GetStringAsync($"/manage/{room2Visit.Token}"));

        var screen = await anonymous.GetStringAsync($"/waiting/{location.Slug}");
        Assert.Contains("<strong>Room 1</strong>: about <span class=\"minutes\">20 minutes</span> late", screen);
        Assert.Contains("running about <span class=\"minutes\">10 minutes</span> late", screen);
    }

    [Fact]
    public async Task The_job_tells_a_customer_who_comes_within_two_hours_later_exactly_once()
    {
        var now = await SeedVisitAsync("now", 9, 30, clinic.RoomId);
        var later = await SeedVisitAsync("job-later", 11, 30, clinic.RoomId);
        AssertRedirect(await PostDelayAsync("15"));
        Assert.Equal(0, await RunJobAsync());

        clock.SetUtcNow(Nine.AddMinutes(29));
        Assert.Equal(0, await RunJobAsync());   // 11:30 is still more than two hours away at 09:29
        clock.SetUtcNow(Nine.AddMinutes(30));
        Assert.Equal(1, await RunJobAsync());
        Assert.Equal(0, await RunJobAsync());
        clock.SetUtcNow(Nine.AddMinutes(31));
        Assert.Equal(0, await RunJobAsync());

        await DeliverAsync();
        await AssertMailCountsAsync((now, 1), (later, 1));
        var mail = Assert.Single(await MailDev.MessagesToAsync(later.Email));
        Assert.Contains("booked for 11:30 AM is now expected to start at about 11:45 AM", mail.GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_job_is_the_thin_hangfire_wrapper_of_the_notifier()
    {
        var later = await SeedVisitAsync("job", 11, 30, clinic.RoomId);
        AssertRedirect(await PostDelayAsync("15"));
        clock.SetUtcNow(Nine.AddMinutes(45));
        await using var scope = app.Services.CreateAsyncScope();
        var job = new NotifyDelaysJob(scope.ServiceProvider.GetRequiredService<DelayNotifier>(), app.Services.GetRequiredService<OneAtATime>());
        await job.RunAsync(default);
        await job.RunAsync(default);
        Assert.Equal(1, await DbAsync(db => db.OutboundEmails.CountAsync(e => e.ToAddress == later.Email)));
    }

    [Fact]
    public async Task Clearing_ends_the_delay_on_the_waiting_screen_the_manage_page_and_for_the_job()
    {
        var soon = await SeedVisitAsync("clear", 9, 30, clinic.RoomId);
        var later = await SeedVisitAsync("clear-later", 11, 30, clinic.RoomId);
        AssertRedirect(await PostDelayAsync("15", message: "Running behind."));
        var delay = await ActiveDelayAsync();
        var anonymous = app.CreateClient();
        Assert.Contains("id=\"delay\"", await anonymous.GetStringAsync($"/manage/{soon.Token}"));

        AssertRedirect(await ClearAsync(delay.Id));
        var cleared = await DbAsync(db => db.Delays.AsNoTracking().SingleAsync());
        Assert.Equal(Nine, cleared.ClearedAt);
        Assert.Equal("Test FrontDesk", cleared.ClearedBy);

        Assert.DoesNotContain("id=\"delay\"", await anonymous.GetStringAsync($"/manage/{soon.Token}"));
        var screen = await anonymous.GetStringAsync($"/waiting/{location.Slug}");
        Assert.Contains("id=\"on-time\"", screen);
        Assert.DoesNotContain("Running behind.", screen);
        Assert.Contains("id=\"no-delays\"", await staff.GetStringAsync("/staff/delays"));

        clock.SetUtcNow(Nine.AddMinutes(45));
        Assert.Equal(0, await RunJobAsync());
        Assert.Equal(1, await QueuedDelayEmailsAsync());

        // Clearing twice: the second finds it ended; an unknown delay is a 404.
        Assert.Equal(HttpStatusCode.Conflict, (await ClearAsync(delay.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ClearAsync(Guid.NewGuid())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ChangeAsync(Guid.NewGuid(), "20")).StatusCode);
    }

    [Fact]
    public async Task An_inactive_locations_waiting_screen_is_a_404_saying_it_is_not_taking_visitors_without_its_delays()
    {
        AssertRedirect(await PostDelayAsync("25", message: "The scanner needed a restart."));
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        var editPage = $"/staff/admin/locations/{location.Id}";
        var version = Regex.Match(await admin.GetStringAsync(editPage), "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        AssertRedirect(await StaffSignIn.PostFormAsync(admin, editPage, new() { ["version"] = version }, $"{editPage}?handler=Deactivate"));

        var waiting = await app.CreateClient().GetAsync($"/waiting/{location.Slug}");
        Assert.Equal(HttpStatusCode.NotFound, waiting.StatusCode);
        var screen = await waiting.Content.ReadAsStringAsync();
        Assert.Contains("<h2 id=\"not-taking-visitors-heading\">This location is not taking visitors at the moment</h2>", screen);
        Assert.Contains("<h1 id=\"location-name\">Test Screening Center</h1>", screen);
        Assert.DoesNotContain("25 minutes", screen);
        Assert.DoesNotContain("The scanner needed a restart.", screen);
        Assert.DoesNotContain("id=\"on-time\"", screen);
        // Still the waiting screen, fetching itself: it shows the delays again once the location reopens.
        Assert.Contains("<body class=\"waiting\" data-refresh-seconds=\"60\">", screen);
        Assert.Contains("/js/waiting.js", screen);

        var unknown = await app.CreateClient().GetAsync("/waiting/no-such-location");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.DoesNotContain("not taking visitors", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_delay_left_running_overnight_does_not_reach_the_next_mornings_customers()
    {
        AssertRedirect(await PostDelayAsync("45"));
        var tomorrow = await SeedVisitAsync("tomorrow", 9, 30, clinic.RoomId, day: new DateOnly(2026, 12, 3));

        clock.SetUtcNow(Nine.AddDays(1));
        Assert.Equal(0, await RunJobAsync());
        Assert.NotNull((await DbAsync(db => db.Delays.AsNoTracking().SingleAsync())).ClearedAt);
        var anonymous = app.CreateClient();
        Assert.DoesNotContain("id=\"delay\"", await anonymous.GetStringAsync($"/manage/{tomorrow.Token}"));
        Assert.Contains("id=\"on-time\"", await anonymous.GetStringAsync($"/waiting/{location.Slug}"));
        Assert.Equal(0, await QueuedDelayEmailsAsync());
    }

    [Fact]
    public async Task Bad_input_gets_a_message_and_a_400_and_saves_nothing()
    {
        await SeedVisitAsync("bad", 9, 30, clinic.RoomId);
        var elsewhere = await TestClinic.SeedAsync(app.Services);
        var cases = new (Func<Task<HttpResponseMessage>> Post, string Message)[]
        {
            (() => PostDelayAsync("0"), "Enter a whole number of minutes from 5 to 240."),
            (() => PostDelayAsync("1000"), "Enter a whole number of minutes from 5 to 240."),
            (() => PostDelayAsync("fifteen"), "Enter a whole number of minutes from 5 to 240."),
            (() => PostDelayAsync(""), "Enter how many minutes late the clinic is running."),
            (() => PostDelayAsync("15", locationId: Guid.NewGuid()), "Choose a location from the list."),
            (() => PostDelayAsync("15", resourceId: Guid.NewGuid()), "Choose a room or machine from the list, or the whole location."),
            (() => PostDelayAsync("15", resourceId: elsewhere.RoomId), "Room 1 is not at Test Screening Center."),
            (() => PostDelayAsync("15", message: "Sorry\r\nBcc: all@example.com"), "The message must be one line"),
            (() => PostDelayAsync("15", message: new string('x', 301)), "Keep the message to 300 characters"),
            (() => StaffSignIn.PostFormAsync(staff, "/staff/delays", new() { ["locationId"] = "not-a-guid", ["minutes"] = "15" }), "Choose a location from the list."),
        };
        foreach (var (post, message) in cases)
        {
            var response = await post();
            var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{message}: {(int)response.StatusCode}");
            Assert.Contains(message, body);
            Assert.Contains("id=\"delays-errors\"", body);
        }
        Assert.Equal(0, await DbAsync(db => db.Delays.CountAsync()));
        Assert.Equal(0, await DbAsync(db => db.AuditEntries.CountAsync()));
        Assert.Equal(0, await QueuedDelayEmailsAsync());

        AssertRedirect(await PostDelayAsync("15"));
        var delay = await ActiveDelayAsync();
        foreach (var minutes in new[] { "0", "1000", "soon", "" })
        {
            var response = await ChangeAsync(delay.Id, minutes);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains($"id=\"minutes-{delay.Id}-error\"", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(15, (await ActiveDelayAsync()).Minutes);
    }

    [Fact]
    public async Task Posting_changing_and_clearing_are_audited_with_the_staff_members_name()
    {
        AssertRedirect(await PostDelayAsync("15", resourceId: clinic.RoomId, message: "Room 1 is behind."));
        var delay = await ActiveDelayAsync(clinic.RoomId);
        Assert.Equal("Test FrontDesk", delay.PostedBy);
        AssertRedirect(await ChangeAsync(delay.Id, "30"));
        AssertRedirect(await ClearAsync(delay.Id));

        var entries = await DbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["delay.posted", "delay.changed", "delay.cleared"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("Test FrontDesk", e.StaffName));
        Assert.Equal("Room 1 at Test Screening Center: running 15 minutes late (\"Room 1 is behind.\")", entries[0].Details);
        Assert.Equal("Room 1 at Test Screening Center: from 15 to 30 minutes late", entries[1].Details);
        Assert.Equal("Room 1 at Test Screening Center: cleared (was 30 minutes late)", entries[2].Details);
    }

    [Fact]
    public async Task Two_front_desks_posting_for_the_same_place_at_once_leave_one_delay_and_one_email_each()
    {
        var soon = await SeedVisitAsync("race", 9, 30, clinic.RoomId);
        var other = await StaffSignIn.ClientAsync(app, StaffRoles.FrontDesk);
        var form = new Dictionary<string, string> { ["locationId"] = clinic.LocationId.ToString(), ["resourceId"] = "", ["minutes"] = "20", ["message"] = "" };
        var responses = await Task.WhenAll(
            StaffSignIn.PostFormAsync(staff, "/staff/delays", form),
            StaffSignIn.PostFormAsync(other, "/staff/delays", form));
        Assert.All(responses, AssertRedirect);
        Assert.Equal(1, await DbAsync(db => db.Delays.CountAsync()));
        Assert.Equal(1, await DbAsync(db => db.OutboundEmails.CountAsync(e => e.ToAddress == soon.Email)));
    }

    [Fact]
    public async Task The_waiting_page_of_an_unknown_location_is_a_404_page()
    {
        var anonymous = app.CreateClient();
        var unknown = await anonymous.GetAsync("/waiting/no-such-clinic");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Page not found", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/waiting/" + new string('a', 300))).StatusCode);

        var onTime = await anonymous.GetStringAsync($"/waiting/{location.Slug}");
        Assert.Contains("<h1 id=\"location-name\">Test Screening Center</h1>", onTime);
        Assert.Contains("id=\"on-time\"", onTime);
    }
}
