using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Customers;

/// <summary>
/// One customer: details staff keep (edited with an audit entry in the same SaveChanges, guarded by the row's version so
/// two staff editing at once cannot overwrite each other), notes, every visit and a timeline of every touchpoint.
/// </summary>
public class DetailsModel(AppDbContext db, Audit audit, CustomerTimeline timeline, TimeProvider clock) : PageModel
{
    public const int MaxNote = 2000;

    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? DateOfBirth { get; set; }
    /// <summary>The customer's row version when the form was shown.</summary>
    [BindProperty] public uint? Version { get; set; }
    [BindProperty] public string? PreferredName { get; set; }
    [BindProperty] public string? Pronunciation { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Preferences { get; set; }
    [BindProperty] public string? PreferredTimeOfDay { get; set; }
    [BindProperty] public string? NoteText { get; set; }
    [BindProperty] public Guid? NoteId { get; set; }
    [TempData] public string? Done { get; set; }

    public Customer Customer { get; private set; } = null!;
    public IReadOnlyList<CustomerNote> Notes { get; private set; } = [];
    public IReadOnlyList<Appointment> Visits { get; private set; } = [];
    public IReadOnlyList<TimelineItem> Timeline { get; private set; } = [];
    public Location? PreferredLocation { get; private set; }
    /// <summary>The zone the page writes times in: the customer's preferred location's, else their latest visit's.</summary>
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public string ZoneLabel { get; private set; } = "";
    public Dictionary<string, string> Errors { get; } = [];
    /// <summary>The form whose errors are shown: details, add-note, or the id of the note being edited.</summary>
    public string? FailedForm { get; private set; }

    public string? Error(string field) => Errors.GetValueOrDefault(field);

    /// <summary>Another staff member saved this customer after the form was shown; the form now shows the current values.</summary>
    public bool ChangedMeanwhile { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        ShowCurrentValues();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostDetailsAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (Version is null)
            Errors["version"] = "This form is out of date. Reload the page and make the change again.";
        if (!Enum.TryParse<TimeOfDayPreference>(PreferredTimeOfDay, ignoreCase: false, out var timeOfDay) || !Enum.IsDefined(timeOfDay))
            Errors["preferredTimeOfDay"] = "Choose a time of day.";
        var dateOfBirth = CustomerQuery.ParseDate(DateOfBirth);
        if (!string.IsNullOrWhiteSpace(DateOfBirth) && dateOfBirth is null)
            Errors["dateOfBirth"] = $"Enter the date of birth as {CustomerQuery.DateFormats}, or leave it empty.";
        var profile = new CustomerProfile(FullName, Email, dateOfBirth, PreferredName, Pronunciation, Phone, Preferences, timeOfDay);
        foreach (var (field, message) in profile.Validate(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            Errors.TryAdd(field, message);
        if (Errors.Count > 0) return await InvalidAsync("details", ct);

        // Saved since the form was shown; one saved between this load and the save below fails SaveChanges' xmin check.
        if (Customer.Version != Version) return await ChangedMeanwhileAsync(ct);
        if (profile.ApplyTo(Customer) is not { } changes)
        {
            Done = "Nothing changed.";
            return Redirect($"/staff/customers/{Id}#details");
        }
        audit.Record(AuditActions.CustomerUpdated, $"Changed {changes}", Customer.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return await ChangedMeanwhileAsync(ct);
        }
        Done = "Details saved.";
        return Redirect($"/staff/customers/{Id}#details");
    }

    /// <summary>409 with the form showing what is saved now; nothing of this attempt is kept.</summary>
    private async Task<IActionResult> ChangedMeanwhileAsync(CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        if (!await LoadAsync(ct)) return NotFound();
        ShowCurrentValues();
        ChangedMeanwhile = true;
        FailedForm = "details";
        Response.StatusCode = StatusCodes.Status409Conflict;
        return await PageAsync(ct);
    }

    private void ShowCurrentValues()
    {
        var profile = CustomerProfile.Of(Customer);
        (FullName, Email, DateOfBirth, Version) =
            (profile.FullName, profile.Email, profile.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Customer.Version);
        (PreferredName, Pronunciation, Phone, Preferences, PreferredTimeOfDay) =
            (profile.PreferredName, profile.Pronunciation, profile.Phone, profile.Preferences, profile.PreferredTimeOfDay.ToString());
    }

    public async Task<IActionResult> OnPostAddNoteAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (ValidateNote() is { } problem)
        {
            Errors["noteText"] = problem;
            return await InvalidAsync("add-note", ct);
        }
        var (staffId, staffName) = audit.CurrentStaff();
        var note = new CustomerNote
        {
            Id = Guid.CreateVersion7(), CustomerId = Customer.Id, Text = NoteText!.Trim(),
            CreatedAt = clock.GetUtcNow(), CreatedById = staffId, CreatedBy = staffName,
        };
        db.CustomerNotes.Add(note);
        audit.Record(AuditActions.NoteAdded, $"Added a note: {CustomerProfile.Quote(note.Text)}", Customer.Id);
        await db.SaveChangesAsync(ct);
        Done = "Note added.";
        return Redirect($"/staff/customers/{Id}#notes");
    }

    public async Task<IActionResult> OnPostEditNoteAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        var note = await db.CustomerNotes.FirstOrDefaultAsync(n => n.Id == NoteId && n.CustomerId == Customer.Id, ct);
        if (note is null) return NotFound();
        if (ValidateNote() is { } problem)
        {
            Errors["noteText"] = problem;
            return await InvalidAsync(note.Id.ToString(), ct);
        }
        var text = NoteText!.Trim();
        if (text == note.Text)
        {
            Done = "The note was not changed.";
            return Redirect($"/staff/customers/{Id}#note-{note.Id}");
        }
        var (staffId, staffName) = audit.CurrentStaff();
        audit.Record(AuditActions.NoteEdited, $"Edited a note from {CustomerProfile.Quote(note.Text)} to {CustomerProfile.Quote(text)}", Customer.Id);
        note.Text = text;
        note.UpdatedAt = clock.GetUtcNow();
        note.UpdatedById = staffId;
        note.UpdatedBy = staffName;
        await db.SaveChangesAsync(ct);
        Done = "Note saved.";
        return Redirect($"/staff/customers/{Id}#note-{note.Id}");
    }

    private string? ValidateNote()
    {
        var text = NoteText?.Trim();
        if (string.IsNullOrEmpty(text)) return "Write the note first.";
        if (text.Length > MaxNote) return $"A note can be at most {MaxNote} characters.";
        if (text.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t'))) return "A note cannot contain control characters.";
        return null;
    }

    private async Task<IActionResult> InvalidAsync(string form, CancellationToken ct)
    {
        FailedForm = form;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await PageAsync(ct);
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await db.Customers.FirstOrDefaultAsync(c => c.Id == Id, ct) is not { } customer) return false;
        Customer = customer;
        return true;
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        Notes = await db.CustomerNotes.AsNoTracking().Where(n => n.CustomerId == Id).OrderByDescending(n => n.CreatedAt).ToListAsync(ct);
        Visits = await db.Appointments.AsNoTracking().Include(a => a.Service).Include(a => a.Location)
            .Where(a => a.CustomerId == Id).OrderByDescending(a => a.Start).ToListAsync(ct);
        Timeline = await timeline.ForCustomerAsync(Id, ct);
        if (Customer.PreferredLocationId is { } preferred)
            PreferredLocation = await db.Locations.AsNoTracking().FirstOrDefaultAsync(l => l.Id == preferred, ct);
        var zoneOf = PreferredLocation ?? Visits.FirstOrDefault()?.Location
            ?? await db.Locations.AsNoTracking().OrderBy(l => l.Name).FirstOrDefaultAsync(ct);
        (Zone, ZoneLabel) = zoneOf is null ? (TimeZoneInfo.Utc, "Times in UTC.") : (zoneOf.TimeZone, $"Times are local time at {zoneOf.Name}.");
        return Page();
    }

    public string When(DateTimeOffset instant) => StaffTime.Short(instant, Zone);
}
