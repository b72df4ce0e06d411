using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CustomerExperience.Web.Scheduling;

/// <summary>
/// Loads what the calculator needs and keeps what it computed: with a <see cref="SlotCache"/> (every instance has one
/// unless Booking:CacheSlots is false), the set-up and each day's free slots are reused while the location's
/// <see cref="AvailabilityVersion"/> stays the same, which costs one indexed read per request. Reads inside a transaction,
/// for a visit being moved, or ignoring bookings, always compute afresh; the database constraint has the last word on
/// double booking anyway.
/// </summary>
public class AvailabilityService(AppDbContext db, TimeProvider clock, IOptions<BookingRules> rules, SlotCache? cache = null)
{
    /// <summary>What does not change from one request to the next.</summary>
    public sealed record Setup(Service Service, Location Location, TimeZoneInfo Zone, IReadOnlyList<DateRange> Closures,
        IReadOnlyList<ResourceCalendar> Resources);

    /// <summary>The days offered: each day's free slots, of which those starting before <paramref name="Earliest"/> are too soon.</summary>
    public sealed record Offer(Setup Setup, IReadOnlyList<DaySlots> Days, DateTimeOffset Earliest)
    {
        public IEnumerable<Slot> Slots => Days.SelectMany(d => d.Slots.Skip(d.FirstFrom(Earliest)));
    }

    private bool Cached => cache is not null && rules.Value.CacheSlots && db.Database.CurrentTransaction is null;

    /// <summary>The service and location, when that service is offered there; null otherwise.</summary>
    public async Task<(Service Service, Location Location)?> FindAsync(Guid serviceId, Guid locationId, CancellationToken ct) =>
        await SetupAsync(serviceId, locationId, Cached ? (await VersionAsync(locationId, ct)).Setup : null, ct) is { } setup
            ? (setup.Service, setup.Location) : null;

    private async Task<Setup?> SetupAsync(Guid serviceId, Guid locationId, long? version, CancellationToken ct)
    {
        if (version is not { } current) return await LoadSetupAsync(serviceId, locationId, ct);
        if (cache!.TryGetSetup(serviceId, locationId, current, out var setup)) return setup;
        setup = await LoadSetupAsync(serviceId, locationId, ct);
        cache.SetSetup(serviceId, locationId, current, setup);
        return setup;
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
        return new Setup(service, location, location.TimeZone, location.Closures.Select(c => new DateRange(c.From, c.To)).ToList(), resources
            .Select(r => new ResourceCalendar(r.Id, r.WorkingHours, r.Closures.Select(c => new DateRange(c.From, c.To)).ToList()))
            .ToList());
    }

    /// <summary>The location's version as committed now: the sums of its shards (none yet: nothing changed since the migration).</summary>
    private async Task<AvailabilityVersion> VersionAsync(Guid locationId, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<VersionRow>($"""
            SELECT coalesce(sum(setup), 0)::bigint AS setup, coalesce(sum(bookings), 0)::bigint AS bookings
            FROM cx.availability_versions WHERE location_id = {locationId}
            """).ToListAsync(ct);
        return new AvailabilityVersion(rows[0].Setup, rows[0].Bookings);
    }

    private sealed class VersionRow
    {
        public long Setup { get; init; }
        public long Bookings { get; init; }
    }

