using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Setup;

/// <summary>Admins create, change, deactivate and reactivate services on /staff/admin/services; bad values name the field and save nothing.</summary>
public class ServiceSetupPagesTests : IAsyncLifetime
{
    // Monday 2026-11-23, 07:00 in New York.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(ServiceSetupPagesTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        app.With("RateLimits:PublicWritePerMinute", "1000");
        admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static Dictionary<string, string> Fields(string slug, params (string Field, string Value)[] changes)
    {
        var fields = new Dictionary<string, string>
        {
            ["name"] = "Thyroid ultrasound", ["slug"] = slug, ["description"] = "A painless scan of the neck.",
            ["durationMinutes"] = "25", ["bufferMinutes"] = "5", ["coverageIntervalDays"] = "365", ["recallIntervalDays"] = "",
            ["reminderOffsets"] = "2 days, 2 hours", ["preparationNotes"] = "Wear an open-necked top.",
            ["resultsMinBusinessDays"] = "1", ["resultsMaxBusinessDays"] = "3", ["calendarTitle"] = "Clinic appointment",
        };
        foreach (var (field, value) in changes) fields[field] = value;
        return fields;
    }

    private static string NewSlug() => "thyroid-" + Guid.NewGuid().ToString("N")[..8];

    private Task<HttpResponseMessage> CreateAsync(Dictionary<string, string> fields) =>
        StaffSignIn.PostFormAsync(admin, "/staff/admin/services/new", fields);

    private async Task<Service> CreatedAsync(string slug)
    {
        var response = await CreateAsync(Fields(slug));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await QueryAsync(db => db.Services.AsNoTracking().SingleAsync(s => s.Slug == slug));
    }

    private async Task<string> ShownVersionAsync(Guid id)
    {
        var html = await admin.GetStringAsync($"/staff/admin/services/{id}");
        var match = System.Text.RegularExpressions.Regex.Match(html, "name=\"version\" value=\"(\\d+)\"");
        Assert.True(match.Success, "the edit form carries the version it shows");
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task An_admin_adds_a_service_with_friendly_reminder_times_and_the_change_is_audited()
    {
        var slug = NewSlug();
        var service = await CreatedAsync(slug);

        Assert.Equal(("Thyroid ultrasound", 25, 5, 365, (int?)null), (service.Name, service.DurationMinutes, service.BufferMinutes, service.CoverageIntervalDays, service.RecallIntervalDays));
        Assert.Equal([2880, 120], service.ReminderOffsetsMinutes);
        Assert.Equal((1, 3), (service.ResultsMinBusinessDays!.Value, service.ResultsMaxBusinessDays!.Value));
        Assert.Equal(("Clinic appointment", "Wear an open-necked top."), (service.CalendarTitle, service.PreparationNotes));
        Assert.True(service.IsActive);
        Assert.True(await QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.ServiceCreated && a.Details.Contains(slug))));

