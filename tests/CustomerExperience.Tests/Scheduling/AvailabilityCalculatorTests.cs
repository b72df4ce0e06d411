using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;

namespace CustomerExperience.Tests.Scheduling;

public class AvailabilityCalculatorTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly Guid RoomA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid RoomB = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly TimeSpan HalfHour = TimeSpan.FromMinutes(30);
    private static readonly BookingRules Rules = new();
    // Long before the days under test, so notice and horizon do not interfere.
    private static readonly DateTimeOffset LongBefore = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    private static ResourceCalendar Room(Guid id, string opens, string closes, params DateRange[] closures) =>
        new(id, Enum.GetValues<DayOfWeek>().Select(d => new WorkingHours { Day = d, Opens = TimeOnly.Parse(opens), Closes = TimeOnly.Parse(closes) }).ToList(), closures);

    private static IReadOnlyList<Slot> Slots(DateOnly day, IReadOnlyList<ResourceCalendar> resources, IReadOnlyList<BusyInterval>? busy = null,
        TimeSpan? buffer = null, DateTimeOffset? now = null, IReadOnlyList<DateRange>? closures = null, int days = 1) =>
        AvailabilityCalculator.FreeSlots(NewYork, closures ?? [], resources, busy ?? [], HalfHour, buffer ?? TimeSpan.Zero,
            day, days, now ?? LongBefore, Rules);

    [Fact]
    public void Spring_forward_day_skips_the_missing_hour_without_duplicates_or_shortened_visits()
    {
        var day = new DateOnly(2026, 3, 8); // 02:00 EST jumps to 03:00 EDT
        var slots = Slots(day, [Room(RoomA, "00:00", "05:00")]);

        var local = slots.Select(s => s.Start.ToString("HH:mm")).ToList();
        Assert.DoesNotContain(local, t => t.StartsWith("02:"));
        Assert.Equal("00:00", local[0]);
        Assert.Contains("01:30", local);
        Assert.Contains("03:00", local);
        Assert.Equal("04:30", local[^1]);
        Assert.All(slots, s => Assert.Equal(HalfHour, s.End - s.Start));
        Assert.Equal(slots.Count, slots.Select(s => s.Start.UtcDateTime).Distinct().Count());
        Assert.True(slots.Zip(slots.Skip(1)).All(p => p.First.Start < p.Second.Start));
        // 00:00–05:00 local is four real hours that day: 16 quarter-hour starts minus the last one (needs 30 min) = 15.
        Assert.Equal(15, slots.Count);
        Assert.Equal(TimeSpan.FromHours(-5), slots.First(s => s.Start.Hour == 1).Start.Offset);
        Assert.Equal(TimeSpan.FromHours(-4), slots.First(s => s.Start.Hour == 3).Start.Offset);
    }

    [Fact]
    public void Fall_back_day_offers_both_real_hours_once_each()
    {
        var day = new DateOnly(2026, 11, 1); // 02:00 EDT falls back to 01:00 EST
        var slots = Slots(day, [Room(RoomA, "00:00", "03:00")]);

        // 00:00–03:00 local is four real hours: 01:00–02:00 happens twice.
        Assert.Equal(15, slots.Count);
        Assert.Equal(slots.Count, slots.Select(s => s.Start.UtcDateTime).Distinct().Count());
        Assert.True(slots.Zip(slots.Skip(1)).All(p => p.Second.Start - p.First.Start == TimeSpan.FromMinutes(15)));
        Assert.All(slots, s => Assert.Equal(HalfHour, s.End - s.Start));
        var oneAm = slots.Where(s => s.Start.ToString("HH:mm") == "01:00").ToList();
        Assert.Equal([TimeSpan.FromHours(-4), TimeSpan.FromHours(-5)], oneAm.Select(s => s.Start.Offset));
    }

    [Theory]
    [InlineData("2026-03-06", -5)] // Friday before spring-forward
    [InlineData("2026-03-09", -4)] // Monday after
    [InlineData("2026-10-30", -4)] // Friday before fall-back
    [InlineData("2026-11-02", -5)] // Monday after
    public void Office_hours_stay_at_the_same_local_time_on_both_sides_of_a_change(string date, int offsetHours)
    {
        var slots = Slots(DateOnly.Parse(date), [Room(RoomA, "08:00", "12:00")]);

        Assert.Equal(new TimeOnly(8, 0), TimeOnly.FromDateTime(slots[0].Start.DateTime));
        Assert.Equal(new TimeOnly(11, 30), TimeOnly.FromDateTime(slots[^1].Start.DateTime));
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromHours(offsetHours), s.Start.Offset));
        Assert.Equal(15, slots.Count);
    }

    [Fact]
    public void A_location_closure_removes_the_day()
    {
        var holiday = new DateOnly(2026, 11, 26);
        var slots = Slots(holiday.AddDays(-1), [Room(RoomA, "08:00", "12:00")], closures: [new DateRange(holiday, holiday)], days: 3);

        Assert.DoesNotContain(slots, s => DateOnly.FromDateTime(s.Start.DateTime) == holiday);
        Assert.Contains(slots, s => DateOnly.FromDateTime(s.Start.DateTime) == holiday.AddDays(1));
    }

    [Fact]
    public void A_resource_closure_leaves_the_other_resource_bookable()
    {
        var day = new DateOnly(2026, 12, 2);
        var slots = Slots(day, [Room(RoomA, "08:00", "12:00", new DateRange(day, day)), Room(RoomB, "08:00", "12:00")]);

        Assert.Equal(15, slots.Count);
        Assert.All(slots, s => Assert.Equal([RoomB], s.FreeResourceIds));
    }

    [Fact]
    public void The_buffer_after_a_visit_blocks_the_next_start_and_a_new_visit_cannot_run_its_buffer_into_a_booking()
    {
        var day = new DateOnly(2026, 12, 2);
        var nine = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(-5));
        var tenMinutes = TimeSpan.FromMinutes(10);
        var busy = new[] { new BusyInterval(RoomA, nine, nine + HalfHour + tenMinutes) }; // 09:00–09:40

        var starts = Slots(day, [Room(RoomA, "08:00", "12:00")], busy, buffer: tenMinutes)
            .Select(s => s.Start.ToString("HH:mm")).ToList();

        Assert.Contains("08:15", starts);       // 08:15–08:45 + 10 = 08:55, clear of 09:00
        Assert.DoesNotContain("08:30", starts); // its buffer would run to 09:10
        Assert.DoesNotContain("09:00", starts);
        Assert.DoesNotContain("09:30", starts); // inside the 09:30–09:40 buffer
        Assert.Contains("09:45", starts);
    }

    [Fact]
    public void Minimum_notice_hides_times_that_are_too_soon()
    {
        var day = new DateOnly(2026, 12, 2);
        var now = new DateTimeOffset(2026, 12, 2, 8, 50, 0, TimeSpan.FromHours(-5));

        var slots = Slots(day, [Room(RoomA, "08:00", "17:00")], now: now);

        Assert.Equal("10:50", slots[0].Start.AddMinutes(-10).ToString("HH:mm")); // first start at or after 10:50 is 11:00
        Assert.True(slots.All(s => s.Start >= now + Rules.MinimumNotice));
    }

    [Fact]
    public void Nothing_is_offered_beyond_the_horizon_or_before_today()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var today = new DateOnly(2026, 11, 23);
        var lastDay = today.AddDays(Rules.HorizonDays);

        var slots = Slots(lastDay.AddDays(-1), [Room(RoomA, "08:00", "12:00")], now: now, days: 5);
        Assert.Equal(lastDay, DateOnly.FromDateTime(slots[^1].Start.DateTime));

        var past = Slots(today.AddDays(-10), [Room(RoomA, "08:00", "12:00")], now: now, days: 11);
        Assert.All(past, s => Assert.True(DateOnly.FromDateTime(s.Start.DateTime) >= today));
    }

    [Fact]
    public void A_slot_stays_while_one_resource_is_free_and_goes_when_both_are_busy()
    {
        var day = new DateOnly(2026, 12, 2);
        var nine = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(-5));
        var rooms = new[] { Room(RoomA, "08:00", "12:00"), Room(RoomB, "08:00", "12:00") };

        var oneBusy = Slots(day, rooms, [new BusyInterval(RoomA, nine, nine + HalfHour)]);
        Assert.Equal([RoomB], oneBusy.Single(s => s.Start == nine).FreeResourceIds);

        var bothBusy = Slots(day, rooms, [new BusyInterval(RoomA, nine, nine + HalfHour), new BusyInterval(RoomB, nine, nine + HalfHour)]);
        Assert.DoesNotContain(bothBusy, s => s.Start == nine);
    }

    [Fact]
    public void Free_resources_are_ordered_so_bookings_spread()
    {
        var day = new DateOnly(2026, 12, 2);
        var eight = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.FromHours(-5));
        var slots = Slots(day, [Room(RoomA, "08:00", "12:00"), Room(RoomB, "08:00", "12:00")], [new BusyInterval(RoomA, eight, eight + HalfHour)]);

        Assert.Equal([RoomB, RoomA], slots.Single(s => s.Start == eight.AddHours(2)).FreeResourceIds);
    }

    [Fact]
    public void Nearest_alternatives_are_the_three_closest_times_in_order()
    {
        var day = new DateOnly(2026, 12, 2);
        var slots = Slots(day, [Room(RoomA, "08:00", "12:00")]);
        var wanted = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5));

        var alternatives = AvailabilityCalculator.NearestAlternatives(slots, wanted);

        Assert.Equal(new[] { "09:30", "09:45", "10:15" }, alternatives.Select(s => s.Start.ToString("HH:mm")).Order());
        Assert.True(alternatives[0].Start < alternatives[1].Start);
        Assert.DoesNotContain(alternatives, s => s.Start == wanted);
    }
}