    /// <summary>
    /// Whether the set-up as committed now (not the cached copy) still has a place for a visit just written on this
    /// resource. Called inside the booking's transaction: the KEY SHARE locks taken here wait for a set-up change in
    /// progress, which holds the resource or location row FOR UPDATE while it saves and lists the visits it affects, and
    /// that change in turn waits for this transaction. Either the change sees this visit, or this check sees the change.
    /// </summary>
    public async Task<bool> StillOpenAsync(Guid resourceId, Guid serviceId, Guid locationId, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        // One round trip: the lock first, then (each statement with its own snapshot, so after the lock) what it guards.
        await using var _ = await OpenAsync(ct);
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection())
        {
            BatchCommands =
            {
                new("""
                    SELECT r.is_active AND EXISTS (SELECT 1 FROM cx.resource_services s WHERE s.resource_id = r.id AND s.services_id = $3),
                           l.time_zone_id
                    FROM cx.resources r JOIN cx.locations l ON l.id = r.location_id
                    WHERE r.id = $1 AND l.id = $2
                    FOR KEY SHARE OF r, l
                    """) { Parameters = { new() { Value = resourceId }, new() { Value = locationId }, new() { Value = serviceId } } },
                new("SELECT day, opens, closes FROM cx.working_hours WHERE resource_id = $1") { Parameters = { new() { Value = resourceId } } },
                new("""SELECT "from", "to" FROM cx.resource_closures WHERE resource_id = $1""") { Parameters = { new() { Value = resourceId } } },
                new("""SELECT "from", "to" FROM cx.location_closures WHERE location_id = $1""") { Parameters = { new() { Value = locationId } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return false;
        var (performs, zone) = (reader.GetBoolean(0), reader.GetString(1));
        await reader.NextResultAsync(ct);
        var hours = new List<WorkingHours>();
        while (await reader.ReadAsync(ct))
            hours.Add(new WorkingHours
            {
                ResourceId = resourceId, Day = Enum.Parse<DayOfWeek>(reader.GetString(0)),
                Opens = reader.GetFieldValue<TimeOnly>(1), Closes = reader.GetFieldValue<TimeOnly>(2),
            });
        await reader.NextResultAsync(ct);
        var own = new List<DateRange>();
        while (await reader.ReadAsync(ct)) own.Add(new DateRange(reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateOnly>(1)));
        await reader.NextResultAsync(ct);
        var closures = new List<DateRange>();
        while (await reader.ReadAsync(ct)) closures.Add(new DateRange(reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateOnly>(1)));
        return performs && AvailabilityCalculator.Fits(TimeZoneInfo.FindSystemTimeZoneById(zone), closures,
            new ResourceCalendar(resourceId, hours, own), start, end);
    }

    /// <summary>Opens the context's connection for raw Npgsql commands (inside its transaction, if any) until disposed,
    /// unless it was open already.</summary>
    private async Task<IAsyncDisposable> OpenAsync(CancellationToken ct)
    {
        if (db.Database.GetDbConnection().State == System.Data.ConnectionState.Open) return NothingToClose.Instance;
        await db.Database.OpenConnectionAsync(ct);
        return new ClosesConnection(db);
    }

    private sealed class NothingToClose : IAsyncDisposable
    {
        public static readonly NothingToClose Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class ClosesConnection(AppDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await db.Database.CloseConnectionAsync();
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
    /// <param name="staff">The front desk's rules: no minimum notice.</param>
    public async Task<IReadOnlyList<Slot>> GetSlotsAsync(Guid serviceId, Guid locationId, DateOnly from, int days,
        CancellationToken ct, Guid? ignoreAppointmentId = null, bool ignoreBookings = false, bool staff = false) =>
        await OfferAsync(serviceId, locationId, from, days, ct, ignoreAppointmentId, ignoreBookings, staff) is { } offer
            ? offer.Slots.ToList() : [];

    /// <summary>The free slots of <paramref name="days"/> local days from <paramref name="from"/>; null when the service is not
    /// offered at the location.</summary>
    public Task<Offer?> OfferAsync(Guid serviceId, Guid locationId, DateOnly from, int days,
        CancellationToken ct, Guid? ignoreAppointmentId = null, bool ignoreBookings = false, bool staff = false) =>
        OfferAsync(serviceId, locationId, _ => from, days, ct, ignoreAppointmentId, ignoreBookings, staff);

    /// <summary>The free slots of the local day (in the location's zone) that <paramref name="instant"/> falls on; null when
    /// the service is not offered at the location.</summary>
    public Task<Offer?> OfferOnAsync(Guid serviceId, Guid locationId, DateTimeOffset instant, CancellationToken ct, bool staff = false) =>
        OfferAsync(serviceId, locationId, setup => Location.DateIn(setup.Zone, instant), 1, ct, staff: staff);

    private async Task<Offer?> OfferAsync(Guid serviceId, Guid locationId, Func<Setup, DateOnly> fromDay, int days,
        CancellationToken ct, Guid? ignoreAppointmentId = null, bool ignoreBookings = false, bool staff = false)
    {
        AvailabilityVersion? version = Cached ? await VersionAsync(locationId, ct) : null;
        if (await SetupAsync(serviceId, locationId, version?.Setup, ct) is not { } setup)
            return null;
        var from = fromDay(setup);
        // A day's copy holds every booking: not for a visit being moved (its own time is free to it) nor for "could it ever be booked".
        if (ignoreAppointmentId is not null || ignoreBookings) version = null;
        var now = clock.GetUtcNow();
        var dayRules = staff ? rules.Value.ForStaff() : rules.Value;
        var (first, last) = AvailabilityCalculator.Window(setup.Zone, from, days, now, dayRules);

        var found = new List<DaySlots?>();
        for (var day = first; day <= last; day = day.AddDays(1))
            found.Add(version is { } current ? cache!.Day(serviceId, locationId, day, current) : null);
        var missing = Enumerable.Range(0, found.Count).Where(i => found[i] is null).ToList();
        if (missing.Count > 0)
        {
            // The visits that can meet a slot of the days to compute: from the first day's local midnight until a visit
            // starting just before the last day ends would be over, buffer included.
            var busy = ignoreBookings ? [] : await BusyAsync(setup.Resources.Select(r => r.ResourceId).ToArray(),
                AvailabilityCalculator.ToInstant(setup.Zone, first.AddDays(missing[0]), TimeOnly.MinValue, earliest: true),
                AvailabilityCalculator.ToInstant(setup.Zone, first.AddDays(missing[^1] + 1), TimeOnly.MinValue, earliest: true)
                    + setup.Service.Duration + setup.Service.Buffer,
                ignoreAppointmentId, ct);
            var byResource = AvailabilityCalculator.ByResource(busy);
            foreach (var i in missing)
            {
                var day = first.AddDays(i);
                var slots = new DaySlots(day, AvailabilityCalculator.DaySlots(setup.Zone, setup.Closures, setup.Resources, byResource,
                    setup.Service.Duration, setup.Service.Buffer, day, dayRules.SlotStepMinutes));
                if (version is { } current) cache!.SetDay(serviceId, locationId, current, slots);
                found[i] = slots;
            }
        }
        return new Offer(setup, found!, now + dayRules.MinimumNotice);
    }

    /// <summary>
    /// Visits that overlap the window. Written as a range overlap so Postgres answers it from the GiST index
    /// behind the no-double-booking constraint (same expression, same predicate), whatever the history or the
    /// number of future bookings. Read with Npgsql directly: a busy day is thousands of rows, and EF's buffering
    /// and materialisation of them cost more than the query.
    /// </summary>
    private async Task<List<BusyInterval>> BusyAsync(Guid[] resourceIds, DateTimeOffset from, DateTimeOffset to, Guid? ignore, CancellationToken ct)
    {
        await using var _ = await OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT resource_id, start, blocked_until
            FROM cx.appointments
            WHERE resource_id = ANY($1)
              AND status <> 'Cancelled'
              AND tstzrange(start, blocked_until, '[)') && tstzrange($2, $3, '[)')
              AND id <> $4
            """, (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = resourceIds });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = to.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = ignore ?? Guid.Empty });
        var busy = new List<BusyInterval>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            busy.Add(new BusyInterval(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return busy;
    }
}
