using System.Text;
using CustomerExperience.Web.Delays;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Messaging.Calendar;
using CustomerExperience.Web.Scheduling;
using Microsoft.AspNetCore.Mvc;

namespace CustomerExperience.Web.Pages.Manage;

public class IndexModel(BookingService booking, AppointmentEmails emails, DelayService delays, TimeProvider clock) : ManagePageModel(booking)
{
    // Notices after a redirect: ?booked=1, ?rescheduled=1, ?cancelled=1.
    [BindProperty(SupportsGet = true, Name = "booked")] public string? BookedFlag { get; set; }
    [BindProperty(SupportsGet = true, Name = "rescheduled")] public string? RescheduledFlag { get; set; }
    [BindProperty(SupportsGet = true, Name = "cancelled")] public string? CancelledFlag { get; set; }
    public bool Booked => BookedFlag is "1";
    public bool Rescheduled => RescheduledFlag is "1";
    public bool Cancelled => CancelledFlag is "1";
    public string? Problem { get; private set; }
    /// <summary>The clinic's current delay for this visit, when it is booked or checked in for today.</summary>
    public VisitDelay? Delay { get; private set; }

    public string When => AppointmentEmails.FormatWhen(Visit.Start, Location);
    public string Zone => AppointmentEmails.ZoneName(Location, Visit.Start);
    public string GoogleLink => GoogleCalendarLink.For(
        $"{Service.CalendarTitle} at {Location.Name}", Visit.Start, Visit.End,
        AppointmentEmails.CalendarDescription(Service, Location), $"{Location.Name}, {Location.FullAddress}");

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } notFound) return notFound;
        Delay = await delays.ForVisitAsync(Visit, Location, ct);
        return Page();
    }

    /// <summary>The invite as a file, for calendars the email did not reach.</summary>
    public async Task<IActionResult> OnGetCalendarAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } notFound) return notFound;
        var cancelled = Visit.Status == AppointmentStatus.Cancelled;
        var invite = emails.Invite(Visit, Service, Location, Visit.Customer!, clock.GetUtcNow(), cancelled);
        var ics = invite.ToIcs();
        return File(Encoding.UTF8.GetBytes(ics), $"text/calendar; charset=utf-8; method={(cancelled ? "CANCEL" : "REQUEST")}", "visit.ics");
    }

    public async Task<IActionResult> OnPostCancelAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } notFound) return notFound;
        var outcome = await Booking.CancelAsync(Token, ct);
        if (outcome is BookingOutcome.Done)
            return Redirect($"/manage/{Token}?cancelled=1");

        Problem = outcome switch
        {
            BookingOutcome.InsideCutoff cutoff => $"Your visit is less than {cutoff.Cutoff.TotalHours:0} hours away, so it can no longer be cancelled online. Please call {cutoff.Phone}.",
            BookingOutcome.Closed closed => closed.Reason,
            _ => "This visit could not be cancelled. Please call the clinic.",
        };
        await LoadAsync(ct);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }
}
