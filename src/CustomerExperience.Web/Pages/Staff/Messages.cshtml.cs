using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff;

/// <summary>Every outbound email with its delivery state; a manager can resend one that gave up (Dead).</summary>
[Authorize(Policy = StaffPolicies.Manager)]
public class MessagesModel(AppDbContext db, Outbox outbox, Audit audit) : PageModel
{
    public const int PageSize = 50;

    public sealed record Row(
        Guid Id, DateTimeOffset CreatedAt, string Kind, string ToAddress, string? ToName, string Subject,
        OutboundEmailStatus Status, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset? SentAt, string? LastError, Guid? CustomerId);

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    /// <summary>Keyset paging: rows created before this one (id of the last row of the previous page).</summary>
    [BindProperty(SupportsGet = true)] public Guid? Before { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyDictionary<OutboundEmailStatus, int> Counts { get; private set; } = new Dictionary<OutboundEmailStatus, int>();
    public IReadOnlyList<string> Kinds { get; private set; } = [];
    public Guid? NextBefore { get; private set; }
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public string? Error { get; private set; }
    [TempData] public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        OutboundEmailStatus? status = null;
        if (!string.IsNullOrEmpty(Status))
        {
            if (!Enum.TryParse<OutboundEmailStatus>(Status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                Error = $"\"{Status}\" is not a status. Choose Pending, Sending, Sent or Dead.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                Status = null;
            }
            else
                status = parsed;
        }
        await LoadAsync(status, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync(Guid id, CancellationToken ct)
    {
        var email = await db.OutboundEmails.AsNoTracking().Where(e => e.Id == id)
            .Select(e => new { e.Status, e.CustomerId, e.AppointmentId, e.Kind, e.Subject }).FirstOrDefaultAsync(ct);
        if (email is null)
            return NotFound();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await outbox.ResendDeadAsync(id, ct))
        {
            await transaction.RollbackAsync(ct);
            Error = "Only a message that gave up (Dead) can be resent; this one is " + email.Status + ".";
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(null, ct);
            return Page();
        }
        audit.Record(AuditActions.EmailResent, $"Resent the {email.Kind} email \"{email.Subject}\"", email.CustomerId, email.AppointmentId);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        Done = "Queued again: it goes out within a minute, with the same Message-ID.";
        return RedirectToPage(new { Status, Kind });
    }

    private async Task LoadAsync(OutboundEmailStatus? status, CancellationToken ct)
    {
        // Times show in the clinic's zone (its first location's); one clinic runs in one zone in practice.
        var zoneId = await db.Locations.OrderBy(l => l.Name).Select(l => l.TimeZoneId).FirstOrDefaultAsync(ct);
        if (zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
            Zone = zone;

        Counts = await db.OutboundEmails.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        Kinds = await db.OutboundEmails.Select(e => e.Kind).Distinct().OrderBy(k => k).ToListAsync(ct);

        var query = db.OutboundEmails.AsNoTracking();
        if (status is { } s) query = query.Where(e => e.Status == s);
        if (!string.IsNullOrEmpty(Kind)) query = query.Where(e => e.Kind == Kind);
        if (Before is { } before && await db.OutboundEmails.Where(e => e.Id == before).Select(e => (DateTimeOffset?)e.CreatedAt).FirstOrDefaultAsync(ct) is { } at)
            query = query.Where(e => e.CreatedAt < at || (e.CreatedAt == at && e.Id.CompareTo(before) < 0));

        var rows = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Take(PageSize + 1)
            .Select(e => new Row(e.Id, e.CreatedAt, e.Kind, e.ToAddress, e.ToName, e.Subject, e.Status, e.Attempts,
                e.NextAttemptAt, e.SentAt, e.LastError, e.CustomerId))
            .ToListAsync(ct);
        NextBefore = rows.Count > PageSize ? rows[PageSize - 1].Id : null;
        Rows = rows.Take(PageSize).ToList();
    }

    public string Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).ToString("MMM d, HH:mm");
}
