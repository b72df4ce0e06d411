using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Tests.Setup;

/// <summary>/staff/admin/rooms: create, change and take rooms out of use; a change over booked visits lists them first.</summary>
public class RoomsPagesTests : IAsyncLifetime
{
    private SetupAdmin setup = null!;

    public async Task InitializeAsync() => setup = await SetupAdmin.StartAsync(nameof(RoomsPagesTests));

    public async Task DisposeAsync() => await setup.DisposeAsync();

    private Task<Resource> RoomAsync(Guid id) => setup.Clinic.DbAsync(db => db.Resources.AsNoTracking()
        .Include(r => r.Services).Include(r => r.WorkingHours).SingleAsync(r => r.Id == id));

    private async Task<int> SlotsAsync(string day) =>
        (await setup.Clinic.App.CreateClient().GetFromJsonAsync<JsonElement>(
            $"/api/v1/availability?serviceId={setup.Test.ServiceId}&locationId={setup.Test.LocationId}&from={day}&days=1"))
        .GetProperty("slots").GetArrayLength();

    [Fact]
    public async Task Creates_a_machine_with_a_break_and_lists_it_under_its_location()
    {
        var fields = setup.RoomFields(name: "DEXA 2", kind: "Machine", hours: "07:30–11:00, 11:45–15:00");
        var response = await SetupAdmin.PostAsync(setup.Admin, "/staff/admin/rooms/new", fields);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var room = await setup.Clinic.DbAsync(db => db.Resources.AsNoTracking().Include(r => r.Services).Include(r => r.WorkingHours)
            .SingleAsync(r => r.Name == "DEXA 2"));
        Assert.Equal(ResourceKind.Machine, room.Kind);
        Assert.True(room.IsActive);
        Assert.Equal(setup.Test.LocationId, room.LocationId);
        Assert.Equal([setup.Test.ServiceId], room.Services.Select(s => s.Id));
        var monday = room.WorkingHours.Where(h => h.Day == DayOfWeek.Monday).OrderBy(h => h.Opens).Select(h => (h.Opens, h.Closes));
        Assert.Equal([(new TimeOnly(7, 30), new TimeOnly(11, 0)), (new TimeOnly(11, 45), new TimeOnly(15, 0))], monday);
        Assert.Equal(10, room.WorkingHours.Count);
        Assert.Contains("Created machine “DEXA 2”", Assert.Single(await setup.Clinic.AuditAsync(AuditActions.RoomCreated)).Details);

        var list = await setup.Admin.GetStringAsync($"/staff/admin/rooms?location={setup.Test.LocationId}");
        Assert.Contains($"id=\"room-{room.Id}\"", list);
        Assert.Contains("Mon 07:30–11:00, 11:45–15:00", WebUtility.HtmlDecode(list));
        // The new machine offers 07:30, before the seeded room opens.
        var slots = await setup.Clinic.App.CreateClient().GetFromJsonAsync<JsonElement>(
            $"/api/v1/availability?serviceId={setup.Test.ServiceId}&locationId={setup.Test.LocationId}&from=2026-11-30&days=1");
        Assert.Equal("2026-11-30T07:30:00-05:00", slots.GetProperty("slots")[0].GetProperty("start").GetString());
    }

    [Fact]
    public async Task Edits_hours_and_takes_a_room_out_of_use_which_booking_sees_at_once()
    {
        var room = setup.Test.RoomId;
        Assert.True(await SlotsAsync("2026-11-30") > 0); // warms the availability cache on purpose

        var edit = await SetupAdmin.PostAsync(setup.Admin, $"/staff/admin/rooms/{room}",
            setup.RoomFields(name: "Room One", hours: "09:00–12:00", stamp: await setup.StampAsync(room)));
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        var edited = await RoomAsync(room);
        Assert.Equal("Room One", edited.Name);
        Assert.Equal(5, edited.WorkingHours.Count);
        Assert.All(edited.WorkingHours, h => Assert.Equal((new TimeOnly(9, 0), new TimeOnly(12, 0)), (h.Opens, h.Closes)));

        var off = await SetupAdmin.PostAsync(setup.Admin, $"/staff/admin/rooms/{room}",
            setup.RoomFields(name: "Room One", hours: "09:00–12:00", active: false, stamp: await setup.StampAsync(room)));
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        Assert.False((await RoomAsync(room)).IsActive);
        // No room performs the service there any more: the availability API says it is not offered (cache or not).
        var after = await setup.Clinic.App.CreateClient().GetAsync(
            $"/api/v1/availability?serviceId={setup.Test.ServiceId}&locationId={setup.Test.LocationId}&from=2026-11-30&days=1");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(2, (await setup.Clinic.AuditAsync(AuditActions.RoomChanged)).Count);
    }

