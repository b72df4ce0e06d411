using CustomerExperience.Web.Domain;

namespace CustomerExperience.Web.Scheduling;

public sealed record DateRange(DateOnly From, DateOnly To)
{
    public bool Contains(DateOnly day) => day >= From && day <= To;
}

public sealed record ResourceCalendar(Guid ResourceId, IReadOnlyList<WorkingHours> Hours, IReadOnlyList<DateRange> Closures);

/// <summary>Time a resource is taken: a visit from its start until its end plus buffer.</summary>
public sealed record BusyInterval(Guid ResourceId, DateTimeOffset Start, DateTimeOffset BlockedUntil);

/// <summary>A bookable time. Start and End carry the location's UTC offset at that instant.</summary>
public sealed record Slot(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<Guid> FreeResourceIds);

/// <summary>
/// Free slots from working hours, closures and existing visits. Plain C#: all inputs are passed in.
/// Days are local days in the location's zone; candidate starts are local wall-clock times on the step
/// grid, converted to instants with the zone's rules, so DST days neither lose nor duplicate slots and
/// 08:00 stays 08:00 on both sides of a change. Durations are real elapsed time.
/// </summary>
public static class AvailabilityCalculator
{
    public static IReadOnlyList<Slot> FreeSlots(
        TimeZoneInfo zone, IReadOnlyList<DateRange> locationClosures, IReadOnlyList<ResourceCalendar> resources,
        IReadOnlyList<BusyInterval> busy, TimeSpan duration, TimeSpan buffer, DateOnly from, int days,
        DateTimeOffset now, BookingRules rules)
    {
        var (first, last) = Window(zone, from, days, now, rules);
        var earliest = now + rules.MinimumNotice;
        var busyByResource = ByResource(busy);
        var slots = new List<Slot>();
        for (var day = first; day <= last; day = day.AddDays(1))
            slots.AddRange(DaySlots(zone, locationClosures, resources, busyByResource, duration, buffer, day, rules.SlotStepMinutes)
                .Where(s => s.Start >= earliest));
        return slots;
    }

    /// <summary>The local days of [from, from + days) that can be offered now: from today, up to the horizon.</summary>
    public static (DateOnly First, DateOnly Last) Window(TimeZoneInfo zone, DateOnly from, int days, DateTimeOffset now, BookingRules rules)
    {
        var today = Location.DateIn(zone, now);
        var first = from < today ? today : from;
        var last = from.AddDays(days - 1);
        var horizon = today.AddDays(rules.HorizonDays);
        return (first, last > horizon ? horizon : last);
    }

    /// <summary>Busy intervals per resource, each resource's sorted by end (as <see cref="DaySlots"/> expects).</summary>
    public static Dictionary<Guid, BusyInterval[]> ByResource(IReadOnlyList<BusyInterval> busy) =>
        busy.GroupBy(b => b.ResourceId).ToDictionary(g => g.Key, g => g.OrderBy(b => b.BlockedUntil).ToArray());

    /// <summary>
    /// Every free slot of one local day, whatever the time now: the caller leaves out what is too soon to book. Depends on
    /// nothing but its arguments, so a day's slots can be kept until the set-up or the visits of its location change.
    /// </summary>
    public static List<Slot> DaySlots(
        TimeZoneInfo zone, IReadOnlyList<DateRange> locationClosures, IReadOnlyList<ResourceCalendar> resources,
        Dictionary<Guid, BusyInterval[]> busyByResource, TimeSpan duration, TimeSpan buffer, DateOnly day, int step)
    {
        var slots = new List<Slot>();
        if (locationClosures.Any(c => c.Contains(day))) return slots;
        var local = new LocalDay(zone, day, step);

        // Per resource: its working periods as instants, its visits, and how busy it already is that day.
        var open = new List<(Guid Id, (DateTimeOffset Opens, DateTimeOffset Closes)[] Periods, BusyInterval[] Taken, int Load)>();
        foreach (var resource in resources)
        {
            if (resource.Closures.Any(c => c.Contains(day))) continue;
            var periods = resource.Hours.Where(h => h.Day == day.DayOfWeek)
                .Select(h => (local.At(zone, h.Opens), local.At(zone, h.Closes, closing: true))).ToArray();
            if (periods.Length == 0) continue;
            var taken = busyByResource.GetValueOrDefault(resource.ResourceId) ?? [];
            open.Add((resource.ResourceId, periods, taken, taken.Count(b => b.Start >= local.Start && b.Start < local.End)));
        }
        if (open.Count == 0) return slots;
        // Spread bookings: the resource with the fewest visits that day is offered first.
        open.Sort((x, y) => x.Load != y.Load ? x.Load.CompareTo(y.Load) : x.Id.CompareTo(y.Id));

        foreach (var start in local.Grid)
        {
            var end = start + duration;
            List<Guid>? free = null;
            foreach (var resource in open)
            {
                if (!Array.Exists(resource.Periods, p => start >= p.Opens && end <= p.Closes)) continue;
                if (Overlaps(resource.Taken, start, end + buffer)) continue;
                (free ??= []).Add(resource.Id);
            }
            if (free is not null)
                slots.Add(new Slot(start, local.FixedOffset is { } offset && end <= local.End ? end.ToOffset(offset) : TimeZoneInfo.ConvertTime(end, zone), free));
        }
        return slots;
    }

