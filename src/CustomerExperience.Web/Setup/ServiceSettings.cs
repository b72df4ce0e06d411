using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CustomerExperience.Web.Setup;

/// <summary>The service form as typed; field names are the form's.</summary>
public sealed class ServiceForm
{
    public string? Name { get; set; }
    public string? Slug { get; set; }
    public string? Description { get; set; }
    public string? DurationMinutes { get; set; }
    public string? BufferMinutes { get; set; }
    public string? CoverageIntervalDays { get; set; }
    public string? RecallIntervalDays { get; set; }
    public string? ReminderOffsets { get; set; }
    public string? PreparationNotes { get; set; }
    public string? ResultsMinBusinessDays { get; set; }
    public string? ResultsMaxBusinessDays { get; set; }
    public string? CalendarTitle { get; set; }

    /// <summary>A new service's form: a neutral calendar title, reminders a week, a day and two hours before.</summary>
    public static ServiceForm New() => new()
    {
        BufferMinutes = "0", ReminderOffsets = Setup.ReminderOffsets.Format([7 * 1440, 1440, 120]), CalendarTitle = ServiceSettings.NeutralCalendarTitle,
    };

    public static ServiceForm From(Service s) => new()
    {
        Name = s.Name, Slug = s.Slug, Description = s.Description, DurationMinutes = Text(s.DurationMinutes), BufferMinutes = Text(s.BufferMinutes),
        CoverageIntervalDays = Text(s.CoverageIntervalDays), RecallIntervalDays = Text(s.RecallIntervalDays),
        ReminderOffsets = Setup.ReminderOffsets.Format(s.ReminderOffsetsMinutes), PreparationNotes = s.PreparationNotes,
        ResultsMinBusinessDays = Text(s.ResultsMinBusinessDays), ResultsMaxBusinessDays = Text(s.ResultsMaxBusinessDays), CalendarTitle = s.CalendarTitle,
    };

    private static string? Text(int? n) => n?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Creates, changes, deactivates and reactivates services, each change audited; bad values name their field and save nothing.</summary>
public class ServiceSettings(AppDbContext db, Audit audit, TimeProvider clock)
{
    /// <summary>What calendars and subjects say by default ("Clinic appointment at {clinic}"): nothing about why someone comes.</summary>
    public const string NeutralCalendarTitle = "Clinic appointment";
    public const int MaxNotes = 2000;

    /// <summary>Visits of the service still to come: they stay booked when it is deactivated.</summary>
    public Task<int> UpcomingVisitsAsync(Guid serviceId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Appointments.CountAsync(a => a.ServiceId == serviceId && a.End > now
            && (a.Status == AppointmentStatus.Booked || a.Status == AppointmentStatus.CheckedIn), ct);
    }

    public async Task<PlacesSave> CreateAsync(ServiceForm form, CancellationToken ct)
    {
        var service = new Service { Id = Guid.CreateVersion7(), Name = "", Slug = "", CalendarTitle = "" };
        if (await ApplyAsync(service, form, ct) is { } invalid) return invalid;
        db.Services.Add(service);
        audit.Record(AuditActions.ServiceCreated, $"Created service {service.Name} ({service.Slug})");
        return await SaveAsync(service, ct);
    }