    private static readonly Dictionary<string, string> ErrorIds = new()
    {
        ["hours"] = "hours-Monday-error", ["service"] = "services-error", ["kind"] = "kind-error", ["name"] = "name-error", ["location"] = "locationId-error",
    };

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "hours", "12:00–08:00", "Monday: 12:00–08:00 must close after it opens." },
        { "hours", "08:00–12:00, 11:00–13:00", "Monday: 08:00–12:00 and 11:00–13:00 overlap." },
        { "hours", "8 till 5", "Monday: “8 till 5” is not a time range." },
        { "service", Guid.NewGuid().ToString(), "One of the services chosen does not exist" },
        { "service", "x-ray", "Choose services from the list." },
        { "kind", "Spaceship", "Choose whether it is a room or a machine." },
        { "name", " ", "Enter a name staff will recognise" },
        { "location", Guid.NewGuid().ToString(), "Choose one of the locations listed." },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_is_refused_naming_the_field_and_nothing_is_saved(string field, string value, string message)
    {
        var room = setup.Test.RoomId;
        var before = await RoomAsync(room);
        var fields = setup.RoomFields(stamp: await setup.StampAsync(room), name: field == "name" ? value : "Renamed",
            hours: field == "hours" ? value : "09:00–10:00", kind: field == "kind" ? value : "Room");
        fields.RemoveAll(f => (field == "service" && f.Key == "Form.Services") || (field == "location" && f.Key == "Form.LocationId"));
        if (field == "service") fields.Add(new("Form.Services", value));
        if (field == "location") fields.Add(new("Form.LocationId", value));

        var response = await SetupAdmin.PostAsync(setup.Admin, $"/staff/admin/rooms/{room}", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await SetupAdmin.HtmlAsync(response);
        Assert.Contains($"<p class=\"field-error\" id=\"{ErrorIds[field]}\">{message}", html);
        var after = await RoomAsync(room);
        Assert.Equal(before.Name, after.Name);
        Assert.Equal(before.WorkingHours.Select(h => h.Id).Order(), after.WorkingHours.Select(h => h.Id).Order());
        Assert.Empty(await setup.Clinic.AuditAsync(AuditActions.RoomChanged));
    }

    [Fact]
    public async Task Shortening_hours_lists_exactly_the_booked_visits_left_outside_and_moves_them_with_an_updated_invite_each()
    {
        var (late, later, inside, cancelled) = (MailDev.UniqueAddress("late"), MailDev.UniqueAddress("later"), MailDev.UniqueAddress("inside"), MailDev.UniqueAddress("cancelled"));
        var lateVisit = await setup.BookAsync(TestClinic.At(2026, 11, 30, 16, 0), late);
        var laterVisit = await setup.BookAsync(TestClinic.At(2026, 12, 1, 15, 30), later);
        await setup.BookAsync(TestClinic.At(2026, 11, 30, 9, 0), inside);
        var (cancelledVisit, token) = await setup.Clinic.BookOnlineAsync(TestClinic.At(2026, 12, 2, 16, 0), cancelled);
        Assert.Equal(HttpStatusCode.OK, (await setup.Clinic.App.CreateClient().PostAsync($"/api/v1/bookings/{token}/cancel", null)).StatusCode);
        var room = setup.Test.RoomId;
        var fields = setup.RoomFields(hours: "08:00–12:00, 13:00–15:00", stamp: await setup.StampAsync(room));

        var asked = await SetupAdmin.PostAsync(setup.Admin, $"/staff/admin/rooms/{room}", fields);

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var listed = SetupAdmin.Listed(await SetupAdmin.HtmlAsync(asked));
        Assert.Equal([lateVisit, laterVisit], listed);
        Assert.Equal(5, (await RoomAsync(room)).WorkingHours.Count(h => h.Closes == new TimeOnly(17, 0)));
        Assert.DoesNotContain(cancelledVisit, listed);

        var moved = await SetupAdmin.PostAsync(setup.Admin, $"/staff/admin/rooms/{room}", fields.Concat(SetupAdmin.Decide(listed, "move")));

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.All((await RoomAsync(room)).WorkingHours, h => Assert.True(h.Closes <= new TimeOnly(15, 0)));
        var done = await setup.Admin.GetStringAsync(moved.Headers.Location!.ToString());
        Assert.Contains("Moved 2 visits; each customer gets an updated invite.", WebUtility.HtmlDecode(done));
        Assert.DoesNotContain("Visits needing attention", done);
        foreach (var (id, email, original) in new[] { (lateVisit, late, TestClinic.At(2026, 11, 30, 16, 0)), (laterVisit, later, TestClinic.At(2026, 12, 1, 15, 30)) })
        {
            var visit = await setup.VisitAsync(id);
            Assert.Equal(AppointmentStatus.Booked, visit.Status);
            Assert.True(visit.Start > DateTimeOffset.Parse(original));
            var local = TimeZoneInfo.ConvertTime(visit.Start, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
            Assert.InRange(local.TimeOfDay, TimeSpan.FromHours(8), TimeSpan.FromHours(14.5));
            Assert.Equal(1, visit.CalendarSequence);
        }
        await setup.Clinic.DeliverEmailsAsync();
        foreach (var email in new[] { late, later })
        {
            var update = Assert.Single(await SetupAdmin.EmailsAsync(email, "New time:"));
            var ics = await MailDev.AttachmentAsync(update, "invite.ics");
            Assert.Contains("METHOD:REQUEST", ics);
            Assert.Contains("SEQUENCE:1", ics);
            var confirmation = Assert.Single(await SetupAdmin.EmailsAsync(email, "Booked:"));
            Assert.Contains("SEQUENCE:0", await MailDev.AttachmentAsync(confirmation, "invite.ics"));
        }
        Assert.Single(await MailDev.MessagesToAsync(inside));
        Assert.Equal(2, (await setup.Clinic.AuditAsync(AuditActions.VisitRescheduled)).Count);
    }

    [Fact]
    public async Task Taking_a_room_with_booked_visits_out_of_use_asks_first_and_the_customers_can_be_asked_to_choose_a_new_time()
    {
        var email = MailDev.UniqueAddress("room-off");
        var visit = await setup.BookAsync(TestClinic.At(2026, 12, 3, 10, 0), email);
        var room = setup.Test.RoomId;
        var fields = setup.RoomFields(active: false, stamp: await setup.StampAsync(room));

        var asked = await SetupAdmin.PostAsync(setup.Admin, $"/staff/admin/rooms/{room}", fields);
        Assert.Equal([visit], SetupAdmin.Listed(await SetupAdmin.HtmlAsync(asked)));
        Assert.True((await RoomAsync(room)).IsActive);
        // "Save" again without choosing still only asks.
        var again = await SetupAdmin.PostAsync(setup.Admin, $"/staff/admin/rooms/{room}",
            fields.Concat(SetupAdmin.Decide([visit], "save")));
        Assert.Equal([visit], SetupAdmin.Listed(await SetupAdmin.HtmlAsync(again)));
        Assert.True((await RoomAsync(room)).IsActive);

        var notified = await SetupAdmin.PostAsync(setup.Admin, $"/staff/admin/rooms/{room}", fields.Concat(SetupAdmin.Decide([visit], "notify")));

        Assert.Equal(HttpStatusCode.Redirect, notified.StatusCode);
        Assert.False((await RoomAsync(room)).IsActive);
        Assert.Equal(0, (await setup.VisitAsync(visit)).CalendarSequence);
        await setup.Clinic.DeliverEmailsAsync();
        var ask = Assert.Single(await SetupAdmin.EmailsAsync(email, "Please choose a new time:"));
        Assert.Contains("The room booked for your visit is no longer available.", ask.GetProperty("text").GetString());
        // It stays listed as needing attention until it is moved.
        var list = await setup.Admin.GetStringAsync($"/staff/admin/rooms?location={setup.Test.LocationId}");
        Assert.Contains("Visits needing attention", list);
        Assert.Contains($"data-visit=\"{visit}\"", list);
    }

    [Fact]
    public async Task A_form_shown_before_someone_elses_change_saves_nothing()
    {
        var room = setup.Test.RoomId;
        var stamp = await setup.StampAsync(room);
        Assert.Equal(HttpStatusCode.Redirect,
            (await SetupAdmin.PostAsync(setup.Admin, $"/staff/admin/rooms/{room}", setup.RoomFields(name: "First", stamp: stamp))).StatusCode);

        var stale = await SetupAdmin.PostAsync(setup.Admin, $"/staff/admin/rooms/{room}", setup.RoomFields(name: "Second", stamp: stamp));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("Someone else changed this room while you were editing it", await SetupAdmin.HtmlAsync(stale));
        Assert.Equal("First", (await RoomAsync(room)).Name);
    }

    [Theory]
    [InlineData(StaffRoles.Manager)]
    [InlineData(StaffRoles.FrontDesk)]
    public async Task Only_admins_reach_the_rooms_and_closures_pages(string role)
    {
        var client = await StaffSignIn.ClientAsync(setup.Clinic.App, role);
        foreach (var url in new[] { "/staff/admin/rooms", "/staff/admin/rooms/new", $"/staff/admin/rooms/{setup.Test.RoomId}", "/staff/admin/closures" })
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(url)).StatusCode);
        var token = await StaffSignIn.AntiforgeryTokenAsync(client, "/staff");
        var post = await client.PostAsync($"/staff/admin/rooms/{setup.Test.RoomId}",
            new FormUrlEncodedContent(setup.RoomFields(active: false).Append(new("__RequestVerificationToken", token))));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.True((await RoomAsync(setup.Test.RoomId)).IsActive);
    }
}
