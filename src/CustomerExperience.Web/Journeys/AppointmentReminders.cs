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
public class AppointmentReminders(AppDbContext db, Outbox outbox, AppointmentEmails emails, ManageLinks links, TimeProvider clock)
{
    public const int BatchSize = 500;

    /// <summary>Queues every reminder that is due now; returns how many were new.</summary>
    public async Task<int> QueueDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var services = await db.Services.AsNoTracking().Where(s => s.ReminderOffsetsMinutes.Count > 0).ToListAsync(ct);
        var queued = 0;
        foreach (var service in services)
        {
            // A calendar day can be 25 hours long, so look a day further than the longest offset.
            var horizon = now + TimeSpan.FromMinutes(service.ReminderOffsetsMinutes.Max()) + TimeSpan.FromDays(1);
            // Pages by position: a visit booked meanwhile may be seen twice (the key makes that harmless) or
            // wait for the next run, a minute later.
            for (var page = 0; ; page++)
            {
                var visits = await db.Appointments.AsNoTracking()
                    .Include(a => a.Customer).Include(a => a.Location)
                    .Where(a => a.ServiceId == service.Id && a.Status == AppointmentStatus.Booked && a.Start > now && a.Start <= horizon)
                    .OrderBy(a => a.Start).ThenBy(a => a.Id)
                    .Skip(page * BatchSize).Take(BatchSize)
                    .ToListAsync(ct);
                if (visits.Count == 0) break;

                var due = visits
                    .Select(visit => (Visit: visit, Offset: DueOffset(visit, visit.Location!, service.ReminderOffsetsMinutes, now)))
                    .Where(d => d.Offset is not null)
                    .ToList();
                // Most runs find most reminders queued by an earlier run: skip those before building any email.
                var keys = due.Select(d => AppointmentEmails.ReminderKey(d.Visit, d.Offset!.Value)).ToList();
                var queuedBefore = await db.OutboundEmails.AsNoTracking()
                    .Where(e => keys.Contains(e.IdempotencyKey)).Select(e => e.IdempotencyKey).ToHashSetAsync(ct);
                due = due.Where(d => !queuedBefore.Contains(AppointmentEmails.ReminderKey(d.Visit, d.Offset!.Value))).ToList();
                if (due.Count == 0) continue;

                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var unchanged = await StillAsReadAsync(due.Select(d => d.Visit).ToList(), ct);
                var reminders = due
                    .Where(d => unchanged.Contains(d.Visit.Id))
                    .Select(d => (d.Visit, Token: ManageToken.New(), Offset: d.Offset!.Value))
                    .Select(r => (r.Visit, r.Token, Email: emails.Reminder(r.Visit, service, r.Visit.Location!, r.Visit.Customer!, links.Url(r.Token), r.Offset)))
                    .ToList();
                var added = await outbox.EnqueueManyAsync(reminders.Select(r => r.Email).ToList(), ct);
                foreach (var (visit, token, email) in reminders.Where(r => added.Contains(r.Email.IdempotencyKey)))
                {
                    ManageToken.Keep(db, visit.Id, token, now);
                    queued++;
                }
                // The hashes of the links just queued, in one round trip with the batch.
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
        }
        return queued;
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
