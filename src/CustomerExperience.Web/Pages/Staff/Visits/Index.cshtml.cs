using System.Security.Claims;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.FrontDesk;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Visits;

/// <summary>
/// One visit, with what makes the moment personal: the name the customer goes by and how to say it, what staff
/// noted at earlier visits, their preferences, when they were last here and when their next visit is covered.
/// Check-in, complete and no-show post here, from this page or from the schedule.
/// </summary>
public class IndexModel(AppDbContext db, VisitActions actions, CareTeam careTeam, Eligibility eligibility, NextVisitRebooking rebooking,
    TimeProvider clock) : PageModel
{
    public const int NotesShown = 50;

    public sealed record LastVisit(DateTimeOffset Start, string Service, Location Location);

    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    /// <summary>"schedule" when an action was posted from the schedule, which is where the desk goes back to.</summary>
    [BindProperty] public string? From { get; set; }
    /// <summary>The visit's version the page showed; an action on an older state than the current one is refused.</summary>
    [BindProperty] public uint? Version { get; set; }
    /// <summary>The staff member picked as performing the visit (at check-in, completion, or a correction).</summary>
    [BindProperty] public string? Performer { get; set; }
    [TempData] public string? Done { get; set; }

    public Appointment Visit { get; private set; } = null!;
    public Customer Customer => Visit.Customer!;
    public Location Location => Visit.Location!;
    public DateTimeOffset Now { get; private set; }
    public IReadOnlyList<CustomerNote> Notes { get; private set; } = [];
    public LastVisit? Last { get; private set; }
    public Appointment? Next { get; private set; }
    /// <summary>When the customer's insurance covers this service again; null when it does now or the service has no limit.</summary>
    public DateOnly? CoveredFrom { get; private set; }
    public IReadOnlyList<AuditEntry> History { get; private set; } = [];
    public string? Problem { get; private set; }
    public string? CheckedInBy { get; private set; }
    public string? PerformedBy { get; private set; }
    public PerformerPicker Picker { get; private set; } = null!;

    /// <summary>A request for no known handler (a stale or forged form) would render the page without loading it.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is null) context.Result = BadRequest();
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostCheckInAsync(CancellationToken ct) => ApplyAsync(VisitAction.CheckIn, ct);

    public Task<IActionResult> OnPostCompleteAsync(CancellationToken ct) => ApplyAsync(VisitAction.Complete, ct);

    public Task<IActionResult> OnPostNoShowAsync(CancellationToken ct) => ApplyAsync(VisitAction.NoShow, ct);

    public async Task<IActionResult> OnPostPerformerAsync(CancellationToken ct)
    {
        switch (await actions.ChangePerformerAsync(Id, Performer, ct, Version))
        {
            case VisitActionOutcome.Done done:
                Done = done.Message;
                return Redirect($"/staff/visits/{Id}");
            case var other:
                return await RefuseAsync(other, ct);
        }
    }

    private async Task<IActionResult> ApplyAsync(VisitAction action, CancellationToken ct)
    {
        switch (await actions.ApplyAsync(Id, action, ct, Version, Performer))
        {
            case VisitActionOutcome.Done done:
                Done = done.Message;
                var visit = done.Visit;
                // Checkout of a recurring visit goes on to next year's booking; the page says so if one exists already.
                if (action == VisitAction.Complete && NextVisitCheckout.IsRecurring(visit.Service!))
                    return Redirect($"/staff/visits/{visit.Id}/next");
                if (From == "schedule")
                {
                    var day = visit.Location!.LocalDate(visit.Start);
                    return Redirect($"/staff/schedule?location={Uri.EscapeDataString(visit.Location!.Slug)}&date={ScheduleModel.Iso(day)}#visit-{visit.Id}");
                }
                return Redirect($"/staff/visits/{visit.Id}");
            case var other:
                return await RefuseAsync(other, ct);
        }
    }

    /// <summary>The page again with why nothing was done: 409 when the visit's state stood in the way, 400 for a bad pick.</summary>
    private async Task<IActionResult> RefuseAsync(VisitActionOutcome outcome, CancellationToken ct)
    {
        (Problem, var status) = outcome switch
        {
            VisitActionOutcome.Refused refused => (refused.Message, StatusCodes.Status409Conflict),
            VisitActionOutcome.Changed changed => (changed.Message, StatusCodes.Status409Conflict),
            VisitActionOutcome.Invalid invalid => (invalid.Message, StatusCodes.Status400BadRequest),
            _ => (null, StatusCodes.Status404NotFound),
        };
        if (Problem is null || !await LoadAsync(ct)) return NotFound();
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var visit = await db.Appointments.AsNoTracking()
            .Include(a => a.Customer).Include(a => a.Service).Include(a => a.Location).Include(a => a.Resource)
            .FirstOrDefaultAsync(a => a.Id == Id, ct);
        if (visit is null) return false;
        Visit = visit;
        Now = clock.GetUtcNow();

        Notes = await db.CustomerNotes.AsNoTracking()
            .Where(n => n.CustomerId == visit.CustomerId)
            .OrderByDescending(n => n.CreatedAt)
            .Take(NotesShown)
            .ToListAsync(ct);
        Last = await db.Appointments.AsNoTracking()
            .Where(a => a.CustomerId == visit.CustomerId && a.Status == AppointmentStatus.Completed && a.Start < visit.Start)
            .OrderByDescending(a => a.Start)
            .Select(a => new LastVisit(a.Start, a.Service!.Name, a.Location!))
            .FirstOrDefaultAsync(ct);
        Next = await rebooking.NextBookedAsync(visit, ct);
        CoveredFrom = await eligibility.CoveredFromAsync(visit.CustomerId, visit.Service!, ct);
        History = await db.AuditEntries.AsNoTracking()
            .Where(e => e.AppointmentId == visit.Id)
            .OrderByDescending(e => e.At)
            .Take(20)
            .ToListAsync(ct);
        var names = await careTeam.NamesAsync([visit.CheckedInById, visit.PerformedById], ct);
        CheckedInBy = visit.CheckedInById is { } checkedIn ? names.GetValueOrDefault(checkedIn) : null;
        PerformedBy = visit.PerformedById is { } performed ? names.GetValueOrDefault(performed) : null;
        var signedIn = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        Picker = (await careTeam.PickersAsync(visit.LocationId, [visit], signedIn, ct))(visit);
        return true;
    }

    public string When(DateTimeOffset instant) => AppointmentEmails.FormatWhen(instant, Location);

    public string When(DateTimeOffset instant, Location location) => AppointmentEmails.FormatWhen(instant, location);
}

/// <summary>The action buttons of one visit (partial _VisitActions), on the schedule and on the visit page.</summary>
/// <param name="Performer">The performer picker shown next to check-in and complete; null: none (the visit keeps its
/// performer, or gets the signed-in user).</param>
public sealed record VisitActionsView(Appointment Visit, DateTimeOffset Now, string Time, bool FromSchedule, PerformerPicker? Performer = null)
{
    public static string StatusLabel(AppointmentStatus status) => status switch
    {
        AppointmentStatus.CheckedIn => "Checked in",
        AppointmentStatus.NoShow => "No-show",
        _ => status.ToString(),
    };
}
