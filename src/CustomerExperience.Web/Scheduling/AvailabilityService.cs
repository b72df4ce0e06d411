using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Scheduling;

/// <summary>Loads what the calculator needs from the database: one query each, no tracking.</summary>
public class AvailabilityService(AppDbContext db, TimeProvider clock, IOptions<BookingRules> rules)
{
    /// <summary>The service and location, when that service is offered there; null otherwise.</summary>
    public async Task<(Service Service, Location Location)?> FindAsync(Guid serviceId, Guid locationId, CancellationToken ct)
    {
        var service = await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Id == serviceId && s.IsActive, ct);
        var location = await db.Locations.AsNoTracking().Include(l => l.Closures).FirstOrDefaultAsync(l => l.Id == locationId, ct);
        if (service is null || location is null) return null;
        var offered = await db.Resources.AnyAsync(r => r.LocationId == locationId && r.IsActive && r.Services.Any(s => s.Id == serviceId), ct);
        return offered ? (service, location) : null;
    }

    /// <param name="ignoreAppointmentId">The visit being moved, when rescheduling: its own time is not in its way.</param>
    /// <param name="ignoreBookings">Every time the rules allow, taken or not: tells "taken" from "never bookable".</param>
    public async Task<IReadOnlyList<Slot>> GetSlotsAsync(Guid serviceId, Guid locationId, DateOnly from, int days,
        CancellationToken ct, Guid? ignoreAppointmentId = null, bool ignoreBookings = false)
    {
        if (await FindAsync(serviceId, locationId, ct) is not var (service, location)) return [];

        var resources = await db.Resources.AsNoTracking()
            .Where(r => r.LocationId == locationId && r.IsActive && r.Services.Any(s => s.Id == serviceId))
            .Include(r => r.WorkingHours).Include(r => r.Closures)
            .AsSplitQuery()
            .ToListAsync(ct);
        var ids = resources.Select(r => r.Id).ToList();

        // The window in UTC, widened by a day each side so zone offsets and buffers cannot hide a neighbour.
        var windowStart = new DateTimeOffset(from.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var windowEnd = new DateTimeOffset(from.AddDays(days + 1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var busy = ignoreBookings ? [] : await BusyAsync(ids, windowStart, windowEnd, ignoreAppointmentId, ct);

        return AvailabilityCalculator.FreeSlots(
            location.TimeZone,
            location.Closures.Select(c => new DateRange(c.From, c.To)).ToList(),
            resources.Select(r => new ResourceCalendar(r.Id, r.WorkingHours, r.Closures.Select(c => new DateRange(c.From, c.To)).ToList())).ToList(),
            busy, service.Duration, service.Buffer, from, days, clock.GetUtcNow(), rules.Value);
    }

    /// <summary>
    /// Visits that overlap the window. Written as a range overlap so Postgres answers it from the GiST index
    /// behind the no-double-booking constraint (same expression, same predicate), whatever the history or the
    /// number of future bookings.
    /// </summary>
    private async Task<List<BusyInterval>> BusyAsync(List<Guid> resourceIds, DateTimeOffset from, DateTimeOffset to, Guid? ignore, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<BusyRow>($"""
            SELECT resource_id, start, blocked_until
            FROM cx.appointments
            WHERE resource_id = ANY({resourceIds.ToArray()})
              AND status <> 'Cancelled'
              AND tstzrange(start, blocked_until, '[)') && tstzrange({from.ToUniversalTime()}, {to.ToUniversalTime()}, '[)')
              AND id <> {ignore ?? Guid.Empty}
            """).ToListAsync(ct);
        return rows.ConvertAll(r => new BusyInterval(r.ResourceId, r.Start, r.BlockedUntil));
    }

    private sealed class BusyRow
    {
        public Guid ResourceId { get; init; }
        public DateTimeOffset Start { get; init; }
        public DateTimeOffset BlockedUntil { get; init; }
    }
}
