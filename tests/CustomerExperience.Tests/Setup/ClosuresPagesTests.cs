using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerExperience.Tests.Setup;

/// <summary>/staff/admin/closures: closed days per location or room, and the booked visits on them.</summary>
public partial class ClosuresPagesTests : IAsyncLifetime
{
    private const string Page = "/staff/admin/closures";
    private SetupAdmin setup = null!;

    public async Task InitializeAsync() => setup = await SetupAdmin.StartAsync(nameof(ClosuresPagesTests));

    public async Task DisposeAsync() => await setup.DisposeAsync();

    private List<KeyValuePair<string, string>> Closure(string from, string? to = null, string reason = "Staff training", Guid? location = null) =>
    [
        new("location", (location ?? setup.Test.LocationId).ToString()), new("resourceId", ""), new("from", from), new("to", to ?? ""), new("reason", reason),
    ];

    private Task<List<LocationClosure>> ClosuresAsync() => setup.Clinic.DbAsync(db => db.LocationClosures.AsNoTracking().ToListAsync());

    private static DateOnly LocalDay(Appointment visit) =>
        Location.DateIn(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), visit.Start);

    [Fact]
    public async Task A_closure_over_booked_visits_lists_exactly_those_and_moving_them_sends_one_updated_invite_each()
    {
        var (first, second) = (MailDev.UniqueAddress("closed-am"), MailDev.UniqueAddress("closed-pm"));
        var morning = await setup.BookAsync(TestClinic.At(2026, 12, 2, 9, 0), first);
        var afternoon = await setup.BookAsync(TestClinic.At(2026, 12, 2, 14, 0), second);
        var nextDay = await setup.BookAsync(TestClinic.At(2026, 12, 3, 9, 0), MailDev.UniqueAddress("next-day"));
        var (cancelled, token) = await setup.Clinic.BookOnlineAsync(TestClinic.At(2026, 12, 2, 10, 0), MailDev.UniqueAddress("cancelled"));
        Assert.Equal(HttpStatusCode.OK, (await setup.Clinic.App.CreateClient().PostAsync($"/api/v1/bookings/{token}/cancel", null)).StatusCode);
        var elsewhere = await TestClinic.SeedAsync(setup.Clinic.App.Services);
        var other = await setup.Clinic.App.CreateClient().PostAsJsonAsync("/api/v1/bookings",
            elsewhere.Booking(TestClinic.At(2026, 12, 2, 9, 0), MailDev.UniqueAddress("elsewhere")));
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);

        var asked = await SetupAdmin.PostAsync(setup.Admin, Page, Closure("2026-12-02"));

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Equal([morning, afternoon], SetupAdmin.Listed(await SetupAdmin.HtmlAsync(asked)));
        Assert.Empty(await ClosuresAsync());

        var moved = await SetupAdmin.PostAsync(setup.Admin, Page, Closure("2026-12-02").Concat(SetupAdmin.Decide([morning, afternoon], "move")));

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var closure = Assert.Single(await ClosuresAsync());
        Assert.Equal((new DateOnly(2026, 12, 2), new DateOnly(2026, 12, 2), "Staff training"), (closure.From, closure.To, closure.Reason));
        foreach (var id in new[] { morning, afternoon })
        {
            var visit = await setup.VisitAsync(id);
            Assert.Equal(new DateOnly(2026, 12, 3), LocalDay(visit));
            Assert.Equal(1, visit.CalendarSequence);
        }
        Assert.Equal(0, (await setup.VisitAsync(nextDay)).CalendarSequence);
        Assert.Equal(AppointmentStatus.Cancelled, (await setup.VisitAsync(cancelled)).Status);
        await setup.Clinic.DeliverEmailsAsync();
        foreach (var email in new[] { first, second })
        {
            var update = Assert.Single(await SetupAdmin.EmailsAsync(email, "New time:"));
            var ics = await MailDev.AttachmentAsync(update, "invite.ics");
            Assert.Contains("METHOD:REQUEST", ics);
            Assert.Contains("SEQUENCE:1", ics);
            Assert.Equal(2, (await MailDev.MessagesToAsync(email)).Count);
        }
        Assert.Contains("closed that day (Staff training)", (await setup.Clinic.AuditAsync(AuditActions.VisitRescheduled))[0].Details);
        Assert.Contains("Closed Test Screening Center on Wed 2 Dec 2026: Staff training; 2 booked visits affected",
            Assert.Single(await setup.Clinic.AuditAsync(AuditActions.ClosureAdded)).Details);
    }

    [Fact]
    public async Task Asking_the_customers_sends_one_email_each_with_a_working_link_and_keeps_their_visits()
    {
        var emails = new[] { MailDev.UniqueAddress("ask-1"), MailDev.UniqueAddress("ask-2") };
        var visits = new[]
        {
            await setup.BookAsync(TestClinic.At(2026, 12, 7, 9, 0), emails[0]),
            await setup.BookAsync(TestClinic.At(2026, 12, 8, 15, 0), emails[1]),
        };
        var fields = Closure("2026-12-07", "2026-12-08", reason: "Flooring work");

        var asked = await SetupAdmin.PostAsync(setup.Admin, Page, fields);
        Assert.Equal(visits, SetupAdmin.Listed(await SetupAdmin.HtmlAsync(asked)));
        var notified = await SetupAdmin.PostAsync(setup.Admin, Page, fields.Concat(SetupAdmin.Decide(visits, "notify")));

        Assert.Equal(HttpStatusCode.Redirect, notified.StatusCode);
        Assert.Single(await ClosuresAsync());
        await setup.Clinic.DeliverEmailsAsync();
        foreach (var (email, id) in emails.Zip(visits))
        {
            var ask = Assert.Single(await SetupAdmin.EmailsAsync(email, "Please choose a new time: Clinic appointment"));
            var text = ask.GetProperty("text").GetString()!;
            Assert.Contains("Test Screening Center is closed that day (Flooring work).", text);
            var link = ManageLink().Match(text).Value;
            Assert.Equal(HttpStatusCode.OK, (await setup.Clinic.App.CreateClient().GetAsync(new Uri(link).AbsolutePath)).StatusCode);
            var visit = await setup.VisitAsync(id);
            Assert.Equal((AppointmentStatus.Booked, 0), (visit.Status, visit.CalendarSequence));
        }
        Assert.Equal(2, (await setup.Clinic.AuditAsync(AuditActions.VisitAskedToRebook)).Count);

        // Asking again about the same visits sends nothing more; they stay listed as needing attention.
        var rooms = $"/staff/admin/rooms?location={setup.Test.LocationId}";
        var again = await SetupAdmin.PostAsync(setup.Admin, rooms,
            visits.Select(v => new KeyValuePair<string, string>("visits", v.ToString())).Append(new("then", "notify")),
            action: $"/staff/admin/rooms?handler=Resolve&location={setup.Test.LocationId}");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("already asked", WebUtility.HtmlDecode(await setup.Admin.GetStringAsync(again.Headers.Location!.ToString())));
        await setup.Clinic.DeliverEmailsAsync();
        foreach (var email in emails)
            Assert.Equal(2, (await MailDev.MessagesToAsync(email)).Count);
    }

    [Theory]
    [InlineData("2026-12-10", "2026-12-09", "Staff training", "to", "The last closed day is before the first.")]
    [InlineData("10/12/2026", "", "Staff training", "from", "Enter the first closed day as a date")]
    [InlineData("2026-12-10", "", "", "reason", "Say why it is closed")]
    [InlineData("2026-11-01", "2026-11-02", "Staff training", "to", "That closure is over already.")]
    public async Task A_bad_closure_is_refused_naming_the_field_and_nothing_is_saved(string from, string to, string reason, string field, string message)
    {
        var response = await SetupAdmin.PostAsync(setup.Admin, Page, Closure(from, to, reason));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await SetupAdmin.HtmlAsync(response);
        Assert.Contains($"<p class=\"field-error\" id=\"{field}-error\">{message}", html);
        Assert.Empty(await ClosuresAsync());
    }

    [Fact]
    public async Task A_booking_made_while_the_admin_decides_is_listed_again_and_nothing_is_saved()
    {
        var first = await setup.BookAsync(TestClinic.At(2026, 12, 9, 9, 0), MailDev.UniqueAddress("first"));
        var asked = await SetupAdmin.PostAsync(setup.Admin, Page, Closure("2026-12-09"));
        Assert.Equal([first], SetupAdmin.Listed(await SetupAdmin.HtmlAsync(asked)));
        var meanwhile = await setup.BookAsync(TestClinic.At(2026, 12, 9, 11, 0), MailDev.UniqueAddress("meanwhile"));

        var stale = await SetupAdmin.PostAsync(setup.Admin, Page, Closure("2026-12-09").Concat(SetupAdmin.Decide([first], "move")));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var html = await SetupAdmin.HtmlAsync(stale);
        Assert.Contains("The list changed while you were deciding", html);
        Assert.Equal([first, meanwhile], SetupAdmin.Listed(html));
        Assert.Empty(await ClosuresAsync());
        Assert.Equal(0, (await setup.VisitAsync(first)).CalendarSequence);
    }

    /// <summary>
    /// A closure is being saved (its transaction holds the location's row, as the page's does) while a booking for that
    /// day is written: the booking read the day as open, waits on the row at its insert, and once the closure commits the
    /// re-check under that lock refuses it, instead of landing unseen on a closed day.
    /// </summary>
    [Fact]
    public async Task A_booking_written_while_a_closure_of_its_day_commits_is_refused()
    {
        await using var closing = new NpgsqlConnection(setup.Clinic.App.ConnectionString);
        await closing.OpenAsync();
        await using var transaction = await closing.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("""
            SELECT 1 FROM cx.locations WHERE id = @location FOR UPDATE;
            INSERT INTO cx.location_closures (id, location_id, "from", "to", reason) VALUES (gen_random_uuid(), @location, '2026-12-10', '2026-12-10', 'Flood');
            """, closing, transaction))
        {
            hold.Parameters.AddWithValue("location", setup.Test.LocationId);
            await hold.ExecuteNonQueryAsync();
        }

        var booking = setup.Clinic.App.CreateClient().PostAsJsonAsync("/api/v1/bookings",
            setup.Test.Booking(TestClinic.At(2026, 12, 10, 9, 0), MailDev.UniqueAddress("during-closure")));
        await Eventually.TrueAsync(async () => await BlockedBackendsAsync() > 0, TimeSpan.FromSeconds(30), "the booking to wait on the location's row");
        await transaction.CommitAsync();

        var response = await booking;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no longer offered", await response.Content.ReadAsStringAsync());
        Assert.Empty(await setup.Clinic.DbAsync(db => db.Appointments.Where(a => a.LocationId == setup.Test.LocationId).ToListAsync()));
    }

    private async Task<long> BlockedBackendsAsync()
    {
        await using var connection = new NpgsqlConnection(setup.Clinic.App.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_room_closure_lists_only_that_rooms_visits_and_removing_a_closure_reopens_the_day()
    {
        await using (var scope = setup.Clinic.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CustomerExperience.Web.Data.AppDbContext>();
            var service = await db.Services.SingleAsync(s => s.Id == setup.Test.ServiceId);
            var second = new Resource { Id = Guid.CreateVersion7(), LocationId = setup.Test.LocationId, Name = "Room 2", Services = [service] };
            second.WorkingHours.Add(new WorkingHours { Day = DayOfWeek.Friday, Opens = new TimeOnly(8, 0), Closes = new TimeOnly(12, 0) });
            db.Resources.Add(second);
            await db.SaveChangesAsync();
        }
        var onRoom1 = await setup.BookAsync(TestClinic.At(2026, 12, 11, 9, 0), MailDev.UniqueAddress("room1"));
        var onRoom2 = await setup.BookAsync(TestClinic.At(2026, 12, 11, 9, 0), MailDev.UniqueAddress("room2"));
        Assert.NotEqual((await setup.VisitAsync(onRoom1)).ResourceId, (await setup.VisitAsync(onRoom2)).ResourceId);
        var room1 = (await setup.VisitAsync(onRoom1)).ResourceId == setup.Test.RoomId ? onRoom1 : onRoom2;
        var fields = Closure("2026-12-11", reason: "Servicing");
        fields[1] = new("resourceId", setup.Test.RoomId.ToString());

        var asked = await SetupAdmin.PostAsync(setup.Admin, Page, fields);
        Assert.Equal([room1], SetupAdmin.Listed(await SetupAdmin.HtmlAsync(asked)));
        Assert.Equal(HttpStatusCode.Redirect, (await SetupAdmin.PostAsync(setup.Admin, Page, fields.Concat(SetupAdmin.Decide([room1], "notify")))).StatusCode);
        var closure = Assert.Single(await setup.Clinic.DbAsync(db => db.ResourceClosures.AsNoTracking().ToListAsync()));

        var removed = await SetupAdmin.PostAsync(setup.Admin, Page, [], action: $"{Page}?handler=Remove&id={closure.Id}");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Empty(await setup.Clinic.DbAsync(db => db.ResourceClosures.AsNoTracking().ToListAsync()));
        Assert.Single(await setup.Clinic.AuditAsync(AuditActions.ClosureRemoved));
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:5080/manage/[A-Za-z0-9_-]{43}")]
    private static partial Regex ManageLink();
}
