using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Setup;

namespace CustomerExperience.Tests.Setup;

/// <summary>Weekly hours as the rooms form reads them, and whether a booked visit still fits, by the calculator's own rules.</summary>
public class RoomsHoursTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void Several_ranges_make_breaks_and_24_00_closes_at_midnight()
    {
        var (hours, error) = RoomsForm.ParseDay(DayOfWeek.Monday, "13:00-17:00, 08:00–12:00; 18:00 to 24:00");
        Assert.Null(error);
        Assert.Equal([(new TimeOnly(8, 0), new TimeOnly(12, 0)), (new TimeOnly(13, 0), new TimeOnly(17, 0)), (new TimeOnly(18, 0), TimeOnly.MinValue)],
            hours.Select(h => (h.Opens, h.Closes)));
        Assert.Equal("08:00–12:00, 13:00–17:00, 18:00–24:00", RoomsForm.FormatDay(hours));
        Assert.Empty(RoomsForm.ParseDay(DayOfWeek.Sunday, "  ").Hours);
    }

    [Theory]
    [InlineData("12:00–08:00", "Monday: 12:00–08:00 must close after it opens.")]
    [InlineData("09:00–09:00", "Monday: 09:00–09:00 must close after it opens.")]
    [InlineData("08:00–12:00, 11:30–14:00", "Monday: 08:00–12:00 and 11:30–14:00 overlap.")]
    [InlineData("18:00–24:00, 20:00–21:00", "Monday: 18:00–24:00 and 20:00–21:00 overlap.")]
    [InlineData("8am–noon", "Monday: “8am–noon” is not a time range.")]
    [InlineData("08:00–25:00", "Monday: “08:00–25:00” is not a time range.")]
    [InlineData("24:00–08:00", "Monday: “24:00–08:00” is not a time range.")]
    public void Inverted_overlapping_and_unreadable_ranges_are_refused(string text, string message)
    {
        var (_, error) = RoomsForm.ParseDay(DayOfWeek.Monday, text);
        Assert.NotNull(error);
        Assert.StartsWith(message, error);
    }

    private static ResourceCalendar Calendar(DayOfWeek day, TimeOnly opens, TimeOnly closes, params DateRange[] closures) =>
        new(Guid.Empty, [new WorkingHours { Day = day, Opens = opens, Closes = closes }], closures);

    private static bool Fits(ResourceCalendar calendar, DateTimeOffset start, int minutes = 30, params DateRange[] locationClosures) =>
        AvailabilityCalculator.Fits(NewYork, locationClosures, calendar, start, start.AddMinutes(minutes));

    [Fact]
    public void A_visit_fits_by_local_wall_clock_on_both_sides_of_a_DST_change()
    {
        var sundays = Calendar(DayOfWeek.Sunday, new TimeOnly(8, 0), new TimeOnly(12, 0));
        // 8 March 2026: clocks go forward at 02:00; 08:00 is 12:00 UTC that day, 13:00 UTC the Sunday before.
        Assert.True(Fits(sundays, new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.Zero)));
        Assert.False(Fits(sundays, new DateTimeOffset(2026, 3, 8, 11, 30, 0, TimeSpan.Zero)));
        Assert.True(Fits(sundays, new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.Zero)));
        Assert.False(Fits(sundays, new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        // 1 November 2026: back to standard time; 11:30–12:00 EST is 16:30–17:00 UTC.
        Assert.True(Fits(sundays, new DateTimeOffset(2026, 11, 1, 16, 30, 0, TimeSpan.Zero)));
        Assert.False(Fits(sundays, new DateTimeOffset(2026, 11, 1, 16, 45, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Closures_count_by_the_locations_local_day_not_the_UTC_day()
    {
        var late = Calendar(DayOfWeek.Thursday, new TimeOnly(18, 0), TimeOnly.MinValue);
        // Thursday 31 December 2026, 19:30 in New York is already 1 January in UTC.
        var evening = new DateTimeOffset(2027, 1, 1, 0, 30, 0, TimeSpan.Zero);
        var newYearsDay = new DateRange(new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 1));
        var newYearsEve = new DateRange(new DateOnly(2026, 12, 31), new DateOnly(2026, 12, 31));
        Assert.True(Fits(late, evening, 30, newYearsDay));
        Assert.False(Fits(late, evening, 30, newYearsEve));
        Assert.False(Fits(Calendar(DayOfWeek.Thursday, new TimeOnly(18, 0), TimeOnly.MinValue, newYearsEve), evening));
        // Until midnight, and not a minute past.
        Assert.True(Fits(late, new DateTimeOffset(2027, 1, 1, 4, 30, 0, TimeSpan.Zero)));
        Assert.False(Fits(late, new DateTimeOffset(2027, 1, 1, 4, 45, 0, TimeSpan.Zero)));
    }
}
