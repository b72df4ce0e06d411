using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Delays;

/// <summary>
/// Tells the customers a delay concerns, through the outbox, in the transaction of the change. Affected: visits at
/// the delayed place (the location, or that resource) that are checked in, or booked to start within
/// <see cref="DelayRules.NoticeWindow"/>, and whose expected end has not passed. Each visit hears about the delay
/// that applies to it (the larger of location-wide and its resource's); <c>delay_notices</c> remembers what it was
/// told, and it is emailed again only when that grows by <see cref="DelayRules.RenotifyStep"/> minutes or more.
/// A delay that shrinks sends nothing: the manage page and the waiting-room screen always show the current figure,
/// and the email asks customers to come at their booked time anyway. Clearing a delay sends nothing either.
/// Safe to repeat at any time (the job does, every minute): a rerun finds nothing new to say.
/// </summary>
public class DelayNotifier(AppDbContext db, Outbox outbox, DelayEmails emails, MessageTexts texts, ManageLinks links, TimeProvider clock)
{
    /// <summary>The job's entry: every location with a running delay, each in its own transaction. Returns emails queued.</summary>
    public async Task<int> NotifyAllAsync(CancellationToken ct)
    {
        var locationIds = await db.Delays.Where(d => d.ClearedAt == null).Select(d => d.LocationId).Distinct().ToListAsync(ct);
        var queued = 0;
        foreach (var locationId in locationIds)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await LockLocationAsync(locationId, ct);
            var location = await db.Locations.SingleAsync(l => l.Id == locationId, ct);
            queued += await NotifyAtAsync(location, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
        return queued;
    }

    /// <summary>
    /// Serialises every change of delays and notices at one location (staff posting, the job on any node). A row lock
    /// that does not block bookings: inserting an appointment only takes a key-share lock on its location.
    /// </summary>
    public async Task LockLocationAsync(Guid locationId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM cx.locations WHERE id = {locationId} FOR NO KEY UPDATE", ct);

    /// <summary>
    /// Closes delays left running from an earlier day and returns the location's current ones (tracked). Call with the
    /// location locked, inside the transaction.
    /// </summary>
    public async Task<List<Delay>> CurrentDelaysAsync(Location location, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var running = await db.Delays.Include(d => d.Resource).Where(d => d.LocationId == location.Id && d.ClearedAt == null).ToListAsync(ct);
        foreach (var stale in running.Where(d => !DelayRules.IsCurrent(d, location, now)))
        {
            stale.ClearedAt = now;
            stale.ClearedBy = "Ended automatically at the end of its day";
        }
        return running.Where(d => d.ClearedAt is null).ToList();
    }

    /// <summary>Queues what the location's current delays owe customers; the caller holds the lock, the transaction, and saves.</summary>
    public async Task<int> NotifyAtAsync(Location location, CancellationToken ct)
    {
        var delays = await CurrentDelaysAsync(location, ct);
        if (delays.Count == 0) return 0;

        var now = clock.GetUtcNow();
        var horizon = now + DelayRules.NoticeWindow;
        var wholeLocation = delays.Any(d => d.ResourceId is null);
        var resourceIds = delays.Where(d => d.ResourceId is not null).Select(d => d.ResourceId!.Value).ToList();
        var earliestEnd = now.AddMinutes(-delays.Max(d => d.Minutes));
        var visits = await db.Appointments.AsNoTracking().Include(a => a.Customer)
            .Where(a => a.LocationId == location.Id && (wholeLocation || resourceIds.Contains(a.ResourceId)))
            .Where(a => a.Status == AppointmentStatus.CheckedIn || (a.Status == AppointmentStatus.Booked && a.Start <= horizon))
            .Where(a => a.End > earliestEnd)
            .ToListAsync(ct);
        if (visits.Count == 0) return 0;

        var delayIds = delays.Select(d => d.Id).ToList();
        var visitIds = visits.Select(v => v.Id).ToList();
        var notices = await db.DelayNotices
            .Where(n => delayIds.Contains(n.DelayId) && visitIds.Contains(n.AppointmentId))
            .ToListAsync(ct);

        var template = await texts.ForAsync(MessageKinds.Delay, ct);
        var queued = 0;
        foreach (var visit in visits)
        {
            if (DelayRules.Applying(delays, visit.ResourceId) is not { } delay) continue;
            if (visit.End.AddMinutes(delay.Minutes) <= now) continue;

            var told = notices.Where(n => n.AppointmentId == visit.Id).Select(n => (int?)n.Minutes).Max();
            if (told is { } minutes && delay.Minutes < minutes + DelayRules.RenotifyStep) continue;

            var token = ManageToken.New();
            if (await outbox.EnqueueAsync(emails.Build(template, delay, visit, location, visit.Customer!, links.Url(token)), ct))
            {
                ManageToken.Keep(db, visit.Id, token, now);
                queued++;
            }

            if (notices.FirstOrDefault(n => n.DelayId == delay.Id && n.AppointmentId == visit.Id) is { } notice)
            {
                notice.Minutes = delay.Minutes;
                notice.NotifiedAt = now;
            }
            else
            {
                notice = new DelayNotice { DelayId = delay.Id, AppointmentId = visit.Id, Minutes = delay.Minutes, NotifiedAt = now };
                db.DelayNotices.Add(notice);
                notices.Add(notice);
            }
        }
        return queued;
    }
}
