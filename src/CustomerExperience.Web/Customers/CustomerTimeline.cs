using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Customers;

/// <summary>
/// One touchpoint with a customer. <paramref name="By"/> is the staff member, when a person did it. <paramref name="Day"/>:
/// known only by its date (an imported visit), shown as that date and sorted at <paramref name="At"/>, the start of it.
/// </summary>
public sealed record TimelineItem(DateTimeOffset At, string Kind, string Title, string? Detail = null, string? By = null, Guid? VisitId = null, DateOnly? Day = null);

/// <summary>The <see cref="TimelineItem.Kind"/> values: stable names for styling and tests.</summary>
public static class TimelineKinds
{
    public const string Booked = "booked";
    public const string Rescheduled = "rescheduled";
    public const string Cancelled = "cancelled";
    public const string CheckedIn = "checked-in";
    public const string Completed = "completed";
    public const string NoShow = "no-show";
    public const string Email = "email";
    public const string Note = "note";
    public const string NoteEdited = "note-edited";
    public const string StaffChange = "staff-change";
    public const string Merged = "merged";
    public const string Survey = "survey";
    public const string CaseOpened = "case-opened";
    public const string CaseContacted = "case-contacted";
    public const string CaseResolved = "case-resolved";
    public const string PastVisit = "past-visit";
}

/// <summary>
/// One kind of touchpoint for the customer timeline. This is the extension point: surveys (and anything later)
/// add a class that implements it and one <c>AddScoped&lt;ITimelineSource, …&gt;()</c> line in <see cref="CustomersSetup"/>.
/// </summary>
public interface ITimelineSource
{
    Task<IReadOnlyList<TimelineItem>> ItemsAsync(Guid customerId, CancellationToken ct);
}

/// <summary>Every touchpoint with a customer, newest first, from all registered <see cref="ITimelineSource"/>s.</summary>
public class CustomerTimeline(IEnumerable<ITimelineSource> sources)
{
    public async Task<IReadOnlyList<TimelineItem>> ForCustomerAsync(Guid customerId, CancellationToken ct)
    {
        var items = new List<TimelineItem>();
        // One after the other: the sources share the request's DbContext.
        foreach (var source in sources)
            items.AddRange(await source.ItemsAsync(customerId, ct));
        // At the same instant the later source comes first: an email above the booking that caused it.
        return items.Select((item, index) => (item, index))
            .OrderByDescending(x => x.item.At).ThenByDescending(x => x.index)
            .Select(x => x.item).ToList();
    }
}

/// <summary>
/// Bookings, moves, cancellations, check-ins, completions and no-shows from the visits' own timestamps, each with the
/// staff member who did it when an audit entry says so; other staff changes (earlier moves, detail edits) from the audit trail.
/// </summary>
public class VisitTimeline(AppDbContext db) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineItem>> ItemsAsync(Guid customerId, CancellationToken ct)
    {
        var visits = await db.Appointments.AsNoTracking().Include(a => a.Service).Include(a => a.Location)
            .Where(a => a.CustomerId == customerId).ToListAsync(ct);
        var visitIds = visits.ConvertAll(v => (Guid?)v.Id);
        var audit = await db.AuditEntries.AsNoTracking()
            .Where(e => e.CustomerId == customerId || visitIds.Contains(e.AppointmentId))
            // Notes carry who wrote and edited them; the note items show that.
            .Where(e => e.Action != AuditActions.NoteAdded && e.Action != AuditActions.NoteEdited)
            .Where(e => !e.Action.StartsWith(AuditActions.CasePrefix))
            .ToListAsync(ct);

        var items = new List<TimelineItem>();
        void Add(Appointment visit, string kind, DateTimeOffset? at, string action, string title, string? detail = null)
        {
            var candidates = audit.Where(e => e.AppointmentId == visit.Id && e.Action == action);
            var entry = at is { } t ? candidates.MinBy(e => (e.At - t).Duration()) : candidates.MaxBy(e => e.At);
            if (entry is not null) audit.Remove(entry);
            var details = string.Join(" · ", new[] { detail, entry?.Details }.Where(d => !string.IsNullOrWhiteSpace(d)));
            items.Add(new TimelineItem((at ?? entry?.At ?? visit.Start), kind, title, details.Length > 0 ? details : null, entry?.StaffName, visit.Id));
        }

        foreach (var visit in visits)
        {
            var service = visit.Service!.Name;
            var where = visit.Location!.Name;
            var when = StaffTime.Short(visit.Start, visit.Location.TimeZone);
            Add(visit, TimelineKinds.Booked, visit.CreatedAt, AuditActions.VisitBooked,
                visit.RescheduledAt is null ? $"Booked {service} for {when} at {where}" : $"Booked {service} at {where}",
                $"Source: {StaffTime.Describe(visit.Source)}");
            if (visit.RescheduledAt is { } moved)
                Add(visit, TimelineKinds.Rescheduled, moved, AuditActions.VisitRescheduled, $"Moved {service} to {when} at {where}");
            if (visit.CheckedInAt is { } checkedIn)
                Add(visit, TimelineKinds.CheckedIn, checkedIn, AuditActions.VisitCheckedIn, $"Checked in for {service} at {where}");
            if (visit.CompletedAt is { } completed)
                Add(visit, TimelineKinds.Completed, completed, AuditActions.VisitCompleted, $"Completed {service} at {where}");
            if (visit.CancelledAt is { } cancelled)
                Add(visit, TimelineKinds.Cancelled, cancelled, AuditActions.VisitCancelled, $"Cancelled {service} of {when} at {where}",
                    visit.CancellationReason is { } reason ? $"Reason: {reason}" : null);
            // A no-show keeps no time of its own: the audit entry's, or else the visit's start.
            if (visit.Status == AppointmentStatus.NoShow)
                Add(visit, TimelineKinds.NoShow, null, AuditActions.VisitNoShow, $"No-show for {service} of {when} at {where}");
        }

        items.AddRange(audit.Select(e => new TimelineItem(e.At, e.Action == AuditActions.CustomerMerged ? TimelineKinds.Merged : TimelineKinds.StaffChange, StaffTime.DescribeAction(e.Action), e.Details, e.StaffName, e.AppointmentId)));
        return items;
    }
}