    public async Task<PlacesSave> UpdateAsync(Guid id, uint shownVersion, ServiceForm form, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is not { } service) return new PlacesSave.NotFound();
        if (service.Version != shownVersion) return new PlacesSave.ChangedMeanwhile();
        if (await ApplyAsync(service, form, ct) is { } invalid) return invalid;
        db.ChangeTracker.DetectChanges();
        var changed = db.Entry(service).Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name).ToList();
        if (changed.Count == 0) return new PlacesSave.Saved(service.Id, service.Name);
        audit.Record(AuditActions.ServiceChanged, $"Changed service {service.Name}: {string.Join(", ", changed)}");
        return await SaveAsync(service, ct);
    }

    /// <summary>Deactivating takes the service off booking and recalls; its history and the visits already booked stay.</summary>
    public async Task<PlacesSave> SetActiveAsync(Guid id, uint shownVersion, bool active, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is not { } service) return new PlacesSave.NotFound();
        if (service.Version != shownVersion) return new PlacesSave.ChangedMeanwhile();
        if (service.IsActive == active) return new PlacesSave.Saved(service.Id, service.Name);
        service.IsActive = active;
        audit.Record(active ? AuditActions.ServiceActivated : AuditActions.ServiceDeactivated,
            $"{(active ? "Reactivated" : "Deactivated")} service {service.Name}");
        return await SaveAsync(service, ct);
    }

    private async Task<Service?> LoadAsync(Guid id, CancellationToken ct) =>
        await db.Services.FirstOrDefaultAsync(s => s.Id == id, ct);

    private async Task<PlacesSave.Invalid?> ApplyAsync(Service service, ServiceForm form, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var name = PlacesRules.Text(form.Name, "name", "service's name", 200, required: true, errors);
        var slug = PlacesRules.SlugOrFromName(form.Slug, form.Name);
        if (PlacesRules.SlugProblem(slug) is { } slugProblem) errors["slug"] = slugProblem;
        else if (await db.Services.AnyAsync(s => s.Slug == slug && s.Id != service.Id, ct))
            errors["slug"] = $"Another service already uses \"{slug}\". Choose a different one.";
        var description = PlacesRules.Text(form.Description, "description", "description", MaxNotes, required: false, errors);
        var duration = PlacesRules.Number(form.DurationMinutes, "durationMinutes", "duration in minutes", 5, 720, required: true, errors);
        var buffer = PlacesRules.Number(form.BufferMinutes, "bufferMinutes", "buffer in minutes", 0, 240, required: false, errors) ?? 0;
        var coverage = PlacesRules.Number(form.CoverageIntervalDays, "coverageIntervalDays", "coverage interval in days", 1, 3650, required: false, errors);
        var recall = PlacesRules.Number(form.RecallIntervalDays, "recallIntervalDays", "recall interval in days", 1, 3650, required: false, errors);
        var (reminders, reminderProblem) = ReminderOffsets.Parse(form.ReminderOffsets);
        if (reminderProblem is not null) errors["reminderOffsets"] = reminderProblem;
        var preparation = PlacesRules.Text(form.PreparationNotes, "preparationNotes", "preparation notes", MaxNotes, required: false, errors);
        var resultsMin = PlacesRules.Number(form.ResultsMinBusinessDays, "resultsMinBusinessDays", "earliest results day", 0, 60, required: false, errors);
        var resultsMax = PlacesRules.Number(form.ResultsMaxBusinessDays, "resultsMaxBusinessDays", "latest results day", 0, 60, required: false, errors);
        if (!errors.ContainsKey("resultsMinBusinessDays") && !errors.ContainsKey("resultsMaxBusinessDays"))
        {
            if ((resultsMin is null) != (resultsMax is null))
                errors[resultsMin is null ? "resultsMinBusinessDays" : "resultsMaxBusinessDays"] = "Give both the earliest and the latest results day, or neither.";
            else if (resultsMin > resultsMax)
                errors["resultsMinBusinessDays"] = "The earliest results day cannot be after the latest.";
        }
        var title = PlacesRules.Text(form.CalendarTitle, "calendarTitle", "calendar title", 100, required: true, errors);
        if (errors.Count > 0) return new PlacesSave.Invalid(errors);

        service.Name = name!;
        service.Slug = slug;
        service.Description = description;
        service.DurationMinutes = duration!.Value;
        service.BufferMinutes = buffer;
        service.CoverageIntervalDays = coverage;
        service.RecallIntervalDays = recall;
        if (!service.ReminderOffsetsMinutes.SequenceEqual(reminders)) service.ReminderOffsetsMinutes = reminders;
        service.PreparationNotes = preparation;
        service.ResultsMinBusinessDays = resultsMin;
        service.ResultsMaxBusinessDays = resultsMax;
        service.CalendarTitle = title!;
        return null;
    }

    private async Task<PlacesSave> SaveAsync(Service service, CancellationToken ct)
    {
        // The update must still find the version read (the one the form showed): a save in between fails it instead of being overwritten.
        try
        {
            await db.SaveChangesAsync(ct);
            return new PlacesSave.Saved(service.Id, service.Name);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new PlacesSave.ChangedMeanwhile();
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new PlacesSave.Invalid(new Dictionary<string, string> { ["slug"] = $"Another service already uses \"{service.Slug}\". Choose a different one." });
        }
    }
}
