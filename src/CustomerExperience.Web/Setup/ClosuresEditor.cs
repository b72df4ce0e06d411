using System.Globalization;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Setup;

/// <summary>A closure as its form sends it: a location, optionally one room, a first and last day (local dates), a reason.</summary>
public sealed record ClosureForm(string? LocationId, string? ResourceId, string? From, string? To, string? Reason);

/// <summary>
/// Holidays and other closed days, for a whole location (LocationClosure) or one room (ResourceClosure), both read by the
/// availability calculator by the location's local date. Adding one is checked against the booked visits under the row
/// lock of what closes (the location or the room), as <see cref="RoomsEditor"/> does for hours.
/// </summary>
public class ClosuresEditor(AppDbContext db, RoomsAffectedVisits affected, Audit audit, TimeProvider clock)
{
    public const int MaxReason = 120;
    public const int MaxDays = 366;

    public async Task<SetupOutcome> AddAsync(ClosureForm form, IReadOnlyCollection<Guid> acknowledged, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        Location? location = null;
        if (Guid.TryParse(form.LocationId, out var locationId))
            location = await db.Locations.AsNoTracking().SingleOrDefaultAsync(l => l.Id == locationId, ct);
        if (location is null) errors["locationId"] = "Choose one of the locations listed.";

        Resource? room = null;
        if (!string.IsNullOrEmpty(form.ResourceId))
        {
            if (Guid.TryParse(form.ResourceId, out var resourceId))
                room = await db.Resources.AsNoTracking().SingleOrDefaultAsync(r => r.Id == resourceId, ct);
            if (room is null || (location is not null && room.LocationId != location.Id))
                errors["resourceId"] = "Choose a room or machine of that location, or the whole location.";
        }

        var from = Date(form.From);
        var to = string.IsNullOrWhiteSpace(form.To) ? from : Date(form.To);
        if (from is null) errors["from"] = "Enter the first closed day as a date, for example 2026-12-24.";
        if (to is null) errors["to"] = "Enter the last closed day as a date, or leave it empty for a single day.";
        else if (from is { } f && to < f) errors["to"] = "The last closed day is before the first. Check the dates.";
        else if (from is { } f2 && to.Value.DayNumber - f2.DayNumber >= MaxDays) errors["to"] = $"A closure can be at most {MaxDays} days long.";
        else if (location is not null && to < location.LocalDate(clock.GetUtcNow())) errors["to"] = "That closure is over already. Closures are for days to come.";

        var reason = form.Reason?.Trim() ?? "";
        if (reason.Length == 0) errors["reason"] = "Say why it is closed, for example “Thanksgiving”. Customers who are asked to move see it.";
        else if (reason.Length > MaxReason) errors["reason"] = $"Keep the reason to {MaxReason} characters.";
        else if (reason.Any(char.IsControl)) errors["reason"] = "The reason cannot contain line breaks or control characters.";
        if (errors.Count > 0) return new SetupOutcome.Invalid(errors);

        var range = new DateRange(from!.Value, to!.Value);
        await using var transaction = await db.BeginUnlessInTransactionAsync(ct);
        if (room is null)
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM cx.locations WHERE id = {location!.Id} FOR UPDATE", ct);
        else
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM cx.resources WHERE id = {room.Id} FOR UPDATE", ct);
        var lost = await affected.ByClosureAsync(location!.Id, room?.Id, range, ct);
        if (lost.Count > 0 && !lost.Select(v => v.Id).ToHashSet().SetEquals(acknowledged))
            return new SetupOutcome.Confirm(lost, ListChanged: acknowledged.Count > 0);

        Guid id = Guid.CreateVersion7();
        if (room is null)
            db.LocationClosures.Add(new LocationClosure { Id = id, LocationId = location.Id, From = range.From, To = range.To, Reason = reason });
        else
            db.ResourceClosures.Add(new ResourceClosure { Id = id, ResourceId = room.Id, From = range.From, To = range.To, Reason = reason });
        var where = room is null ? location.Name : $"{room.Name} at {location.Name}";
        audit.Record(AuditActions.ClosureAdded, $"Closed {where} {Describe(range)}: {reason}" +
            (lost.Count > 0 ? $"; {lost.Count} booked {(lost.Count == 1 ? "visit" : "visits")} affected" : ""));
        await db.SaveChangesAsync(ct);
        if (transaction is not null) await transaction.CommitAsync(ct);

        var closed = room is null ? location.Name : $"The room booked for your visit at {location.Name}";
        return new SetupOutcome.Saved(id, lost, $"{closed} is closed that day ({reason}).");
    }

    /// <summary>Removing a closure only opens time; it never affects a booked visit. False when it was removed already.</summary>
    public async Task<bool> RemoveAsync(Guid id, CancellationToken ct)
    {
        if (await db.LocationClosures.SingleOrDefaultAsync(c => c.Id == id, ct) is { } atLocation)
        {
            var location = await db.Locations.AsNoTracking().SingleAsync(l => l.Id == atLocation.LocationId, ct);
            db.LocationClosures.Remove(atLocation);
            audit.Record(AuditActions.ClosureRemoved, $"Reopened {location.Name} {Describe(new DateRange(atLocation.From, atLocation.To))} (was: {atLocation.Reason})");
            await db.SaveChangesAsync(ct);
            return true;
        }
        if (await db.ResourceClosures.SingleOrDefaultAsync(c => c.Id == id, ct) is { } onRoom)
        {
            var room = await db.Resources.Include(r => r.Location).SingleAsync(r => r.Id == onRoom.ResourceId, ct);
            db.ResourceClosures.Remove(onRoom);
            audit.Record(AuditActions.ClosureRemoved, $"Reopened {room.Name} at {room.Location!.Name} {Describe(new DateRange(onRoom.From, onRoom.To))} (was: {onRoom.Reason})");
            await db.SaveChangesAsync(ct);
            return true;
        }
        return false;
    }

    public static string Describe(DateRange range) => range.From == range.To
        ? $"on {range.From.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}"
        : $"from {range.From.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)} to {range.To.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}";

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
