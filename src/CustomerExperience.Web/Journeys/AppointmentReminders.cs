using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Journeys;

/// <summary>
/// Reminders before a booked visit, at the service's offsets. Stateless and safe to run at any frequency, on any
/// node: each reminder's idempotency key (<c>reminder:{visit}:{offset}:{sequence}</c>) lets the outbox take it
/// once. The rules, all decided from the visit as it is now:
/// <list type="bullet">
/// <item>A reminder is due at its moment: whole days before the visit count in the location's calendar (same
/// wall-clock time, across DST); what is left counts in real minutes.</item>
/// <item>A moment that passed before the visit was booked (or last moved) is skipped.</item>
/// <item>When several are due at once (a catch-up after downtime), only the nearest to the visit is sent.</item>
/// <item>Only booked visits get reminders; moving or cancelling one withdraws its queued reminders. A visit is queued
/// for only if it is still as read, checked under its row lock (see <see cref="StillAsReadAsync"/>).</item>
/// </list>
/// </summary>
public class AppointmentReminders(
    AppDbContext db, Outbox outbox, AppointmentEmails emails, MessageTexts texts, ManageLinks links, TimeProvider clock)
{
    public const int BatchSize = 500;

    /// <summary>Queues every reminder that is due now; returns how many were new.</summary>
    public async Task<int> QueueDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var services = await db.Services.AsNoTracking().Where(s => s.ReminderOffsetsMinutes.Count > 0).ToListAsync(ct);
        var locations = await db.Locations.AsNoTracking().ToDictionaryAsync(l => l.Id, ct);
        var queued = 0;
        foreach (var service in services)
        {
            // A calendar day can be 25 hours long, so look a day further than the longest offset.
            var horizon = now + TimeSpan.FromMinutes(service.ReminderOffsetsMinutes.Max()) + TimeSpan.FromDays(1);
            // What is due is decided from the visit rows alone, read at once (paging by position re-sorted every row
            // before each page); customers are read a batch at a time, for the reminders still to queue. A visit
            // booked meanwhile waits for the next run, a minute later.
            var visits = await db.Appointments.AsNoTracking()
                .Where(a => a.ServiceId == service.Id && a.Status == AppointmentStatus.Booked && a.Start > now && a.Start <= horizon)
                .OrderBy(a => a.Start).ThenBy(a => a.Id)
                .ToListAsync(ct);
            var due = visits
                .Select(visit => (Visit: visit, Offset: DueOffset(visit, locations[visit.LocationId], service.ReminderOffsetsMinutes, now)))
                .Where(d => d.Offset is not null)
                .Select(d => new Due(d.Visit, d.Offset!.Value, AppointmentEmails.ReminderKey(d.Visit, d.Offset.Value)))
                .ToList();
            foreach (var batch in due.Chunk(BatchSize))
                queued += await QueueBatchAsync(service, locations, batch, now, ct);
        }
        return queued;
    }

    private sealed record Due(Appointment Visit, int Offset, string Key);

    private async Task<int> QueueBatchAsync(Service service, Dictionary<Guid, Location> locations, IReadOnlyList<Due> batch,
        DateTimeOffset now, CancellationToken ct)
    {
        // Most runs find most reminders queued by an earlier run: skip those before reading customers or building any email.
        var keys = batch.Select(d => d.Key).ToList();
        var queuedBefore = await db.OutboundEmails.AsNoTracking()
            .Where(e => keys.Contains(e.IdempotencyKey)).Select(e => e.IdempotencyKey).ToHashSetAsync(ct);
        var fresh = batch.Where(d => !queuedBefore.Contains(d.Key)).ToList();
        if (fresh.Count == 0) return 0;
        var customerIds = fresh.Select(d => d.Visit.CustomerId).Distinct().ToList();
        // A customer merged away since the visits were read is missing here: that visit waits for the next run.
        var customers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);

        var template = await texts.ForAsync(MessageKinds.Reminder, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var unchanged = await StillAsReadAsync(fresh.Select(d => d.Visit).ToList(), ct);
        var reminders = fresh
            .Where(d => unchanged.Contains(d.Visit.Id) && customers.ContainsKey(d.Visit.CustomerId))
            .Select(d => (d.Visit, Token: ManageToken.New(), d.Offset))
            .Select(r => (r.Visit, r.Token, Email: emails.Reminder(template, r.Visit, service, locations[r.Visit.LocationId],
                customers[r.Visit.CustomerId], links.Url(r.Token), r.Offset)))
            .ToList();
        var added = await outbox.EnqueueManyAsync(reminders.Select(r => r.Email).ToList(), ct);
        // The hashes of the links just queued, in one INSERT with the batch.
        var kept = reminders.Where(r => added.Contains(r.Email.IdempotencyKey)).Select(r => (r.Visit.Id, r.Token)).ToList();
        await ManageToken.KeepAllAsync(db, kept, now, ct);
        await transaction.CommitAsync(ct);
        return kept.Count;
    }

    /// <summary>
    /// Locks the rows of <paramref name="visits"/> for the caller's transaction and returns the ids of those still booked
    /// at the start and calendar sequence read before. A move or cancel holds its row lock from its read to its commit
    /// and withdraws pending reminders inside it: so a move that commits after this lock finds the reminder queued
    /// here and withdraws it, and one that committed before (or is committing) is seen here, and its visit skipped.
    /// Shared locks: two reminder runs do not wait for each other.
    /// </summary>
    private async Task<HashSet<Guid>> StillAsReadAsync(IReadOnlyList<Appointment> visits, CancellationToken ct)
    {
        var ids = visits.Select(v => v.Id).ToArray();
        var starts = visits.Select(v => v.Start).ToArray();
        var sequences = visits.Select(v => v.CalendarSequence).ToArray();
        var unchanged = await db.Database.SqlQuery<Guid>($"""
            SELECT a.id AS "Value"
            FROM cx.appointments a
            JOIN unnest({ids}, {starts}, {sequences}) AS seen(id, start, calendar_sequence) ON seen.id = a.id
            WHERE a.status = 'Booked' AND a.start = seen.start AND a.calendar_sequence = seen.calendar_sequence
            ORDER BY a.id
            FOR SHARE OF a
            """).ToListAsync(ct);
        return [.. unchanged];
    }

    /// <summary>The offset whose reminder should exist by now, or null when none is due (or all due ones are stale).</summary>
    public static int? DueOffset(Appointment visit, Location location, IEnumerable<int> offsets, DateTimeOffset now)
    {
        if (visit.Start <= now) return null;
        int? nearest = null;
        foreach (var offset in offsets)
        {
            var moment = Moment(visit.Start, offset, location.TimeZone);
            if (moment <= now && (nearest is null || offset < nearest)) nearest = offset;
        }
        if (nearest is null) return null;
        return Moment(visit.Start, nearest.Value, location.TimeZone) >= visit.ScheduledAt ? nearest : null;
    }

    /// <summary>When the reminder <paramref name="offsetMinutes"/> before <paramref name="start"/> is due.</summary>
    public static DateTimeOffset Moment(DateTimeOffset start, int offsetMinutes, TimeZoneInfo zone)
    {
        var days = offsetMinutes / (24 * 60);
        var minutes = offsetMinutes % (24 * 60);
        var local = TimeZoneInfo.ConvertTime(start, zone);
        var sameTimeEarlier = AvailabilityCalculator.ToInstant(zone, DateOnly.FromDateTime(local.DateTime).AddDays(-days),
            TimeOnly.FromDateTime(local.DateTime), earliest: true);
        return sameTimeEarlier - TimeSpan.FromMinutes(minutes);
    }
}
