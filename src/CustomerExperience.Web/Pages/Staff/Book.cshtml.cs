using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Pages.Shared;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff;

/// <summary>
/// Booking on a customer's behalf (phone calls, walk-ins): service and location, a time from the same availability as
/// online, then the customer's details. The write is BookingService's, with source FrontDesk, so the customer gets
/// the same confirmation and invite; the audit entry is committed with the visit.
/// </summary>
public class BookModel(
    AppDbContext db, AvailabilityService availability, BookingService booking, Eligibility eligibility, Audit audit, TimeProvider clock)
    : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? CustomerId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? ServiceId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? LocationId { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Date { get; set; }
    [BindProperty(SupportsGet = true, Name = "start")] public string? StartText { get; set; }
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? PreferredName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty(Name = "dateOfBirth")] public string? DateOfBirthText { get; set; }
    [BindProperty] public bool AcceptNotCovered { get; set; }
    [BindProperty] public string? Alternative { get; set; }

    /// <summary>The existing customer booked for; null when staff enter a new one.</summary>
    public Customer? Customer { get; private set; }
    public IReadOnlyList<Service> Services { get; private set; } = [];
    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public Service? Service { get; private set; }
    public Location? Location { get; private set; }
    public DateTimeOffset? Start { get; private set; }
    public SlotPicker? Picker { get; private set; }
    /// <summary>When insurance covers this customer's next visit of the service, if later than today.</summary>
    public DateOnly? CoveredFrom { get; private set; }
    /// <summary>The chosen time is before <see cref="CoveredFrom"/>: staff must tick "book anyway".</summary>
    public bool NotCoveredWarning { get; private set; }
    public IReadOnlyList<Slot>? Taken { get; private set; }
    /// <summary>The customer a new-customer form's email already belongs to.</summary>
    public Customer? EmailOwner { get; private set; }
    public string? Problem { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public string? Error(string field) => Errors.GetValueOrDefault(field);
    public string Query => string.Join("&", new[]
    {
        CustomerId is { } c ? $"customerId={c}" : null,
        ServiceId is { } s ? $"serviceId={s}" : null,
        LocationId is { } l ? $"locationId={l}" : null,
    }.Where(p => p is not null));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return BadRequest();
        if (await LoadAsync(ct) is { } stop) return stop;
        if (Service is null || Location is null) return Page();
        if (Start is null)
        {
            await BuildPickerAsync(ct);
            return Page();
        }
        if (Customer is not null)
            (PreferredName, Phone) = (Customer.PreferredName, Customer.Phone);
        NotCoveredWarning = IsBeforeCoverage(Start.Value);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Alternative is not null) StartText = Alternative;
        if (!ModelState.IsValid) return BadRequest();
        if (await LoadAsync(ct) is { } stop) return stop;
        if (Service is null || Location is null || Start is not { } start) return BadRequest();

        var details = Customer is null ? await NewCustomerAsync(ct) : await ConfirmCustomerAsync(Customer, ct);
        if (details is null) return Answer(StatusCodes.Status400BadRequest);

        NotCoveredWarning = IsBeforeCoverage(start);
        if (NotCoveredWarning && !AcceptNotCovered)
            return Answer(StatusCodes.Status422UnprocessableEntity);

        var (service, location) = (Service, Location);
        var what = $"{service.Name} at {location.Name} for {AppointmentEmails.FormatWhen(start, location)}";
        var overridden = NotCoveredWarning ? $"; booked anyway, not covered by insurance until {CoveredFrom:yyyy-MM-dd}" : "";
        var outcome = await booking.BookAsync(
            new BookingRequest(service.Id, location.Id, start, details, AcceptNotCovered, BookingSource.FrontDesk, CustomerId: Customer?.Id), ct,
            visit => audit.Record(AuditActions.VisitBooked, $"Booked {what} (front desk){overridden}", visit.CustomerId, visit.Id));

        switch (outcome)
        {
            case BookingOutcome.Done done:
                TempData["Done"] = $"Booked {what}. A confirmation with a calendar invite is on its way to {details.Email}.";
                return Redirect($"/staff/customers/{done.Visit.CustomerId}");
            case BookingOutcome.Taken taken:
                Taken = taken.Alternatives;
                return Answer(StatusCodes.Status409Conflict);
            case BookingOutcome.NotCovered notCovered:
                (CoveredFrom, NotCoveredWarning) = (notCovered.CoveredFrom, true);
                return Answer(StatusCodes.Status422UnprocessableEntity);
            case BookingOutcome.Invalid invalid:
                foreach (var (field, message) in invalid.Errors) Errors[field] = message;
                return Answer(StatusCodes.Status400BadRequest);
            case BookingOutcome.NotFound:
                return NotFound();
            default:
                return BadRequest();
        }
    }

    /// <summary>A new customer's details as typed; null (with errors) when they need fixing or they are a customer on file
    /// already. Another person with the same email is a separate customer: families share addresses.</summary>
    private async Task<CustomerDetails?> NewCustomerAsync(CancellationToken ct)
    {
        var dateOfBirth = CustomerQuery.ParseDate(DateOfBirthText);
        if (!string.IsNullOrWhiteSpace(DateOfBirthText) && dateOfBirth is null)
            Errors["dateOfBirth"] = $"Enter the date of birth as {CustomerQuery.DateFormats}.";
        var details = new CustomerDetails(FullName, PreferredName, Email, Phone, dateOfBirth);
        var today = Location!.LocalDate(clock.GetUtcNow());
        foreach (var (field, message) in details.Validate(today, online: false)) Errors.TryAdd(field, message);

        if (Errors.Count == 0)
        {
            EmailOwner = await CustomerIdentity.FindAsync(db, details, ct);
            // Booking would attach the visit to that customer without changing their details: say so instead of surprising anyone.
            if (EmailOwner is not null)
                Errors["email"] = $"This is an existing customer, {EmailOwner.FullName} (same email, date of birth and name). Book for them.";
        }
        return Errors.Count == 0 ? details : null;
    }

    /// <summary>An existing customer, with the preferred name and phone staff confirmed on the call (saved and audited first).</summary>
    private async Task<CustomerDetails?> ConfirmCustomerAsync(Customer customer, CancellationToken ct)
    {
        var profile = CustomerProfile.Of(customer) with { PreferredName = PreferredName, Phone = Phone };
        foreach (var (field, message) in profile.Validate(Location!.LocalDate(clock.GetUtcNow()))) Errors[field] = message;
        if (Errors.Count > 0) return null;
        if (profile.ApplyTo(customer) is { } changes)
        {
            audit.Record(AuditActions.CustomerUpdated, $"Changed {changes} (while booking)", customer.Id);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone saved this customer since the page read them (xmin): show what is on file now, book nothing.
                db.ChangeTracker.Clear();
                Customer = await db.Customers.FirstAsync(c => c.Id == customer.Id, ct);
                (PreferredName, Phone) = (Customer.PreferredName, Customer.Phone);
                Errors["phone"] = "Someone else changed this customer's details meanwhile; here they are as saved now. Check them and book again.";
                return null;
            }
        }
        return new CustomerDetails(customer.FullName, customer.PreferredName, customer.Email, customer.Phone, customer.DateOfBirth);
    }

    private bool IsBeforeCoverage(DateTimeOffset start) =>
        CoveredFrom is { } covered && Location!.LocalDate(start) < covered;

    private IActionResult Answer(int status)
    {
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>What the query names: unknown ids are a 404, a combination that does not exist is a message.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (CustomerId is { } customerId)
        {
            Customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct);
            if (Customer is null) return NotFound();
        }
        Services = await db.Services.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Name).ToListAsync(ct);
        Locations = await db.Locations.AsNoTracking().Where(l => l.IsActive).OrderBy(l => l.Name).ToListAsync(ct);
        if (ServiceId is null && LocationId is null) return null;

        var service = Services.FirstOrDefault(s => s.Id == ServiceId);
        var location = Locations.FirstOrDefault(l => l.Id == LocationId);
        if ((ServiceId is not null && service is null) || (LocationId is not null && location is null)) return NotFound();
        if (service is null || location is null)
        {
            Problem = "Choose a service and a location.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }
        if (await availability.FindAsync(service.Id, location.Id, ct) is not var (offered, at))
        {
            Problem = $"{service.Name} is not offered at {location.Name}. Choose another location.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }
        (Service, Location) = (offered, at);
        if (Customer is not null)
            CoveredFrom = await eligibility.CoveredFromAsync(Customer.Id, Service, ct);
        if (StartText is not null)
        {
            if (SlotPicker.ParseIso(StartText) is not { } start) return BadRequest();
            Start = start;
        }
        return null;
    }

    private async Task BuildPickerAsync(CancellationToken ct)
    {
        var today = Location!.LocalDate(clock.GetUtcNow());
        var from = From ?? Date ?? today;
        if (from < today || from > today.AddYears(2)) from = today;
        var slots = await availability.GetSlotsAsync(Service!.Id, Location!.Id, from, SlotPicker.DaysShown, ct, staff: true);
        Picker = new SlotPicker
        {
            Location = Location,
            From = from,
            Today = today,
            Selected = Date ?? slots.Select(s => (DateOnly?)DateOnly.FromDateTime(s.Start.DateTime)).FirstOrDefault(),
            Slots = slots,
            CoveredFrom = CoveredFrom,
            DayLink = day => $"/staff/book?{Query}&from={SlotPicker.Iso(SlotPicker.PageStart(from, day))}&date={SlotPicker.Iso(day)}#times",
            SlotLink = slot => $"/staff/book?{Query}&start={Uri.EscapeDataString(SlotPicker.Iso(slot.Start))}#details",
        };
    }
}