    /// <summary>
    /// Whether a visit of [start, end) still has a place on this resource's calendar by the rules <see cref="FreeSlots"/>
    /// offers times by: its local day (the location's zone) is closed neither for the location nor for the resource, and
    /// one working period of that weekday holds it whole. Other visits and the booking notice are not considered.
    /// </summary>
    public static bool Fits(TimeZoneInfo zone, IReadOnlyList<DateRange> locationClosures, ResourceCalendar resource,
        DateTimeOffset start, DateTimeOffset end)
    {
        var day = Location.DateIn(zone, start);
        if (locationClosures.Any(c => c.Contains(day)) || resource.Closures.Any(c => c.Contains(day))) return false;
        var local = new LocalDay(zone, day);
        return resource.Hours.Any(h => h.Day == day.DayOfWeek
            && start >= local.At(zone, h.Opens) && end <= local.At(zone, h.Closes, closing: true));
    }

    /// <summary>
    /// Whether [start, blockedUntil) meets any busy interval. <paramref name="taken"/> is sorted by end; a binary search
    /// finds the first interval ending after <paramref name="start"/>. The database keeps one resource's visits from
    /// overlapping, so checking forward from there until intervals start at or after the end is complete.
    /// </summary>
    private static bool Overlaps(BusyInterval[] taken, DateTimeOffset start, DateTimeOffset blockedUntil)
    {
        int low = 0, high = taken.Length;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (taken[mid].BlockedUntil > start) high = mid; else low = mid + 1;
        }
        for (var i = low; i < taken.Length && taken[i].Start < blockedUntil; i++)
            if (taken[i].BlockedUntil > start) return true;
        return false;
    }

    /// <summary>
    /// One local day: its start and end instants and every instant whose wall-clock time is on the step grid, in
    /// time order. The hour skipped by spring-forward is absent; the hour repeated by fall-back appears twice,
    /// earlier instant first. Most days have one offset all day, and then no grid point needs the (slow) zone rules.
    /// </summary>
    private sealed class LocalDay
    {
        public LocalDay(TimeZoneInfo zone, DateOnly date, int step) : this(zone, date)
        {
            var midnight = date.ToDateTime(TimeOnly.MinValue);
            for (var minutes = 0; minutes < 24 * 60; minutes += step)
            {
                var local = midnight.AddMinutes(minutes);
                if (FixedOffset is { } offset)
                    Grid.Add(new DateTimeOffset(local, offset));
                else if (zone.IsInvalidTime(local))
                    continue;
                else if (zone.IsAmbiguousTime(local))
                    Grid.AddRange(zone.GetAmbiguousTimeOffsets(local).OrderByDescending(o => o).Select(o => new DateTimeOffset(local, o)));
                else
                    Grid.Add(new DateTimeOffset(local, zone.GetUtcOffset(local)));
            }
            if (FixedOffset is null)
                Grid.Sort((x, y) => x.UtcDateTime.CompareTo(y.UtcDateTime)); // the repeated hour interleaves otherwise
        }

        /// <summary>The day without its grid, for placing working hours only.</summary>
        public LocalDay(TimeZoneInfo zone, DateOnly date)
        {
            Date = date;
            Start = ToInstant(zone, date, TimeOnly.MinValue, earliest: true);
            End = ToInstant(zone, date.AddDays(1), TimeOnly.MinValue, earliest: true);
            if (End - Start == TimeSpan.FromDays(1) && Start.Offset == End.Offset && !zone.IsAmbiguousTime(date.ToDateTime(TimeOnly.MinValue)))
                FixedOffset = Start.Offset;
        }

        public DateOnly Date { get; }
        public DateTimeOffset Start { get; }
        public DateTimeOffset End { get; }
        public TimeSpan? FixedOffset { get; }
        public List<DateTimeOffset> Grid { get; } = [];

        /// <summary>The instant of a wall-clock time this day; midnight as a closing time means the end of the day.</summary>
        public DateTimeOffset At(TimeZoneInfo zone, TimeOnly time, bool closing = false) =>
            closing && time == TimeOnly.MinValue ? End
            : FixedOffset is { } offset ? new DateTimeOffset(Date.ToDateTime(time), offset)
            : ToInstant(zone, Date, time, earliest: true);
    }

    /// <summary>A local date and time as an instant; a time in the spring-forward gap moves to the first valid instant after it.</summary>
    public static DateTimeOffset ToInstant(TimeZoneInfo zone, DateOnly day, TimeOnly time, bool earliest)
    {
        var local = day.ToDateTime(time);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            return new DateTimeOffset(local, earliest ? offsets.Max() : offsets.Min());
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The <paramref name="count"/> free slots closest in time to the wanted one (not itself), in time order.</summary>
    public static IReadOnlyList<Slot> NearestAlternatives(IReadOnlyList<Slot> slots, DateTimeOffset wanted, int count = 3) =>
        slots.Where(s => s.Start != wanted)
            .OrderBy(s => (s.Start - wanted).Duration()).ThenBy(s => s.Start)
            .Take(count)
            .OrderBy(s => s.Start)
            .ToList();
}
