using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Scheduling;

/// <summary>
/// Loads what the calculator needs. The clinic's set-up (service, location, rooms, hours, closures) changes
/// rarely and is read on every availability request and booking, so it is kept in memory for a short while
/// (Booking:SetupCacheSeconds, 30 by default); visits are always read fresh, and the database constraint has
/// the last word on double booking anyway.
/// </summary>
public class AvailabilityService(AppDbContext db, TimeProvider clock, IOptions<BookingRules> rules,
    IMemoryCache? cache = null, SetupChanges? changes = null)
{
    /// <summary>What does not change from one request to the next.</summary>
    public sealed record Setup(Service Service, Location Location, IReadOnlyList<ResourceCalendar> Resources);

    /// <summary>The service and location, when that service is offered there; null otherwise.</summary>
    public async Task<(Service Service, Location Location)?> FindAsync(Guid serviceId, Guid locationId, CancellationToken ct) =>
        await SetupAsync(serviceId, locationId, ct) is { } setup ? (setup.Service, setup.Location) : null;

    public async Task<Setup?> SetupAsync(Guid serviceId, Guid locationId, CancellationToken ct)
    {
        var seconds = rules.Value.SetupCacheSeconds;
        if (cache is null || seconds == 0)
            return await LoadSetupAsync(serviceId, locationId, ct);
        return await cache.GetOrCreateAsync(("availability-setup", serviceId, locationId), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(seconds);
            if (changes is not null) entry.AddExpirationToken(changes.Token);
            return LoadSetupAsync(serviceId, locationId, ct);
        });
    }

    private async Task<Setup?> LoadSetupAsync(Guid serviceId, Guid locationId, CancellationToken ct)
    {
        var service = await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Id == serviceId && s.IsActive, ct);
        var location = await db.Locations.AsNoTracking().Include(l => l.Closures).FirstOrDefaultAsync(l => l.Id == locationId && l.IsActive, ct);
        if (service is null || location is null) return null;
        var resources = await db.Resources.AsNoTracking()
            .Where(r => r.LocationId == locationId && r.IsActive && r.Services.Any(s => s.Id == serviceId))
            .Include(r => r.WorkingHours).Include(r => r.Closures)
            .AsSplitQuery()
            .ToListAsync(ct);
        if (resources.Count == 0) return null;
        return new Setup(service, location, resources
            .Select(r => new ResourceCalendar(r.Id, r.WorkingHours, r.Closures.Select(c => new DateRange(c.From, c.To)).ToList()))
            .ToList());
    }

    /// <summary>
    /// Whether the set-up as committed now (not the cached copy) still has a place for a visit just written on this
    /// resource. Called inside the booking's transaction: the KEY SHARE locks taken here wait for a set-up change in
    /// progress, which holds the resource or location row FOR UPDATE while it saves and lists the visits it affects, and
    /// that change in turn waits for this transaction. Either the change sees this visit, or this check sees the change.
    /// </summary>
    public async Task<bool> StillOpenAsync(Guid resourceId, Guid serviceId, Guid locationId, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var locked = await db.Database.SqlQuery<Guid>($"""
            SELECT r.id AS "Value" FROM cx.resources r JOIN cx.locations l ON l.id = r.location_id
            WHERE r.id = {resourceId} AND l.id = {locationId}
            FOR KEY SHARE OF r, l
            """).ToListAsync(ct);
        if (locked.Count == 0) return false;
        var resource = await db.Resources.AsNoTracking().Where(r => r.Id == resourceId)
            .Select(r => new { r.IsActive, Performs = r.Services.Any(s => s.Id == serviceId), r.Location!.TimeZoneId })
            .SingleAsync(ct);
        if (!resource.IsActive || !resource.Performs) return false;
        var calendar = (await CalendarsAsync([resourceId], ct))[resourceId];
        var closures = await LocationClosuresAsync(locationId, ct);
        return AvailabilityCalculator.Fits(TimeZoneInfo.FindSystemTimeZoneById(resource.TimeZoneId), closures, calendar, start, end);
    }

    /// <summary>The calendars of these resources as committed now (hours and their own closures).</summary>
    public async Task<Dictionary<Guid, ResourceCalendar>> CalendarsAsync(IReadOnlyCollection<Guid> resourceIds, CancellationToken ct)
    {
        var hours = (await db.WorkingHours.AsNoTracking().Where(h => resourceIds.Contains(h.ResourceId)).ToListAsync(ct)).ToLookup(h => h.ResourceId);
        var closures = (await db.ResourceClosures.AsNoTracking().Where(c => resourceIds.Contains(c.ResourceId)).ToListAsync(ct)).ToLookup(c => c.ResourceId);
        return resourceIds.ToDictionary(id => id, id => new ResourceCalendar(id, hours[id].ToList(),
            closures[id].Select(c => new DateRange(c.From, c.To)).ToList()));
    }

    public async Task<List<DateRange>> LocationClosuresAsync(Guid locationId, CancellationToken ct) =>
        await db.LocationClosures.AsNoTracking().Where(c => c.LocationId == locationId)
            .Select(c => new DateRange(c.From, c.To)).ToListAsync(ct);

    /// <param name="ignoreAppointmentId">The visit being moved, when rescheduling: its own time is not in its way.</param>
    /// <param name="ignoreBookings">Every time the rules allow, taken or not: tells "taken" from "never bookable".</param>
    public async Task<IReadOnlyList<Slot>> GetSlotsAsync(Guid serviceId, Guid locationId, DateOnly from, int days,
        CancellationToken ct, Guid? ignoreAppointmentId = null, bool ignoreBookings = false, bool staff = false)
    {
        if (await SetupAsync(serviceId, locationId, ct) is not { } setup) return [];
        var ids = setup.Resources.Select(r => r.ResourceId).ToList();

        // The window in UTC, widened by a day each side so zone offsets and buffers cannot hide a neighbour.
        var windowStart = new DateTimeOffset(from.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var windowEnd = new DateTimeOffset(from.AddDays(days + 1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var busy = ignoreBookings ? [] : await BusyAsync(ids, windowStart, windowEnd, ignoreAppointmentId, ct);

        return AvailabilityCalculator.FreeSlots(
            setup.Location.TimeZone,
            setup.Location.Closures.Select(c => new DateRange(c.From, c.To)).ToList(),
            setup.Resources, busy, setup.Service.Duration, setup.Service.Buffer, from, days, clock.GetUtcNow(), staff ? rules.Value.ForStaff() : rules.Value);
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
