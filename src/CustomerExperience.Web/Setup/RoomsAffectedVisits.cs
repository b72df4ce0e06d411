using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Setup;

/// <summary>
/// Which booked visits (booked, not yet started, not cancelled) a set-up change leaves without a place, by the same rules
/// the availability calculator offers times by (<see cref="AvailabilityCalculator.Fits"/>: local days in the location's
/// zone, each working interval whole). Callers hold the row lock of what they change, so the answer cannot go stale before
/// they commit.
/// </summary>
public class RoomsAffectedVisits(AppDbContext db, AvailabilityService availability, TimeProvider clock)
{
    /// <summary>The room's visits that the proposed values leave out: out of use, moved elsewhere, no longer performing the
    /// service, or outside the new hours.</summary>
    public async Task<List<Appointment>> ByRoomChangeAsync(Resource room, RoomValues proposed, CancellationToken ct)
    {
        var visits = await Booked().Where(a => a.ResourceId == room.Id).ToListAsync(ct);
        if (visits.Count == 0) return visits;
        var calendar = new ResourceCalendar(room.Id, proposed.Hours, room.Closures.Select(c => new DateRange(c.From, c.To)).ToList());
        var closures = await ClosuresAsync(visits, ct);
        return visits.Where(a => !(proposed.Active && proposed.LocationId == a.LocationId && proposed.ServiceIds.Contains(a.ServiceId)
            && AvailabilityCalculator.Fits(a.Location!.TimeZone, closures[a.LocationId], calendar, a.Start, a.End))).ToList();
    }

    /// <summary>Visits at the location (or only on that room) whose local day falls in the closure.</summary>
    public async Task<List<Appointment>> ByClosureAsync(Guid locationId, Guid? resourceId, DateRange range, CancellationToken ct)
    {
        // A UTC window a day wider each side than the local days; the local day of each visit decides.
        var from = new DateTimeOffset(range.From.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = new DateTimeOffset(range.To.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var visits = await Booked()
            .Where(a => a.LocationId == locationId && (resourceId == null || a.ResourceId == resourceId) && a.Start >= from && a.Start < to)
            .ToListAsync(ct);
        return visits.Where(a => range.Contains(a.Location!.LocalDate(a.Start))).ToList();
    }

    /// <summary>
    /// The location's visits that have no place in its set-up as it stands: left by an earlier change whose moves failed
    /// or were never made, or whose customers were asked to choose a new time and have not yet.
    /// </summary>
    public async Task<List<Appointment>> StrandedAsync(Guid locationId, CancellationToken ct)
    {
        var visits = await Booked().Where(a => a.LocationId == locationId).ToListAsync(ct);
        if (visits.Count == 0) return visits;
        var resourceIds = visits.Select(a => a.ResourceId).Distinct().ToList();
        var rooms = await db.Resources.AsNoTracking().Where(r => resourceIds.Contains(r.Id))
            .Select(r => new { r.Id, r.IsActive, r.LocationId, Services = r.Services.Select(s => s.Id).ToList() })
            .ToDictionaryAsync(r => r.Id, ct);
        var calendars = await availability.CalendarsAsync(resourceIds, ct);
        var closures = await availability.LocationClosuresAsync(locationId, ct);
        return visits.Where(a => rooms[a.ResourceId] is var room
            && !(room.IsActive && room.LocationId == a.LocationId && room.Services.Contains(a.ServiceId)
                 && AvailabilityCalculator.Fits(a.Location!.TimeZone, closures, calendars[a.ResourceId], a.Start, a.End))).ToList();
    }

    private IQueryable<Appointment> Booked()
    {
        var now = clock.GetUtcNow();
        return db.Appointments.AsNoTracking()
            .Where(a => a.Status == AppointmentStatus.Booked && a.Start > now)
            .Include(a => a.Customer).Include(a => a.Service).Include(a => a.Location).Include(a => a.Resource)
            .OrderBy(a => a.Start);
    }

    private async Task<Dictionary<Guid, List<DateRange>>> ClosuresAsync(List<Appointment> visits, CancellationToken ct)
    {
        var locationIds = visits.Select(a => a.LocationId).Distinct().ToList();
        var closures = await db.LocationClosures.AsNoTracking().Where(c => locationIds.Contains(c.LocationId)).ToListAsync(ct);
        return locationIds.ToDictionary(id => id, id => closures.Where(c => c.LocationId == id).Select(c => new DateRange(c.From, c.To)).ToList());
    }
}
