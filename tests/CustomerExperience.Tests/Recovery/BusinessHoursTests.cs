using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Recovery;
using CustomerExperience.Web.Scheduling;

namespace CustomerExperience.Tests.Recovery;

/// <summary>When the first contact of a case is due: one business day, counted in the location's opening hours.</summary>
public class BusinessHoursTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>The test clinic's room: weekdays 08–12 and 13–17 (the lunch break counts for a phone call).</summary>
    private static List<WorkingHours> Weekdays(params DayOfWeek[] except) =>
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Where(d => !except.Contains(d))
            .SelectMany(d => new[]
            {
                new WorkingHours { Day = d, Opens = new TimeOnly(8, 0), Closes = new TimeOnly(12, 0) },
                new WorkingHours { Day = d, Opens = new TimeOnly(13, 0), Closes = new TimeOnly(17, 0) },
            })];

    private static BusinessHours Hours(IEnumerable<WorkingHours>? hours = null, params DateRange[] closures) =>
        new(NewYork, hours ?? Weekdays(), closures);

    /// <summary>A New York wall-clock time as an instant (the zone's offset on that day, DST included).</summary>
    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0);
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    private static DateTimeOffset Due(BusinessHours hours, DateTimeOffset opened, int days = 1) => hours.FirstContactDue(opened, days);

    [Fact]
    public void Opened_during_opening_hours_is_due_at_the_same_time_the_next_business_day() =>
        Assert.Equal(Local(2026, 12, 3, 10, 15), Due(Hours(), Local(2026, 12, 2, 10, 15)));

    [Fact]
    public void Opened_on_a_Friday_evening_is_due_by_closing_on_Monday() =>
        Assert.Equal(Local(2026, 12, 7, 17), Due(Hours(), Local(2026, 12, 4, 19)));

    [Fact]
    public void Opened_at_the_weekend_is_due_by_closing_on_Monday() =>
        Assert.Equal(Local(2026, 12, 7, 17), Due(Hours(), Local(2026, 12, 5, 11)));

    [Fact]
    public void Opened_before_opening_on_a_business_day_is_due_by_that_days_closing() =>
        Assert.Equal(Local(2026, 12, 2, 17), Due(Hours(), Local(2026, 12, 2, 6, 30)));

    [Fact]
    public void Opened_at_the_closing_minute_counts_as_after_hours() =>
        Assert.Equal(Local(2026, 12, 3, 17), Due(Hours(), Local(2026, 12, 2, 17)));

    [Fact]
    public void A_closure_is_skipped()
    {
        var thursday = new DateOnly(2026, 12, 3);
        Assert.Equal(Local(2026, 12, 4, 10), Due(Hours(null, new DateRange(thursday, thursday)), Local(2026, 12, 2, 10)));
    }

    [Fact]
    public void A_Friday_evening_case_before_a_Monday_holiday_is_due_by_closing_on_Tuesday()
    {
        var mlkDay = new DateOnly(2026, 1, 19);
        Assert.Equal(Local(2026, 1, 20, 17), Due(Hours(null, new DateRange(mlkDay, mlkDay)), Local(2026, 1, 16, 19)));
    }

    [Fact]
    public void Over_the_spring_DST_change_the_local_time_is_kept_not_the_elapsed_hours()
    {
        // Friday 6 March 2026 10:00 EST (15:00Z); clocks go forward on Sunday the 8th.
        var due = Due(Hours(), Local(2026, 3, 6, 10));
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 14, 0, 0, TimeSpan.Zero), due);
        Assert.Equal(TimeSpan.FromHours(-4), NewYork.GetUtcOffset(due));
    }

    [Fact]
    public void Over_the_autumn_DST_change_the_local_time_is_kept_not_the_elapsed_hours() =>
        // Friday 30 October 2026 16:00 EDT (20:00Z); clocks go back on Sunday 1 November.
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 21, 0, 0, TimeSpan.Zero), Due(Hours(), Local(2026, 10, 30, 16)));

    [Fact]
    public void A_due_day_that_closes_earlier_moves_the_due_time_back_to_its_closing()
    {
        var hours = Weekdays(DayOfWeek.Thursday);
        hours.Add(new WorkingHours { Day = DayOfWeek.Thursday, Opens = new TimeOnly(8, 0), Closes = new TimeOnly(12, 0) });
        Assert.Equal(Local(2026, 12, 3, 12), Due(Hours(hours), Local(2026, 12, 2, 15)));
    }

    [Fact]
    public void A_weekday_no_resource_works_is_not_a_business_day() =>
        Assert.Equal(Local(2026, 12, 4, 10), Due(Hours(Weekdays(DayOfWeek.Thursday)), Local(2026, 12, 2, 10)));

    [Fact]
    public void Saturday_hours_do_not_make_Saturday_a_business_day()
    {
        var hours = Weekdays();
        hours.Add(new WorkingHours { Day = DayOfWeek.Saturday, Opens = new TimeOnly(9, 0), Closes = new TimeOnly(13, 0) });
        Assert.Equal(Local(2026, 12, 7, 10), Due(Hours(hours), Local(2026, 12, 4, 10)));
    }

    [Fact]
    public void Without_working_hours_the_location_counts_as_open_9_to_5()
    {
        Assert.Equal(Local(2026, 12, 2, 17), Due(Hours([]), Local(2026, 12, 2, 8)));
        Assert.Equal(Local(2026, 12, 7, 17), Due(Hours([]), Local(2026, 12, 4, 17, 30)));
    }

    [Fact]
    public void Two_business_days_count_two_days_of_opening_hours()
    {
        Assert.Equal(Local(2026, 12, 4, 10), Due(Hours(), Local(2026, 12, 2, 10), days: 2));
        Assert.Equal(Local(2026, 12, 8, 17), Due(Hours(), Local(2026, 12, 4, 19), days: 2));
    }
}
