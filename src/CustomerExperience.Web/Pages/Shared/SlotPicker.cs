using System.Globalization;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;

namespace CustomerExperience.Web.Pages.Shared;

/// <summary>Days and times to choose from, shown by _SlotPicker: used by booking and by rescheduling.</summary>
public sealed class SlotPicker
{
    public const int DaysShown = 14;

    public required Location Location { get; init; }
    public required DateOnly From { get; init; }
    public required DateOnly Today { get; init; }
    public DateOnly? Selected { get; init; }
    public required IReadOnlyList<Slot> Slots { get; init; }
    /// <summary>Dates before this are shown as "not covered" (eligibility); null when everything is.</summary>
    public DateOnly? CoveredFrom { get; init; }
    public required Func<DateOnly, string> DayLink { get; init; }
    public required Func<Slot, string> SlotLink { get; init; }

    public IEnumerable<(DateOnly Day, int Count)> Days =>
        Enumerable.Range(0, DaysShown).Select(i => From.AddDays(i))
            .Select(day => (day, Slots.Count(s => DateOnly.FromDateTime(s.Start.DateTime) == day)));

    public IReadOnlyList<Slot> SelectedSlots => Selected is { } day
        ? Slots.Where(s => DateOnly.FromDateTime(s.Start.DateTime) == day).ToList()
        : [];

    public DateOnly? Previous => From > Today ? (From.AddDays(-DaysShown) < Today ? Today : From.AddDays(-DaysShown)) : null;
    public DateOnly Next => From.AddDays(DaysShown);

    /// <summary>
    /// The picker of a reschedule page (the customer's manage link or the front desk): opens on the requested page or
    /// day, else around <paramref name="near"/> (a time that was just refused), else today; never in the past. The
    /// visit's own time counts as free. <paramref name="link"/> turns a query string into the page's own URL.
    /// A fragment on the time links is carried by the browser through the form's POST and redirect, so the customer
    /// page (whose tests expect a clean URL) uses none.
    /// </summary>
    public static async Task<SlotPicker> ForRescheduleAsync(
        AvailabilityService availability, Appointment visit, DateOnly today, DateOnly? from, DateOnly? date, DateTimeOffset? near,
        Func<string, string> link, CancellationToken ct, string slotFragment = "", bool staff = false)
    {
        var start = from ?? date ?? (near is { } n ? DateOnly.FromDateTime(n.DateTime) : today);
        if (start < today || start > today.AddYears(2)) start = today;
        var slots = await availability.GetSlotsAsync(visit.ServiceId, visit.LocationId, start, DaysShown, ct, visit.Id, staff: staff);
        return new SlotPicker
        {
            Location = visit.Location!,
            From = start,
            Today = today,
            Selected = date ?? slots.Select(s => (DateOnly?)DateOnly.FromDateTime(s.Start.DateTime)).FirstOrDefault(),
            Slots = slots,
            DayLink = day => link($"from={Iso(PageStart(start, day))}&date={Iso(day)}") + "#times",
            SlotLink = slot => link($"start={Uri.EscapeDataString(Iso(slot.Start))}") + slotFragment,
        };
    }

    public static string Day(DateOnly day) => day.ToString("dddd, MMMM d", AppointmentEmails.Culture);
    public static string ShortDay(DateOnly day) => day.ToString("ddd MMM d", AppointmentEmails.Culture);
    public static string Time(DateTimeOffset start) => start.ToString("h:mm tt", AppointmentEmails.Culture);
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public static string Iso(DateTimeOffset start) => start.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    /// <summary>The inverse of <see cref="Iso(DateTimeOffset)"/> for a start that came back in a link or form; null when it is not one.</summary>
    public static DateTimeOffset? ParseIso(string? text) =>
        text is { Length: <= 40 } && DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            ? start : null;

    /// <summary>Where the page of days shown from <paramref name="from"/> starts when <paramref name="day"/> is chosen:
    /// the same page for a day on it, a new page starting at the day otherwise.</summary>
    public static DateOnly PageStart(DateOnly from, DateOnly day) => day < from || day >= from.AddDays(DaysShown) ? day : from;
}
