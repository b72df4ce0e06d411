using CustomerExperience.Web.Scheduling;

namespace CustomerExperience.Web.Journeys;

/// <summary>Working days at a location: Monday to Friday, minus its closures (holidays).</summary>
public static class BusinessDays
{
    public static bool IsBusinessDay(DateOnly day, IReadOnlyList<DateRange> closures) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !closures.Any(c => c.Contains(day));

    /// <summary>The <paramref name="count"/>th business day after <paramref name="from"/> (which itself does not count).</summary>
    public static DateOnly Add(DateOnly from, int count, IReadOnlyList<DateRange> closures)
    {
        var day = from;
        for (var added = 0; added < count;)
        {
            day = day.AddDays(1);
            if (IsBusinessDay(day, closures)) added++;
        }
        return day;
    }
}