        var form = await admin.GetStringAsync($"/staff/admin/services/{service.Id}");
        Assert.Contains("value=\"2 days, 2 hours\"", form);
    }

    [Fact]
    public async Task A_new_service_form_starts_with_a_calendar_title_that_says_nothing_about_the_visit()
    {
        var form = await admin.GetStringAsync("/staff/admin/services/new");
        Assert.Contains("id=\"calendarTitle\" name=\"calendarTitle\" type=\"text\" value=\"Clinic appointment\"", form);
    }

    [Theory]
    [InlineData("durationMinutes", "-30")]
    [InlineData("durationMinutes", "0")]
    [InlineData("durationMinutes", "half an hour")]
    [InlineData("bufferMinutes", "-5")]
    [InlineData("coverageIntervalDays", "-1")]
    [InlineData("reminderOffsets", "soon")]
    [InlineData("reminderOffsets", "2 hours, 120")]
    [InlineData("resultsMinBusinessDays", "5")]
    [InlineData("resultsMaxBusinessDays", "")]
    [InlineData("calendarTitle", "")]
    [InlineData("name", "")]
    [InlineData("slug", "Thyroid_Scan")]
    public async Task A_bad_value_is_a_400_naming_the_field_and_nothing_is_saved(string field, string value)
    {
        var slug = NewSlug();
        var response = await CreateAsync(Fields(slug, (field, value)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"id=\"{field}-error\"", html);
        Assert.Contains($"href=\"#{field}\"", html);
        Assert.False(await QueryAsync(db => db.Services.AnyAsync(s => s.Slug == slug)));
        Assert.False(await QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Details.Contains(slug))));
    }

    [Fact]
    public async Task A_slug_another_service_uses_is_refused()
    {
        var taken = await CreatedAsync(NewSlug());
        var before = await QueryAsync(db => db.Services.CountAsync());
        var response = await CreateAsync(Fields(taken.Slug, ("name", "Copycat")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"slug-error\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await QueryAsync(db => db.Services.CountAsync()));
    }

    [Fact]
    public async Task An_admin_changes_a_service_and_a_bad_edit_leaves_it_as_it_was()
    {
        var service = await CreatedAsync(NewSlug());
        var saved = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/services/{service.Id}", Fields(service.Slug,
            ("version", await ShownVersionAsync(service.Id)), ("durationMinutes", "40"), ("reminderOffsets", "1 week, 1440")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var changed = await QueryAsync(db => db.Services.AsNoTracking().SingleAsync(s => s.Id == service.Id));
        Assert.Equal(40, changed.DurationMinutes);
        Assert.Equal([10080, 1440], changed.ReminderOffsetsMinutes);
        var entry = await QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == AuditActions.ServiceChanged));
        Assert.Contains("DurationMinutes", entry.Details);
        Assert.Contains("ReminderOffsetsMinutes", entry.Details);

        var refused = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/services/{service.Id}", Fields(service.Slug,
            ("version", await ShownVersionAsync(service.Id)), ("durationMinutes", "-40"), ("name", "Renamed")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var after = await QueryAsync(db => db.Services.AsNoTracking().SingleAsync(s => s.Id == service.Id));
        Assert.Equal((40, "Thyroid ultrasound"), (after.DurationMinutes, after.Name));
    }

    [Fact]
    public async Task Two_admins_editing_at_once_the_second_is_told_it_changed_meanwhile()
    {
        var service = await CreatedAsync(NewSlug());
        var shown = await ShownVersionAsync(service.Id);
        var first = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/services/{service.Id}", Fields(service.Slug, ("version", shown), ("durationMinutes", "30")));
        var second = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/services/{service.Id}", Fields(service.Slug, ("version", shown), ("durationMinutes", "50")));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("id=\"changed-meanwhile\"", await second.Content.ReadAsStringAsync());
        Assert.Equal(30, await QueryAsync(db => db.Services.Where(s => s.Id == service.Id).Select(s => s.DurationMinutes).SingleAsync()));
    }

    [Fact]
    public async Task A_deactivated_service_is_off_booking_its_booked_visit_stays_and_it_can_be_reactivated()
    {
        var clinic = await TestClinic.SeedAsync(app.Services);
        var client = app.CreateClient();
        var booking = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(TestClinic.At(2026, 11, 30, 9), MailDev.UniqueAddress("svc-off")));
        Assert.Equal(HttpStatusCode.Created, booking.StatusCode);
        var visitId = (await booking.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Contains("1 upcoming visit stays", await admin.GetStringAsync($"/staff/admin/services/{clinic.ServiceId}"));

        var off = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/services/{clinic.ServiceId}?handler=Deactivate",
            new() { ["version"] = await ShownVersionAsync(clinic.ServiceId) });
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);

        Assert.False(await QueryAsync(db => db.Services.Where(s => s.Id == clinic.ServiceId).Select(s => s.IsActive).SingleAsync()));
        Assert.Equal(AppointmentStatus.Booked, await QueryAsync(db => db.Appointments.Where(a => a.Id == visitId).Select(a => a.Status).SingleAsync()));
        var services = await client.GetFromJsonAsync<JsonElement>("/api/v1/services");
        Assert.DoesNotContain(services.EnumerateArray(), s => s.GetProperty("id").GetGuid() == clinic.ServiceId);
        Assert.Contains("id=\"nothing-to-book\"", await client.GetStringAsync("/book"));
        var late = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("svc-off")));
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        Assert.True(await QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.ServiceDeactivated)));

        var on = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/services/{clinic.ServiceId}?handler=Activate",
            new() { ["version"] = await ShownVersionAsync(clinic.ServiceId) });
        Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);
        var again = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("svc-on")));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Theory]
    [InlineData(StaffRoles.Manager)]
    [InlineData(StaffRoles.FrontDesk)]
    [InlineData(StaffRoles.Clinician)]
    public async Task Only_admins_change_services(string role)
    {
        var service = await CreatedAsync(NewSlug());
        var client = await StaffSignIn.ClientAsync(app, role);
        var slug = NewSlug();
        var create = await StaffSignIn.PostFormAsync(client, "/staff", Fields(slug), action: "/staff/admin/services/new");
        var edit = await StaffSignIn.PostFormAsync(client, "/staff", Fields(service.Slug, ("version", "1"), ("name", "Hijacked")), action: $"/staff/admin/services/{service.Id}");
        var deactivate = await StaffSignIn.PostFormAsync(client, "/staff", new() { ["version"] = "1" }, action: $"/staff/admin/services/{service.Id}?handler=Deactivate");

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deactivate.StatusCode);
        Assert.False(await QueryAsync(db => db.Services.AnyAsync(s => s.Slug == slug)));
        var after = await QueryAsync(db => db.Services.AsNoTracking().SingleAsync(s => s.Id == service.Id));
        Assert.Equal(("Thyroid ultrasound", true), (after.Name, after.IsActive));
        Assert.Equal(role == StaffRoles.Manager ? HttpStatusCode.OK : HttpStatusCode.Forbidden, (await client.GetAsync("/staff/admin/services")).StatusCode);
    }
}
