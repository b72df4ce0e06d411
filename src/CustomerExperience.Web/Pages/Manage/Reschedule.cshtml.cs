using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Pages.Shared;
using CustomerExperience.Web.Scheduling;
using Microsoft.AspNetCore.Mvc;

namespace CustomerExperience.Web.Pages.Manage;

public class RescheduleModel(BookingService booking, AvailabilityService availability, TimeProvider clock) : ManagePageModel(booking)
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Date { get; set; }
    [BindProperty(SupportsGet = true, Name = "start")] public string? StartText { get; set; }

    public DateTimeOffset? NewStart { get; private set; }
    public SlotPicker? Picker { get; private set; }
    public string? Problem { get; private set; }
    public IReadOnlyList<Slot> Alternatives { get; private set; } = [];
    public bool Closed => Visit.Status != Domain.AppointmentStatus.Booked || InsideCutoff;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } notFound) return notFound;
        if (Closed) return Page();
        if (StartText is not null)
        {
            if (SlotPicker.ParseIso(StartText) is not { } start) return BadRequest();
            NewStart = start;
            return Page();
        }
        await BuildPickerAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } notFound) return notFound;
        if (SlotPicker.ParseIso(StartText) is not { } start) return BadRequest();
        var outcome = await Booking.RescheduleAsync(Token, start, ct);
        if (outcome is BookingOutcome.Done) return Redirect($"/manage/{Token}?rescheduled=1");

        (Problem, Alternatives) = outcome switch
        {
            BookingOutcome.Taken taken => ("That time was just taken. These are the nearest free times:", taken.Alternatives),
            BookingOutcome.InsideCutoff cutoff => ($"Your visit is less than {cutoff.Cutoff.TotalHours:0} hours away, so it can no longer be changed online. Please call {cutoff.Phone}.", []),
            BookingOutcome.Closed closed => (closed.Reason, []),
            BookingOutcome.Invalid invalid => (string.Join(" ", invalid.Errors.Values), []),
            _ => ("This visit could not be moved. Please call the clinic.", (IReadOnlyList<Slot>)[]),
        };
        await LoadAsync(ct);
        if (!Closed) await BuildPickerAsync(ct, AppointmentEmails.ToLocal(start, Location));
        Response.StatusCode = outcome is BookingOutcome.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task BuildPickerAsync(CancellationToken ct, DateTimeOffset? near = null) =>
        Picker = await SlotPicker.ForRescheduleAsync(availability, Visit, Location.LocalDate(clock.GetUtcNow()),
            From, Date, near, query => $"/manage/{Token}/reschedule?{query}", ct);
}
