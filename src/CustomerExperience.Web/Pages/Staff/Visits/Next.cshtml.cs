using CustomerExperience.Web.Domain;
using CustomerExperience.Web.FrontDesk;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Pages.Shared;
using CustomerExperience.Web.Scheduling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages.Staff.Visits;

/// <summary>
/// "Book next year" at checkout: proposes the first covered time at the same place, weekday and time of day
/// (same room when free), lets the desk pick another covered time, and books it with the usual confirmation
/// and invite. When a next visit exists already, it says so instead.
/// </summary>
public class NextModel(NextVisitCheckout checkout, NextVisitRebooking rebooking, AvailabilityService availability) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Date { get; set; }
    [BindProperty(SupportsGet = true, Name = "start")] public string? StartText { get; set; }
    [TempData] public string? Done { get; set; }

    public Appointment Visit { get; private set; } = null!;
    public Location Location => Visit.Location!;
    /// <summary>The next visit of the service, when one is booked already.</summary>
    public Appointment? Existing { get; private set; }
    /// <summary>Why nothing can be booked here (not completed, not recurring); the page offers nothing then.</summary>
    public string? Closed { get; private set; }
    public string? Problem { get; private set; }
    public IReadOnlyList<Slot> Alternatives { get; private set; } = [];
    public NextVisitRebooking.Proposal? Proposal { get; private set; }
    public DateTimeOffset? Chosen { get; private set; }
    public SlotPicker? Picker { get; private set; }

    /// <summary>A request for no known handler (a stale or forged form) would render the page without loading it.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is null) context.Result = BadRequest();
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await checkout.FindAsync(Id, ct) is not { } visit) return NotFound();
        Visit = visit;
        if (!ModelState.IsValid)
        {
            From = Date = null;
            await PrepareAsync(ct);
            return Refuse("That day is not a date. Choose one from the list.", StatusCodes.Status400BadRequest);
        }
        if (!await PrepareAsync(ct)) return Page();

        if (StartText is not null)
        {
            if (SlotPicker.ParseIso(StartText) is not { } start)
                return Refuse("That is not a time from the list. Choose one below.", StatusCodes.Status400BadRequest);
            if (LocalDate(start) < Proposal!.CoveredFrom)
                return Refuse($"That time is before the next visit is covered ({NextVisitCheckout.Day(Proposal.CoveredFrom)}). Choose a covered time.",
                    StatusCodes.Status400BadRequest);
            Chosen = start;
        }
        else
            Chosen = Proposal!.Proposed?.Start;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await checkout.FindAsync(Id, ct) is not { } visit) return NotFound();
        Visit = visit;
        if (SlotPicker.ParseIso(StartText) is not { } start)
        {
            await PrepareAsync(ct);
            return Refuse("Choose a time from the list.", StatusCodes.Status400BadRequest);
        }

        switch (await checkout.BookAsync(visit, start, ct))
        {
            case CheckoutOutcome.Booked booked:
                Done = $"Booked {visit.Customer!.Greeting}'s next visit: {AppointmentEmails.FormatWhen(booked.Visit.Start, Location)}. " +
                       $"The confirmation with a calendar invite is on its way to {visit.Customer.Email}.";
                return Redirect($"/staff/visits/{visit.Id}");
            case CheckoutOutcome.AlreadyBooked:
                await PrepareAsync(ct);
                return Refuse("Not booked: a next visit is already booked (see below).", StatusCodes.Status409Conflict);
            case CheckoutOutcome.Refused refused:
                await PrepareAsync(ct, near: start);
                Alternatives = refused.Alternatives;
                return Refuse(refused.Message, refused.BadRequest ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict);
            default:
                throw new InvalidOperationException("Unknown outcome.");
        }
    }

    /// <summary>Loads what the page shows; false when there is nothing to offer (closed, or a next visit exists).</summary>
    private async Task<bool> PrepareAsync(CancellationToken ct, DateTimeOffset? near = null)
    {
        if (NextVisitCheckout.WhyNot(Visit) is { } why)
        {
            Closed = why;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return false;
        }
        Existing = await rebooking.NextBookedAsync(Visit, ct);
        if (Existing is not null) return false;

        Proposal = await rebooking.ProposeAsync(Visit, ct);
        var coveredFrom = Proposal.CoveredFrom;
        var from = From ?? (near is { } n ? LocalDate(n) : coveredFrom);
        if (from < coveredFrom || from > coveredFrom.AddYears(1)) from = coveredFrom;
        var slots = from == coveredFrom
            ? [.. Proposal.Alternatives.Append(Proposal.Proposed).OfType<Slot>().OrderBy(s => s.Start)]
            : await availability.GetSlotsAsync(Visit.ServiceId, Visit.LocationId, from, SlotPicker.DaysShown, ct);
        var chosenDay = SlotPicker.ParseIso(StartText) is { } chosen ? LocalDate(chosen) : Proposal.Proposed is { } p ? LocalDate(p.Start) : (DateOnly?)null;
        var selected = Date ?? (chosenDay is { } d && d >= from && d < from.AddDays(SlotPicker.DaysShown) ? d
            : slots.Select(s => (DateOnly?)DateOnly.FromDateTime(s.Start.DateTime)).FirstOrDefault());
        Picker = new SlotPicker
        {
            Location = Location,
            From = from,
            // Earlier days than the covered date are never offered.
            Today = coveredFrom,
            Selected = selected,
            Slots = slots,
            DayLink = day => $"/staff/visits/{Id}/next?from={SlotPicker.Iso(SlotPicker.PageStart(from, day))}&date={SlotPicker.Iso(day)}#times",
            SlotLink = slot => $"/staff/visits/{Id}/next?from={SlotPicker.Iso(from)}&date={SlotPicker.Iso(DateOnly.FromDateTime(slot.Start.DateTime))}&start={Uri.EscapeDataString(SlotPicker.Iso(slot.Start))}#confirm",
        };
        return true;
    }

    private PageResult Refuse(string problem, int status)
    {
        Problem = problem;
        Response.StatusCode = status;
        return Page();
    }

    public DateOnly LocalDate(DateTimeOffset instant) => Location.LocalDate(instant);

    public string When(DateTimeOffset instant) => AppointmentEmails.FormatWhen(instant, Location);

    public bool IsProposal => Chosen is { } chosen && Proposal?.Proposed is { } proposed && proposed.Start == chosen;

    public bool SameRoom => Chosen is { } chosen && Picker?.Slots.FirstOrDefault(s => s.Start == chosen) is { } slot
                            && slot.FreeResourceIds.Contains(Visit.ResourceId);
}
