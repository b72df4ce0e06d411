using System.Globalization;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Pages.Shared;
using CustomerExperience.Web.Scheduling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CustomerExperience.Web.Pages.Book;

// On the page, not the handler: Razor Pages take endpoint metadata from the page model only, so an attribute on OnPostAsync
// limited nothing.
[EnableRateLimiting(WebSecurity.PublicFormPolicy)]
public class DetailsModel(AvailabilityService availability, BookingService booking) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? ServiceId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? LocationId { get; set; }
    [BindProperty(SupportsGet = true, Name = "start")] public string? StartText { get; set; }
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? PreferredName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty(Name = "dateOfBirth")] public string? DateOfBirthText { get; set; }
    [BindProperty] public bool AcceptNotCovered { get; set; }
    [BindProperty] public string? Alternative { get; set; }

    public DateTimeOffset? Start { get; private set; }
    public DateTimeOffset LocalStart => AppointmentEmails.ToLocal(Start!.Value, Location);
    public DateOnly? DateOfBirth { get; private set; }
    public Service Service { get; private set; } = null!;
    public Location Location { get; private set; } = null!;
    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<Slot>? Taken { get; private set; }
    public DateOnly? CoveredFrom { get; private set; }

    public string? Error(string field) => Errors.GetValueOrDefault(field);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Alternative is not null) StartText = Alternative;
        if (await LoadAsync(ct) is { } problem) return problem;

        DateOfBirth = ParseDate(DateOfBirthText);
        if (DateOfBirthText is { Length: > 0 } && DateOfBirth is null)
            Errors["dateOfBirth"] = "Enter your date of birth as a date, for example 1970-05-31.";

        var details = new CustomerDetails(FullName, PreferredName, Email, Phone, DateOfBirth);
        var outcome = Errors.Count > 0
            ? new BookingOutcome.Invalid(Errors)
            : await booking.BookAsync(new BookingRequest(Service.Id, Location.Id, Start!.Value, details, AcceptNotCovered), ct);

        switch (outcome)
        {
            case BookingOutcome.Done done:
                return Redirect($"/manage/{done.ManageToken}?booked=1");
            case BookingOutcome.Taken taken:
                Taken = taken.Alternatives;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case BookingOutcome.NotCovered notCovered:
                CoveredFrom = notCovered.CoveredFrom;
                Errors["acceptNotCovered"] = $"This time is before your insurance covers your next visit ({notCovered.CoveredFrom:MMMM d, yyyy}). Choose a covered time, or tick the box to book it anyway.";
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
            case BookingOutcome.Invalid invalid:
                foreach (var (field, message) in invalid.Errors) Errors[field] = message;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            case BookingOutcome.NotFound:
                return NotFound();
            default:
                return BadRequest();
        }
    }

    /// <summary>Service, location and a well-formed start; anything else is a 4xx page, never a crash.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (ServiceId is null || LocationId is null || await availability.FindAsync(ServiceId.Value, LocationId.Value, ct) is not { } found)
            return NotFound();
        (Service, Location) = found;
        if (SlotPicker.ParseIso(StartText) is not { } start)
            return BadRequest();
        Start = start;
        return null;
    }

    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
