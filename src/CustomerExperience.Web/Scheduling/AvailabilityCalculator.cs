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
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        if (from < today) from = today;
        var last = from.AddDays(days - 1);
        var horizon = today.AddDays(rules.HorizonDays);
        if (last > horizon) last = horizon;
        var earliest = now + rules.MinimumNotice;

        var busyByResource = busy.GroupBy(b => b.ResourceId).ToDictionary(g => g.Key, g => g.OrderBy(b => b.Start).ToList());
        var slots = new SortedDictionary<DateTimeOffset, (DateTimeOffset End, List<Guid> Free)>();

        for (var day = from; day <= last; day = day.AddDays(1))
        {
            if (locationClosures.Any(c => c.Contains(day))) continue;
            foreach (var resource in resources)
            {
                if (resource.Closures.Any(c => c.Contains(day))) continue;
                var taken = busyByResource.GetValueOrDefault(resource.ResourceId) ?? [];
                foreach (var hours in resource.Hours.Where(h => h.Day == day.DayOfWeek))
                foreach (var start in Starts(zone, day, hours, duration, rules.SlotStepMinutes))
                {
                    if (start < earliest) continue;
                    var end = start + duration;
                    var blockedUntil = end + buffer;
                    if (taken.Any(b => b.Start < blockedUntil && start < b.BlockedUntil)) continue;

                    var utc = start.ToUniversalTime();
                    if (!slots.TryGetValue(utc, out var slot))
                        slots[utc] = slot = (end, []);
                    slot.Free.Add(resource.ResourceId);
                }
            }
        }

        // Spread bookings: the resource with the fewest visits that day goes first.
        var load = busy.GroupBy(b => (b.ResourceId, Day: DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(b.Start, zone).DateTime)))
            .ToDictionary(g => g.Key, g => g.Count());
        return slots.Select(pair =>
        {
            var start = TimeZoneInfo.ConvertTime(pair.Key, zone);
            var day = DateOnly.FromDateTime(start.DateTime);
            var free = pair.Value.Free.Distinct()
                .OrderBy(id => load.GetValueOrDefault((id, day))).ThenBy(id => id).ToList();
            return new Slot(start, TimeZoneInfo.ConvertTime(pair.Value.End, zone), free);
        }).ToList();
    }

    /// <summary>Instants whose local time is on the step grid inside one working period, with the whole visit inside it.</summary>
    private static IEnumerable<DateTimeOffset> Starts(TimeZoneInfo zone, DateOnly day, WorkingHours hours, TimeSpan duration, int step)
    {
        var opens = ToInstant(zone, day, hours.Opens, earliest: true);
        var closes = hours.Closes == TimeOnly.MinValue
            ? ToInstant(zone, day.AddDays(1), TimeOnly.MinValue, earliest: true)
            : ToInstant(zone, day, hours.Closes, earliest: true);
        var seen = new HashSet<DateTimeOffset>();
        for (var minutes = 0; minutes < 24 * 60; minutes += step)
        {
            var local = day.ToDateTime(TimeOnly.MinValue).AddMinutes(minutes);
            if (zone.IsInvalidTime(local)) continue; // the hour skipped by spring-forward does not exist
            var offsets = zone.IsAmbiguousTime(local)
                ? zone.GetAmbiguousTimeOffsets(local).OrderByDescending(o => o).ToArray() // earlier instant first
                : [zone.GetUtcOffset(local)];
            foreach (var offset in offsets)
            {
                var start = new DateTimeOffset(local, offset);
                if (start >= opens && start + duration <= closes && seen.Add(start.ToUniversalTime()))
                    yield return start;
            }
        }
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