/// <summary>Every email queued for the customer (outbox rows): kind, subject, and whether and when it was sent.</summary>
public class EmailTimeline(AppDbContext db) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineItem>> ItemsAsync(Guid customerId, CancellationToken ct)
    {
        var emails = await db.OutboundEmails.AsNoTracking()
            .Where(e => e.CustomerId == customerId)
            .Select(e => new { e.Kind, e.Subject, e.Status, e.Attempts, e.CreatedAt, e.SentAt, e.AppointmentId })
            .ToListAsync(ct);
        return emails.ConvertAll(e => new TimelineItem(
            e.SentAt ?? e.CreatedAt, TimelineKinds.Email, $"Email: {e.Subject}",
            $"{e.Kind} · " + e.Status switch
            {
                OutboundEmailStatus.Sent => "sent",
                OutboundEmailStatus.Dead => $"not delivered after {e.Attempts} attempts",
                OutboundEmailStatus.Sending => "sending",
                _ => e.Attempts > 0 ? $"queued, {e.Attempts} failed attempts so far" : "queued",
            },
            VisitId: e.AppointmentId));
    }
}

/// <summary>
/// Last visits known from a CSV import (<see cref="PastVisit"/>), at the start of their day in the location's zone: a
/// clinic sees what the customer had before the app, as coverage and recalls count it.
/// </summary>
public class PastVisitTimeline(AppDbContext db) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineItem>> ItemsAsync(Guid customerId, CancellationToken ct)
    {
        var visits = await (
            from visit in db.PastVisits.AsNoTracking().Where(v => v.CustomerId == customerId)
            join service in db.Services on visit.ServiceId equals service.Id
            join location in db.Locations on visit.LocationId equals location.Id
            from import in db.CustomerImports.Where(i => i.Id == visit.ImportId).DefaultIfEmpty()
            select new { visit.VisitedOn, Service = service.Name, Location = location.Name, location.TimeZoneId, File = import == null ? null : import.FileName, By = import == null ? null : import.UploadedByName })
            .ToListAsync(ct);
        return visits.ConvertAll(v => new TimelineItem(
            AvailabilityCalculator.ToInstant(TimeZoneInfo.FindSystemTimeZoneById(v.TimeZoneId), v.VisitedOn, TimeOnly.MinValue, earliest: true),
            TimelineKinds.PastVisit, $"Last {v.Service} visit on {StaffTime.Day(v.VisitedOn)} at {v.Location} (imported)",
            v.File is null ? null : $"From {v.File}, imported by {v.By}", Day: v.VisitedOn));
    }
}

/// <summary>Staff notes: when each was written and, if edited, when and by whom last.</summary>
public class NoteTimeline(AppDbContext db) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineItem>> ItemsAsync(Guid customerId, CancellationToken ct)
    {
        var notes = await db.CustomerNotes.AsNoTracking().Where(n => n.CustomerId == customerId).ToListAsync(ct);
        var items = notes.ConvertAll(n => new TimelineItem(n.CreatedAt, TimelineKinds.Note, "Note added", n.UpdatedAt is null ? n.Text : null, n.CreatedBy));
        items.AddRange(notes.Where(n => n.UpdatedAt is not null)
            .Select(n => new TimelineItem(n.UpdatedAt!.Value, TimelineKinds.NoteEdited, "Note edited", n.Text, n.UpdatedBy)));
        return items;
    }
}
