using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Recovery;

/// <summary>The case lists' views: open (not resolved), overdue (no first contact past the due time), mine, resolved.</summary>
public enum CaseView { Open, Overdue, Mine, Resolved }

/// <summary>A case as the list shows it.</summary>
public sealed record CaseRow(
    int Number, DateTimeOffset OpenedAt, string LocationName, string TimeZoneId, CaseSource Source, string Summary, bool Clinical,
    string? CustomerName, string? OwnerName, DateTimeOffset DueAt, CaseStatus Status, DateTimeOffset? FirstContactAt,
    DateTimeOffset? EscalatedAt, RootCause? RootCause)
{
    public bool IsOverdue(DateTimeOffset now) => Status == CaseStatus.Open && FirstContactAt is null && DueAt <= now;
}

/// <summary>What the front desk is told about a customer's latest case, e.g. "Last visit: unhappy about the wait — called, apologised".</summary>
public sealed record LastCaseLine(int Number, bool IsOpen, string Text);

/// <summary>Reads cases for the pages: the list with its counts, the open count for the navigation, the desk's line.</summary>
public class CaseQueries(AppDbContext db, TimeProvider clock)
{
    public const int ListLimit = 200;

    private IQueryable<RecoveryCase> In(CaseView view, string? ownerId, Guid? locationId)
    {
        var now = clock.GetUtcNow();
        var cases = db.RecoveryCases.AsNoTracking();
        if (locationId is { } place) cases = cases.Where(c => c.LocationId == place);
        return view switch
        {
            CaseView.Overdue => cases.Where(c => c.Status == CaseStatus.Open && c.FirstContactAt == null && c.DueAt <= now),
            CaseView.Mine => cases.Where(c => c.Status != CaseStatus.Resolved && c.OwnerId == ownerId),
            CaseView.Resolved => cases.Where(c => c.Status == CaseStatus.Resolved),
            _ => cases.Where(c => c.Status != CaseStatus.Resolved),
        };
    }

    public async Task<IReadOnlyDictionary<CaseView, int>> CountsAsync(string? ownerId, Guid? locationId, CancellationToken ct)
    {
        var counts = new Dictionary<CaseView, int>();
        foreach (var view in Enum.GetValues<CaseView>())
            counts[view] = await In(view, ownerId, locationId).CountAsync(ct);
        return counts;
    }

    public Task<int> OpenCountAsync(CancellationToken ct) => db.RecoveryCases.CountAsync(c => c.Status != CaseStatus.Resolved, ct);

    public async Task<IReadOnlyList<CaseRow>> ListAsync(CaseView view, string? ownerId, Guid? locationId, CancellationToken ct)
    {
        var cases = In(view, ownerId, locationId);
        cases = view == CaseView.Resolved ? cases.OrderByDescending(c => c.ResolvedAt) : cases.OrderBy(c => c.DueAt);
        return await cases.Take(ListLimit)
            .Select(c => new CaseRow(
                c.Number, c.OpenedAt, c.Location!.Name, c.Location.TimeZoneId, c.Source, c.Summary, c.Clinical,
                c.Customer == null ? null : c.Customer.FullName,
                db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
                c.DueAt, c.Status, c.FirstContactAt, c.EscalatedAt, c.RootCause))
            .ToListAsync(ct);
    }

    /// <summary>The customer's most recent case, as one line for the visit panel; null when they never had one.</summary>
    public async Task<LastCaseLine?> LastForCustomerAsync(Guid customerId, Guid visitId, CancellationToken ct)
    {
        var latest = await db.RecoveryCases.AsNoTracking().Where(c => c.CustomerId == customerId)
            .OrderByDescending(c => c.OpenedAt)
            .Select(c => new
            {
                c.Number, c.Status, c.RootCause, c.Outcome, c.AppointmentId, c.Summary,
                Owner = db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (latest is null) return null;
        var when = latest.AppointmentId == visitId ? "This visit" : "Last visit";
        if (latest.Status == CaseStatus.Resolved)
        {
            var about = latest.RootCause is { } cause ? $" about {RootCauses.About(cause)}" : "";
            return new LastCaseLine(latest.Number, false, $"{when}: unhappy{about} — {latest.Outcome}");
        }
        var owner = latest.Owner is null ? "no owner yet" : $"owner {latest.Owner}";
        return new LastCaseLine(latest.Number, true, $"{when}: unhappy — open case {latest.Number}, {owner}");
    }
}
