using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CustomerExperience.Web.Setup;

/// <summary>The location form as typed; field names are the form's.</summary>
public sealed class LocationForm
{
    public string? Name { get; set; }
    public string? Slug { get; set; }
    public string? AddressLine { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? PostalCode { get; set; }
    public string? TimeZoneId { get; set; }
    public string? Phone { get; set; }
    public string? DirectionsUrl { get; set; }
    public string? ArrivalNotes { get; set; }
    public string? ParkingNotes { get; set; }
    public string? ServiceRecoveryManagerId { get; set; }

    public static LocationForm From(Location l) => new()
    {
        Name = l.Name, Slug = l.Slug, AddressLine = l.AddressLine, City = l.City, Region = l.Region, PostalCode = l.PostalCode,
        TimeZoneId = l.TimeZoneId, Phone = l.Phone, DirectionsUrl = l.DirectionsUrl, ArrivalNotes = l.ArrivalNotes,
        ParkingNotes = l.ParkingNotes, ServiceRecoveryManagerId = l.ServiceRecoveryManagerId,
    };
}

/// <summary>Creates, changes, deactivates and reactivates locations, each change audited; bad values name their field and save nothing.</summary>
public class LocationSettings(AppDbContext db, Audit audit, UserManager<StaffUser> users, TimeProvider clock)
{
    public const int MaxNotes = 2000;

    /// <summary>Who can own the location's service-recovery cases: enabled managers and admins who work there.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> RecoveryManagersAsync(Guid locationId, CancellationToken ct)
    {
        var there = await db.StaffLocations.Where(s => s.LocationId == locationId).Select(s => s.StaffUserId).ToListAsync(ct);
        if (there.Count == 0) return [];
        var managers = (await users.GetUsersInRoleAsync(StaffRoles.Manager)).Concat(await users.GetUsersInRoleAsync(StaffRoles.Admin));
        return managers.Where(u => u.DisabledAt is null && there.Contains(u.Id))
            .OrderBy(u => u.DisplayName).Select(u => (u.Id, u.DisplayName)).ToList();
    }

    /// <summary>Visits still to come at the location (booked or checked in): a location cannot close over them.</summary>
    public Task<int> UpcomingVisitsAsync(Guid locationId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Appointments.CountAsync(a => a.LocationId == locationId && a.End > now
            && (a.Status == AppointmentStatus.Booked || a.Status == AppointmentStatus.CheckedIn), ct);
    }

    public async Task<PlacesSave> CreateAsync(LocationForm form, CancellationToken ct)
    {
        var location = new Location
        {
            Id = Guid.CreateVersion7(), Name = "", Slug = "", AddressLine = "", City = "", Region = "", PostalCode = "", TimeZoneId = "", Phone = "",
        };
        if (await ApplyAsync(location, form, ct) is { } invalid) return invalid;
        db.Locations.Add(location);
        audit.Record(AuditActions.LocationCreated, $"Created location {location.Name} ({location.Slug})");
        return await SaveAsync(location, ct);
    }

