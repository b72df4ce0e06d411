using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Scheduling;

namespace CustomerExperience.Web.Recovery;

/// <summary>
/// When a location's managers can make the first contact: Monday to Friday minus its closures, from the earliest
/// opening to the latest closing of its resources that day (lunch breaks count: a call fits in one). A weekday on which
/// no resource works is not a business day; a location without any working hours is taken as open 09:00–17:00.
/// </summary>
public sealed class BusinessHours
{
    public static readonly (TimeOnly Opens, TimeOnly Closes) DefaultHours = (new TimeOnly(9, 0), new TimeOnly(17, 0));

    private readonly TimeZoneInfo zone;
    private readonly IReadOnlyDictionary<DayOfWeek, (TimeOnly Opens, TimeOnly Closes)> hours;
    private readonly IReadOnlyList<DateRange> closures;

    public BusinessHours(TimeZoneInfo zone, IEnumerable<WorkingHours> workingHours, IReadOnlyList<DateRange> closures)
    {
        this.zone = zone;
        this.closures = closures;
        var byDay = workingHours.Where(h => h.Day is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && h.Closes > h.Opens)
            .GroupBy(h => h.Day)
            .ToDictionary(g => g.Key, g => (g.Min(h => h.Opens), g.Max(h => h.Closes)));
        hours = byDay.Count > 0 ? byDay
            : Enum.GetValues<DayOfWeek>().Where(d => d is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToDictionary(d => d, _ => DefaultHours);
    }

    public static BusinessHours Of(Location location, IEnumerable<WorkingHours> workingHours) =>
        new(location.TimeZone, workingHours, location.Closures.Select(c => new DateRange(c.From, c.To)).ToList());

    public bool IsBusinessDay(DateOnly day) => hours.ContainsKey(day.DayOfWeek) && BusinessDays.IsBusinessDay(day, closures);

    /// <summary>
    /// The first contact is due <paramref name="businessDays"/> business days after <paramref name="opened"/>, at the same
    /// local time. A case opened outside opening hours (evening, weekend, holiday) starts counting at the next opening, so
    /// it is due at closing time of the business day it started on (for one business day): opened at 19:00 on a Friday,
    /// due at Monday's closing. A due time past the due day's closing moves back to that closing.
    /// </summary>
    public DateTimeOffset FirstContactDue(DateTimeOffset opened, int businessDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(businessDays, 1);
        var local = TimeZoneInfo.ConvertTime(opened, zone).DateTime;
        var day = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);

        if (IsBusinessDay(day) && time >= hours[day.DayOfWeek].Opens && time < hours[day.DayOfWeek].Closes)
        {
            var dueDay = Add(day, businessDays);
            var (opens, closes) = hours[dueDay.DayOfWeek];
            return ToUtc(dueDay, time < opens ? opens : time > closes ? closes : time);
        }
        var start = IsBusinessDay(day) && time < hours[day.DayOfWeek].Opens ? day : Add(day, 1);
        var last = businessDays == 1 ? start : Add(start, businessDays - 1);
        return ToUtc(last, hours[last.DayOfWeek].Closes);
    }

    private DateOnly Add(DateOnly from, int count)
    {
        var day = from;
        for (var added = 0; added < count;)
        {
            day = day.AddDays(1);
            if (IsBusinessDay(day)) added++;
        }
        return day;
    }

    /// <summary>A local wall-clock time at the location as an instant; a time skipped by a DST change moves past the gap.</summary>
    private DateTimeOffset ToUtc(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
