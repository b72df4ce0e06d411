using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Pages.Shared;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages.Staff.Visits;

/// <summary>
/// Staff move or cancel any visit with the same availability and rules as customers online, except that the change
/// cut-off does not apply to them; a taken time is refused all the same. The customer gets the same emails and updated
/// invites, and the audit entry is committed with the change.
/// </summary>
public class RescheduleModel(BookingService booking, AvailabilityService availability, Audit audit, TimeProvider clock) : PageModel
{
    public const int MaxReason = 300;

    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Date { get; set; }
    [BindProperty(SupportsGet = true, Name = "start")] public string? StartText { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Reason { get; set; }
    /// <summary>The visit's version the form showed: a move or cancel decided on an older state is refused.</summary>
    [BindProperty] public uint? Version { get; set; }

    public Appointment Visit { get; private set; } = null!;
    public Location Location => Visit.Location!;
    public Service Service => Visit.Service!;
    public Customer Customer => Visit.Customer!;
    public bool InsideCutoff => booking.InsideCutoff(Visit);
    public DateTimeOffset? NewStart { get; private set; }
    public SlotPicker? Picker { get; private set; }
    public string? Problem { get; private set; }
    public string? ReasonError { get; private set; }
    public IReadOnlyList<Slot> Alternatives { get; private set; } = [];

    /// <summary>Where to go afterwards: a staff page the link came from (the visit panel, the customer), else the customer.</summary>
    public string Back => ReturnUrl is { } url && Url.IsLocalUrl(url) && url.StartsWith("/staff/", StringComparison.OrdinalIgnoreCase)
        ? url : $"/staff/customers/{Visit.CustomerId}";

    public string Link(string query)
    {
        var parts = new[] { query, ReturnUrl is null ? "" : $"returnUrl={Uri.EscapeDataString(ReturnUrl)}" }.Where(p => p.Length > 0);
        return $"/staff/visits/{Id}/reschedule?{string.Join("&", parts)}".TrimEnd('?');
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return BadRequest();
        if (!await LoadAsync(ct)) return NotFound();
        if (Visit.Status != AppointmentStatus.Booked) return Page();
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
        if (!await LoadAsync(ct)) return NotFound();
        if (SlotPicker.ParseIso(StartText) is not { } start) return BadRequest();

        var from = AppointmentEmails.FormatWhen(Visit.Start, Location);
        var cutoff = InsideCutoff ? " (inside the change cut-off, which binds customers online)" : "";
        var outcome = await booking.RescheduleAsync(Visit.Id, start, ct, staffOverride: true,
            audit: visit => audit.Record(AuditActions.VisitRescheduled,
                $"Moved from {from} to {AppointmentEmails.FormatWhen(visit.Start, Location)}{cutoff}", visit.CustomerId, visit.Id),
            shownVersion: Version);
        if (outcome is BookingOutcome.Done done)
        {
            TempData["Done"] = $"Moved {Service.Name} to {AppointmentEmails.FormatWhen(done.Visit.Start, Location)}. {Customer.Greeting} gets an updated invite.";
            return Redirect(Back);
        }

        ShowCurrent(outcome);
        (Problem, Alternatives) = outcome switch
        {
            BookingOutcome.Taken taken => ("That time is taken. These are the nearest free times:", taken.Alternatives),
            BookingOutcome.Changed changed => (changed.Message, []),
            BookingOutcome.Closed closed => (closed.Reason, []),
            BookingOutcome.Invalid invalid => (string.Join(" ", invalid.Errors.Values), []),
            _ => ("This visit could not be moved.", (IReadOnlyList<Slot>)[]),
        };
        if (Visit.Status == AppointmentStatus.Booked)
            await BuildPickerAsync(ct, AppointmentEmails.ToLocal(start, Location));
        Response.StatusCode = outcome is BookingOutcome.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        var reason = Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
            ReasonError = "Say why the visit is cancelled (for example “customer called: moving away”).";
        else if (reason.Length > MaxReason)
            ReasonError = $"Keep the reason to {MaxReason} characters.";
        else if (reason.Any(char.IsControl))
            ReasonError = "The reason cannot contain line breaks or control characters.";
        if (ReasonError is not null)
            return await AgainAsync(StatusCodes.Status400BadRequest, ct);

        var when = AppointmentEmails.FormatWhen(Visit.Start, Location);
        var outcome = await booking.CancelAsync(Visit.Id, reason!, ct, staffOverride: true,
            audit: visit => audit.Record(AuditActions.VisitCancelled, $"Cancelled the visit of {when}: {reason}", visit.CustomerId, visit.Id),
            shownVersion: Version);
        if (outcome is BookingOutcome.Done)
        {
            TempData["Done"] = $"Cancelled {Service.Name} of {when}. {Customer.Greeting} gets a cancellation that removes it from their calendar.";
            return Redirect(Back);
        }
        ShowCurrent(outcome);
        Problem = outcome switch
        {
            BookingOutcome.Changed changed => changed.Message,
            BookingOutcome.Closed closed => closed.Reason,
            _ => "This visit could not be cancelled.",
        };
        return await AgainAsync(StatusCodes.Status409Conflict, ct);
    }

    private async Task<IActionResult> AgainAsync(int status, CancellationToken ct)
    {
        if (Visit.Status == AppointmentStatus.Booked) await BuildPickerAsync(ct);
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>A refused change shows the visit as it stands now, not as it was when this request began.</summary>
    private void ShowCurrent(BookingOutcome outcome)
    {
        if (outcome is BookingOutcome.Changed { Current: var changed }) Visit = changed;
        else if (outcome is BookingOutcome.Closed { Current: { } closed }) Visit = closed;
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await booking.FindAsync(Id, ct) is not { } visit) return false;
        Visit = visit;
        return true;
    }

    private async Task BuildPickerAsync(CancellationToken ct, DateTimeOffset? near = null) =>
        Picker = await SlotPicker.ForRescheduleAsync(availability, Visit, Location.LocalDate(clock.GetUtcNow()),
            From, Date, near, Link, ct, slotFragment: "#confirm", staff: true);
}
