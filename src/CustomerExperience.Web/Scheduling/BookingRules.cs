using System.ComponentModel.DataAnnotations;

namespace CustomerExperience.Web.Scheduling;

/// <summary>When customers may book and change visits; bound from the "Booking" configuration section.</summary>
public sealed class BookingRules
{
    public const string Section = "Booking";

    /// <summary>The earliest bookable start, measured from now.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "Booking:MinimumNotice must be between 00:00:00 and 30.00:00:00.")]
    public TimeSpan MinimumNotice { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How many days ahead (in the location's calendar) slots are offered; about 13 months.</summary>
    [Range(1, 800, ErrorMessage = "Booking:HorizonDays must be between 1 and 800.")]
    public int HorizonDays { get; set; } = 396;

    /// <summary>Slots start on this grid of local wall-clock minutes since midnight.</summary>
    [Range(5, 240, ErrorMessage = "Booking:SlotStepMinutes must be between 5 and 240.")]
    public int SlotStepMinutes { get; set; } = 15;

    /// <summary>Customers may reschedule or cancel online until this long before the visit.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "Booking:ChangeCutoff must be between 00:00:00 and 30.00:00:00.")]
    public TimeSpan ChangeCutoff { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Whether each instance keeps computed free slots in memory (<see cref="SlotCache"/>); false computes every response afresh.</summary>
    public bool CacheSlots { get; set; } = true;

    /// <summary>The same rules for the front desk: a walk-in can be booked for the next free time today, not two hours on.</summary>
    public BookingRules ForStaff() => new()
    {
        MinimumNotice = TimeSpan.Zero, HorizonDays = HorizonDays, SlotStepMinutes = SlotStepMinutes,
        ChangeCutoff = ChangeCutoff, CacheSlots = CacheSlots,
    };
}
