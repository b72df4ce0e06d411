using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Customers;

public abstract record MergeOutcome
{
    public sealed record Merged(string Summary) : MergeOutcome;
    public sealed record NotFound : MergeOutcome;
    public sealed record Refused(string Reason) : MergeOutcome;
}

/// <summary>
/// Two customer records that are one person become one: visits (with their manage links), notes, emails and audit
/// entries move to the kept customer, details it lacks are filled in from the other (an opt-out from either holds), and
/// the other record is deleted. One transaction, with both rows locked, and audited on the kept customer.
/// </summary>
public class CustomerMerge(AppDbContext db, Audit audit)
{
    public async Task<MergeOutcome> MergeAsync(Guid keptId, Guid mergedId, CancellationToken ct)
    {
        if (keptId == mergedId) return new MergeOutcome.Refused("A customer cannot be merged into itself. Choose two different customers.");

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var both = await db.Customers.FromSql($"SELECT *, xmin FROM cx.customers WHERE id IN ({keptId}, {mergedId}) ORDER BY id FOR UPDATE")
            .ToListAsync(ct);
        if (both.Count != 2) return new MergeOutcome.NotFound();
        var kept = both.Single(c => c.Id == keptId);
        var merged = both.Single(c => c.Id == mergedId);

        var visits = await db.Appointments.Where(a => a.CustomerId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(a => a.CustomerId, keptId), ct);
        var notes = await db.CustomerNotes.Where(n => n.CustomerId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(n => n.CustomerId, keptId), ct);
        var emails = await db.OutboundEmails.Where(e => e.CustomerId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(e => e.CustomerId, keptId), ct);
        var entries = await db.AuditEntries.Where(e => e.CustomerId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(e => e.CustomerId, keptId), ct);
        // One imported last visit per customer and service: the later of the two stays.
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM cx.past_visits p USING cx.past_visits other
            WHERE p.service_id = other.service_id AND p.customer_id IN ({keptId}, {mergedId}) AND other.customer_id IN ({keptId}, {mergedId})
              AND p.customer_id <> other.customer_id AND (p.visited_on, p.customer_id = {keptId}) < (other.visited_on, other.customer_id = {keptId})
            """, ct);
        await db.PastVisits.Where(v => v.CustomerId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(v => v.CustomerId, keptId), ct);

        kept.PreferredName ??= merged.PreferredName;
        kept.Pronunciation ??= merged.Pronunciation;
        kept.Phone ??= merged.Phone;
        kept.DateOfBirth ??= merged.DateOfBirth;
        kept.Preferences ??= merged.Preferences;
        kept.PreferredLocationId ??= merged.PreferredLocationId;
        if (kept.PreferredTimeOfDay == TimeOfDayPreference.Any) kept.PreferredTimeOfDay = merged.PreferredTimeOfDay;
        kept.EmailOptOut |= merged.EmailOptOut;
        db.Customers.Remove(merged);

        var summary = $"Merged {merged.FullName} ({merged.Email}, born {merged.DateOfBirth?.ToString("yyyy-MM-dd") ?? "unknown"}) into this customer: "
            + $"{visits} visits, {notes} notes, {emails} emails and {entries} audit entries moved";
        audit.Record(AuditActions.CustomerMerged, summary, keptId);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new MergeOutcome.Merged(summary);
    }
}
