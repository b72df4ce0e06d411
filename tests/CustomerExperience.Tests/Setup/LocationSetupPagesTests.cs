using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Setup;

/// <summary>Admins create, change, deactivate and reactivate locations on /staff/admin/locations; bad values name the field and save nothing.</summary>
public class LocationSetupPagesTests : IAsyncLifetime
{
    // Monday 2026-11-23, 07:00 in New York.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private HttpClient admin = null!;
    private TestClinic clinic = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(LocationSetupPagesTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        app.With("RateLimits:PublicWritePerMinute", "1000");
        clinic = await TestClinic.SeedAsync(app.Services);
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
            ["name"] = "Harbour Imaging", ["slug"] = slug, ["addressLine"] = "9 Quay Street", ["city"] = "Boston", ["region"] = "MA",
            ["postalCode"] = "02110", ["timeZoneId"] = "America/New_York", ["phone"] = "+1 617 555 0123",
            ["directionsUrl"] = "https://maps.example/harbour", ["arrivalNotes"] = "Reception is on the 2nd floor.",
            ["parkingNotes"] = "Garage on Quay Street; we validate 2 hours.", ["serviceRecoveryManagerId"] = "",
        };
        foreach (var (field, value) in changes) fields[field] = value;
        return fields;
    }

    private static string NewSlug() => "harbour-" + Guid.NewGuid().ToString("N")[..8];

    private Task<HttpResponseMessage> CreateAsync(Dictionary<string, string> fields, HttpClient? client = null) =>
        StaffSignIn.PostFormAsync(client ?? admin, "/staff/admin/locations/new", fields);

    private async Task<Location> CreatedAsync(string slug)
    {
        var response = await CreateAsync(Fields(slug));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await QueryAsync(db => db.Locations.AsNoTracking().SingleAsync(l => l.Slug == slug));
    }

    /// <summary>The edit form's hidden version, as a browser that opened the page would send it back.</summary>
    private async Task<string> ShownVersionAsync(Guid id)
    {
        var html = await admin.GetStringAsync($"/staff/admin/locations/{id}");
        var match = System.Text.RegularExpressions.Regex.Match(html, "name=\"version\" value=\"(\\d+)\"");
        Assert.True(match.Success, "the edit form carries the version it shows");
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task An_admin_adds_a_location_with_every_field_and_the_change_is_audited()
    {
        var slug = NewSlug();
        var response = await CreateAsync(Fields(slug));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/staff/admin/locations", response.Headers.Location!.OriginalString);
        var location = await QueryAsync(db => db.Locations.AsNoTracking().SingleAsync(l => l.Slug == slug));
        Assert.Equal(("Harbour Imaging", "9 Quay Street", "Boston", "MA", "02110"), (location.Name, location.AddressLine, location.City, location.Region, location.PostalCode));
        Assert.Equal(("America/New_York", "+1 617 555 0123", "https://maps.example/harbour"), (location.TimeZoneId, location.Phone, location.DirectionsUrl));
        Assert.Equal("Garage on Quay Street; we validate 2 hours.", location.ParkingNotes);
        Assert.True(location.IsActive);
        var entry = await QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == AuditActions.LocationCreated && a.Details.Contains(slug)));
        Assert.Equal("Test Admin", entry.StaffName);

        var list = await admin.GetStringAsync("/staff/admin/locations");
        Assert.Contains($"data-slug=\"{slug}\"", list);
    }

    [Fact]
    public async Task An_empty_slug_is_made_from_the_name()
    {
        var tail = Guid.NewGuid().ToString("N")[..6];
        var response = await CreateAsync(Fields("", ("name", "Zoë's Corner " + tail)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await QueryAsync(db => db.Locations.AnyAsync(l => l.Slug == "zoes-corner-" + tail)));
    }

    [Theory]
    [InlineData("name", "")]
    [InlineData("timeZoneId", "Mars/Olympus_Mons")]
    [InlineData("timeZoneId", "Etc/GMT+5")]
    [InlineData("directionsUrl", "javascript:alert(1)")]
    [InlineData("directionsUrl", "ftp://maps.example/harbour")]
    [InlineData("directionsUrl", "maps.example/harbour")]
    [InlineData("slug", "Harbour Imaging!")]
    [InlineData("phone", "call us")]
    [InlineData("postalCode", "")]
    public async Task A_bad_value_is_a_400_naming_the_field_and_nothing_is_saved(string field, string value)
    {
        var slug = NewSlug();
        var response = await CreateAsync(Fields(slug, (field, value)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"id=\"{field}-error\"", html);
        Assert.Contains($"href=\"#{field}\"", html);
        Assert.False(await QueryAsync(db => db.Locations.AnyAsync(l => l.Name == "Harbour Imaging" && l.Slug == slug)));
        Assert.False(await QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Details.Contains(slug))));
    }

    [Fact]
    public async Task A_slug_another_location_uses_is_refused_on_create_and_on_edit()
    {
        var taken = await CreatedAsync(NewSlug());
        var before = await QueryAsync(db => db.Locations.CountAsync());
        var response = await CreateAsync(Fields(taken.Slug, ("name", "Copycat")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"slug-error\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await QueryAsync(db => db.Locations.CountAsync()));

        var other = await CreatedAsync(NewSlug());
        var edit = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/locations/{other.Id}",
            Fields(taken.Slug, ("version", await ShownVersionAsync(other.Id))));
        Assert.Equal(HttpStatusCode.BadRequest, edit.StatusCode);
        Assert.Equal(other.Slug, await QueryAsync(db => db.Locations.Where(l => l.Id == other.Id).Select(l => l.Slug).SingleAsync()));
    }

    [Fact]
    public async Task An_admin_changes_a_location_and_the_audit_names_what_changed()
    {
        var location = await CreatedAsync(NewSlug());
        var response = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/locations/{location.Id}", Fields(location.Slug,
            ("version", await ShownVersionAsync(location.Id)), ("parkingNotes", "Street parking only."), ("timeZoneId", "America/Chicago")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await QueryAsync(db => db.Locations.AsNoTracking().SingleAsync(l => l.Id == location.Id));
        Assert.Equal(("Street parking only.", "America/Chicago"), (saved.ParkingNotes, saved.TimeZoneId));
        var entry = await QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == AuditActions.LocationChanged && a.Details.Contains(location.Name)));
        Assert.Contains("ParkingNotes", entry.Details);
        Assert.Contains("TimeZoneId", entry.Details);
        Assert.DoesNotContain("Phone", entry.Details);
    }

    [Fact]
    public async Task Two_admins_editing_at_once_the_second_is_told_it_changed_meanwhile_and_nothing_of_theirs_is_saved()
    {
        var location = await CreatedAsync(NewSlug());
        var shown = await ShownVersionAsync(location.Id);

        var first = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/locations/{location.Id}", Fields(location.Slug, ("version", shown), ("phone", "+1 617 555 0001")));
        var second = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/locations/{location.Id}", Fields(location.Slug, ("version", shown), ("phone", "+1 617 555 0002")));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var html = await second.Content.ReadAsStringAsync();
        Assert.Contains("id=\"changed-meanwhile\"", html);
        Assert.Contains("+1 617 555 0001", WebUtility.HtmlDecode(html)); // the form now shows what is saved
        Assert.Equal("+1 617 555 0001", await QueryAsync(db => db.Locations.Where(l => l.Id == location.Id).Select(l => l.Phone).SingleAsync()));
        Assert.Equal(HttpStatusCode.Conflict, (await StaffSignIn.PostFormAsync(admin, $"/staff/admin/locations/{location.Id}?handler=Deactivate",
            new() { ["version"] = shown })).StatusCode);
    }

    [Fact]
    public async Task A_deactivated_location_is_off_booking_and_the_api_keeps_its_history_and_can_be_reactivated()
    {
        var closing = await TestClinic.SeedAsync(app.Services);
        var slug = await QueryAsync(db => db.Locations.Where(l => l.Id == closing.LocationId).Select(l => l.Slug).SingleAsync());
        Assert.Contains($"id=\"location-{slug}\"", await app.CreateClient().GetStringAsync("/book"));
        var client = app.CreateClient();
        var booking = await client.PostAsJsonAsync("/api/v1/bookings", closing.Booking(TestClinic.At(2026, 11, 23, 13), MailDev.UniqueAddress("loc-off")));
        Assert.Equal(HttpStatusCode.Created, booking.StatusCode);
        var visitId = (await booking.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // Still a visit to come: deactivating is refused, naming it.
        var refused = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/locations/{closing.LocationId}?handler=Deactivate",
            new() { ["version"] = await ShownVersionAsync(closing.LocationId) });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("1 upcoming visit", await refused.Content.ReadAsStringAsync());
        Assert.True(await QueryAsync(db => db.Locations.Where(l => l.Id == closing.LocationId).Select(l => l.IsActive).SingleAsync()));

        // Once it has happened, the location can close; the visit stays.
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero));
        var response = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/locations/{closing.LocationId}?handler=Deactivate",
            new() { ["version"] = await ShownVersionAsync(closing.LocationId) });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await QueryAsync(db => db.Locations.Where(l => l.Id == closing.LocationId).Select(l => l.IsActive).SingleAsync()));
        Assert.True(await QueryAsync(db => db.Appointments.AnyAsync(a => a.Id == visitId)));
        Assert.True(await QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.LocationDeactivated)));

        Assert.DoesNotContain($"id=\"location-{slug}\"", await client.GetStringAsync("/book"));
        var locations = await client.GetFromJsonAsync<JsonElement>("/api/v1/locations");
        Assert.DoesNotContain(locations.EnumerateArray(), l => l.GetProperty("id").GetGuid() == closing.LocationId);
        var slots = await client.GetAsync($"/api/v1/availability?serviceId={closing.ServiceId}&locationId={closing.LocationId}&from=2026-11-30&days=1");
        Assert.Equal(HttpStatusCode.NotFound, slots.StatusCode);
        var late = await client.PostAsJsonAsync("/api/v1/bookings", closing.Booking(TestClinic.At(2026, 11, 30, 9), MailDev.UniqueAddress("loc-off")));
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);

        var back = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/locations/{closing.LocationId}?handler=Activate",
            new() { ["version"] = await ShownVersionAsync(closing.LocationId) });
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Contains($"id=\"location-{slug}\"", await client.GetStringAsync("/book"));
    }

    [Fact]
    public async Task The_recovery_manager_must_be_a_manager_who_works_there()
    {
        var location = await CreatedAsync(NewSlug());
        var (managerId, elsewhereId) = await QueryAsync(async db =>
        {
            var managerEmail = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.Manager, name: "Mona Manager");
            var elsewhereEmail = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.Manager, name: "Eli Elsewhere");
            var manager = await db.Users.SingleAsync(u => u.Email == managerEmail);
            var elsewhere = await db.Users.SingleAsync(u => u.Email == elsewhereEmail);
            db.StaffLocations.Add(new StaffLocation { StaffUserId = manager.Id, LocationId = location.Id });
            db.StaffLocations.Add(new StaffLocation { StaffUserId = elsewhere.Id, LocationId = clinic.LocationId });
            await db.SaveChangesAsync();
            return (manager.Id, elsewhere.Id);
        });

        var refused = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/locations/{location.Id}",
            Fields(location.Slug, ("version", await ShownVersionAsync(location.Id)), ("serviceRecoveryManagerId", elsewhereId)));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"serviceRecoveryManagerId-error\"", await refused.Content.ReadAsStringAsync());

        var saved = await StaffSignIn.PostFormAsync(admin, $"/staff/admin/locations/{location.Id}",
            Fields(location.Slug, ("version", await ShownVersionAsync(location.Id)), ("serviceRecoveryManagerId", managerId)));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(managerId, await QueryAsync(db => db.Locations.Where(l => l.Id == location.Id).Select(l => l.ServiceRecoveryManagerId).SingleAsync()));
    }

    [Theory]
    [InlineData(StaffRoles.Manager)]
    [InlineData(StaffRoles.FrontDesk)]
    [InlineData(StaffRoles.Clinician)]
    public async Task Only_admins_change_locations(string role)
    {
        var client = await StaffSignIn.ClientAsync(app, role);
        var slug = NewSlug();
        var create = await StaffSignIn.PostFormAsync(client, "/staff", Fields(slug), action: "/staff/admin/locations/new");
        var edit = await StaffSignIn.PostFormAsync(client, "/staff", Fields(slug, ("version", "1")), action: $"/staff/admin/locations/{clinic.LocationId}");
        var deactivate = await StaffSignIn.PostFormAsync(client, "/staff", new() { ["version"] = "1" }, action: $"/staff/admin/locations/{clinic.LocationId}?handler=Deactivate");

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deactivate.StatusCode);
        Assert.False(await QueryAsync(db => db.Locations.AnyAsync(l => l.Slug == slug)));
        Assert.True(await QueryAsync(db => db.Locations.Where(l => l.Id == clinic.LocationId).Select(l => l.IsActive).SingleAsync()));
        var list = await client.GetAsync("/staff/admin/locations");
        Assert.Equal(role == StaffRoles.Manager ? HttpStatusCode.OK : HttpStatusCode.Forbidden, list.StatusCode);
        if (role == StaffRoles.Manager)
            Assert.DoesNotContain("/staff/admin/locations/new", await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Parking_notes_reach_the_confirmation_email_and_the_manage_page()
    {
        await QueryAsync(db => db.Locations.Where(l => l.Id == clinic.LocationId)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.ParkingNotes, "Level 2 of the Quay garage is ours.")));
        var email = MailDev.UniqueAddress("parking");
        var client = app.CreateClient();
        var booking = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(TestClinic.At(2026, 12, 2, 10), email));
        Assert.Equal(HttpStatusCode.Created, booking.StatusCode);
        var manageUrl = (await booking.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("manageUrl").GetString()!;

        Assert.Equal(1, (await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default)).Sent);
        var message = Assert.Single(await MailDev.WaitForAsync(email));
        Assert.Contains("Arrival and parking: Park behind the building. Level 2 of the Quay garage is ours.", message.GetProperty("text").GetString());
        Assert.Contains("<p>Level 2 of the Quay garage is ours.</p>", message.GetProperty("html").GetString());
        var manage = await client.GetStringAsync(new Uri(manageUrl).PathAndQuery);
        Assert.Contains("Level 2 of the Quay garage is ours.", manage);
    }
}