    public async Task<PlacesSave> UpdateAsync(Guid id, uint shownVersion, LocationForm form, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is not { } location) return new PlacesSave.NotFound();
        if (location.Version != shownVersion) return new PlacesSave.ChangedMeanwhile();
        if (await ApplyAsync(location, form, ct) is { } invalid) return invalid;
        db.ChangeTracker.DetectChanges();
        var changed = db.Entry(location).Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name).ToList();
        if (changed.Count == 0) return new PlacesSave.Saved(location.Id, location.Name);
        audit.Record(AuditActions.LocationChanged, $"Changed location {location.Name}: {string.Join(", ", changed)}");
        return await SaveAsync(location, ct);
    }

    /// <summary>Deactivating keeps the location's history and takes it off /book; refused while visits are still to come there.</summary>
    public async Task<PlacesSave> SetActiveAsync(Guid id, uint shownVersion, bool active, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is not { } location) return new PlacesSave.NotFound();
        if (location.Version != shownVersion) return new PlacesSave.ChangedMeanwhile();
        if (location.IsActive == active) return new PlacesSave.Saved(location.Id, location.Name);
        if (!active && await UpcomingVisitsAsync(id, ct) is var upcoming and > 0)
            return new PlacesSave.Invalid(new Dictionary<string, string>
            {
                ["isActive"] = $"{location.Name} still has {upcoming} upcoming {(upcoming == 1 ? "visit" : "visits")}. Move or cancel them on the schedule first; then deactivate it.",
            });
        location.IsActive = active;
        audit.Record(active ? AuditActions.LocationActivated : AuditActions.LocationDeactivated,
            $"{(active ? "Reactivated" : "Deactivated")} location {location.Name}");
        return await SaveAsync(location, ct);
    }

    private async Task<Location?> LoadAsync(Guid id, CancellationToken ct) =>
        await db.Locations.FirstOrDefaultAsync(l => l.Id == id, ct);

    private async Task<PlacesSave.Invalid?> ApplyAsync(Location location, LocationForm form, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var name = PlacesRules.Text(form.Name, "name", "location's name", 200, required: true, errors);
        var slug = PlacesRules.SlugOrFromName(form.Slug, form.Name);
        if (PlacesRules.SlugProblem(slug) is { } slugProblem) errors["slug"] = slugProblem;
        else if (await db.Locations.AnyAsync(l => l.Slug == slug && l.Id != location.Id, ct))
            errors["slug"] = $"Another location already uses \"{slug}\". Choose a different one.";
        var address = PlacesRules.Text(form.AddressLine, "addressLine", "street address", 200, required: true, errors);
        var city = PlacesRules.Text(form.City, "city", "city", 100, required: true, errors);
        var region = PlacesRules.Text(form.Region, "region", "state or region", 100, required: true, errors);
        var postal = PlacesRules.Text(form.PostalCode, "postalCode", "postal code", 20, required: true, errors);
        var zone = form.TimeZoneId?.Trim();
        if (!TimeZoneChoices.IsKnown(zone)) errors["timeZoneId"] = "Choose the location's time zone from the list.";
        var phone = PlacesRules.Text(form.Phone, "phone", "phone number", 40, required: true, errors);
        if (phone is not null && !errors.ContainsKey("phone") && (phone.Any(c => !char.IsAsciiDigit(c) && !" +-().".Contains(c)) || phone.Count(char.IsAsciiDigit) < 6))
            errors["phone"] = "Enter a phone number customers can call: digits, spaces, + - ( ) only.";
        var directions = PlacesRules.Text(form.DirectionsUrl, "directionsUrl", "directions link", 500, required: false, errors);
        if (directions is not null && !errors.ContainsKey("directionsUrl")
            && (!Uri.TryCreate(directions, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0))
            errors["directionsUrl"] = "The directions link must be a full web address starting with https:// (or http://).";
        var arrival = PlacesRules.Text(form.ArrivalNotes, "arrivalNotes", "arrival notes", MaxNotes, required: false, errors);
        var parking = PlacesRules.Text(form.ParkingNotes, "parkingNotes", "parking notes", MaxNotes, required: false, errors);
        var manager = string.IsNullOrWhiteSpace(form.ServiceRecoveryManagerId) ? null : form.ServiceRecoveryManagerId.Trim();
        if (manager is not null && manager != location.ServiceRecoveryManagerId && (await RecoveryManagersAsync(location.Id, ct)).All(m => m.Id != manager))
            errors["serviceRecoveryManagerId"] = "Choose a manager or admin who works at this location, or nobody.";
        if (errors.Count > 0) return new PlacesSave.Invalid(errors);

        location.Name = name!;
        location.Slug = slug;
        location.AddressLine = address!;
        location.City = city!;
        location.Region = region!;
        location.PostalCode = postal!;
        location.TimeZoneId = zone!;
        location.Phone = phone!;
        location.DirectionsUrl = directions;
        location.ArrivalNotes = arrival;
        location.ParkingNotes = parking;
        location.ServiceRecoveryManagerId = manager;
        return null;
    }

    private async Task<PlacesSave> SaveAsync(Location location, CancellationToken ct)
    {
        // The update must still find the version read (the one the form showed): a save in between fails it instead of being overwritten.
        try
        {
            await db.SaveChangesAsync(ct);
            return new PlacesSave.Saved(location.Id, location.Name);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new PlacesSave.ChangedMeanwhile();
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another admin took the slug between the check and the save.
            return new PlacesSave.Invalid(new Dictionary<string, string> { ["slug"] = $"Another location already uses \"{location.Slug}\". Choose a different one." });
        }
    }
}
