using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Recovery;

/// <summary>
/// Service recovery: every unhappy customer gets a case with an owner and a due time for the first contact.
/// A case opens once per response: when an answer is in the bottom two boxes, the recommend score is 0–6, or the
/// customer asked to be contacted; or when staff log a complaint. The owner is alerted by email in the transaction
/// that opens the case; a case whose first contact is overdue escalates once to the location's managers.
/// </summary>
public partial class ServiceRecovery(
    AppDbContext db, Outbox outbox, CaseEmails emails, Audit audit, IOptions<RecoveryOptions> options, TimeProvider clock,
    ILogger<ServiceRecovery> logger)
{
    public const int MaxComplaint = SurveyDefaults.MaxCommentLength;

    /// <summary>Null when the response needs no follow-up; otherwise why it does, for the case's summary.</summary>
    public static string? WhyFollowUp(SurveyDefinition definition, SurveyResponse response)
    {
        var reasons = new List<string>();
        foreach (var question in definition.Questions.OrderBy(q => q.Position))
        {
            if (response.Answers.FirstOrDefault(a => a.QuestionKey == question.Key) is not { } answer) continue;
            var unhappy = question.Scale == SurveyScale.Recommend10 ? answer.Score <= 6 : answer.Score <= 2;
            if (unhappy) reasons.Add($"{question.Text} {SurveyDefaults.Label(question, answer.Score)}");
        }
        if (response.ContactRequested) reasons.Add("Asked to be contacted");
        return reasons.Count == 0 ? null : string.Join(" · ", reasons);
    }

    /// <summary>Words that send a comment to the quality review as a possible clinical matter.</summary>
    [GeneratedRegex(@"\b(pain\w*|painful|hurt\w*|injur\w*|bruis\w*|bleed\w*|blood|swell\w*|result\w*|clinical\w*|diagnos\w*|lump\w*|burn\w*|dizz\w*|faint\w*|wrong (side|breast|patient))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClinicalWords();

    public static bool IsClinical(string? comment) => comment is not null && ClinicalWords().IsMatch(comment);

    /// <summary>Opens the case <paramref name="response"/> calls for, with its alert, in the caller's transaction; null when none is needed.</summary>
    public async Task<RecoveryCase?> OpenForResponseAsync(SurveyResponse response, SurveyDefinition definition, CancellationToken ct)
    {
        if (WhyFollowUp(definition, response) is not { } summary) return null;
        var recoveryCase = await NewCaseAsync(CaseSource.Survey, response.LocationId, response.CustomerId, response.AppointmentId,
            summary, response.Comment, openedById: null, ct);
        recoveryCase.ResponseId = response.Id;
        db.RecoveryCases.Add(recoveryCase);
        await db.SaveChangesAsync(ct);
        await AlertAsync(recoveryCase, ct);
        return recoveryCase;
    }

    /// <summary>
    /// A complaint staff heard at the desk: opens a case (with its alert and an audit entry) at the visit's location, or,
    /// from the customer page, at the location of the customer's latest visit (else their preferred one).
    /// </summary>
    public async Task<ComplaintOutcome> OpenComplaintAsync(Guid customerId, Guid? visitId, string? whatHappened, string? category, CancellationToken ct)
    {
        var text = whatHappened?.Trim();
        if (string.IsNullOrEmpty(text))
            return new ComplaintOutcome.Invalid("whatHappened", "Write what happened, in the customer's words if you can.");
        if (text.Length > MaxComplaint)
            return new ComplaintOutcome.Invalid("whatHappened", $"Please keep it under {MaxComplaint} characters.");
        RootCause? about = null;
        if (!string.IsNullOrEmpty(category))
        {
            if (!Enum.TryParse<RootCause>(category, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
                return new ComplaintOutcome.Invalid("category", "Choose what the complaint is about from the list, or leave it empty.");
            about = parsed;
        }

        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct)) return new ComplaintOutcome.NotFound();
        Guid? locationId;
        if (visitId is { } id)
        {
            locationId = await db.Appointments.Where(a => a.Id == id && a.CustomerId == customerId).Select(a => (Guid?)a.LocationId).SingleOrDefaultAsync(ct);
            if (locationId is null) return new ComplaintOutcome.NotFound();
        }
        else
        {
            var now = clock.GetUtcNow();
            locationId = await db.Appointments.Where(a => a.CustomerId == customerId)
                    .OrderBy(a => a.Start > now).ThenByDescending(a => a.Start).Select(a => (Guid?)a.LocationId).FirstOrDefaultAsync(ct)
                ?? await db.Customers.Where(c => c.Id == customerId).Select(c => c.PreferredLocationId).SingleAsync(ct)
                ?? await db.Locations.OrderBy(l => l.Name).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct);
            if (locationId is null) return new ComplaintOutcome.Invalid("location", "Set up a location first: a case belongs to one.");
        }

        var (staffId, _) = audit.CurrentStaff();
        var summary = about is { } cause ? $"Complaint at the desk: {RootCauses.Label(cause).ToLowerInvariant()}" : "Complaint at the desk";
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var recoveryCase = await NewCaseAsync(CaseSource.Complaint, locationId.Value, customerId, visitId, summary, text, staffId, ct);
        db.RecoveryCases.Add(recoveryCase);
        await db.SaveChangesAsync(ct);
        audit.Record(AuditActions.CaseOpened, $"Logged a complaint: case {recoveryCase.Number}", customerId, visitId);
        await db.SaveChangesAsync(ct);
        var alerted = await AlertAsync(recoveryCase, ct);
        await transaction.CommitAsync(ct);
        return new ComplaintOutcome.Opened(recoveryCase, alerted);
    }

    private async Task<RecoveryCase> NewCaseAsync(CaseSource source, Guid locationId, Guid? customerId, Guid? appointmentId,
        string summary, string? comment, string? openedById, CancellationToken ct)
    {
        var location = await db.Locations.AsNoTracking().Include(l => l.Closures).SingleAsync(l => l.Id == locationId, ct);
        var now = clock.GetUtcNow();
        return new RecoveryCase
        {
            Id = Guid.CreateVersion7(),
            Source = source,
            LocationId = locationId,
            CustomerId = customerId,
            AppointmentId = appointmentId,
            Summary = summary,
            Comment = comment,
            Clinical = IsClinical(comment),
            OwnerId = await ActiveAsync(location.ServiceRecoveryManagerId, ct) ?? await AnyManagerAsync(locationId, ct),
            OpenedAt = now,
            OpenedById = openedById,
            DueAt = (await HoursAsync(location, ct)).FirstContactDue(now, options.Value.FirstContactBusinessDays),
        };
    }

    public async Task<BusinessHours> HoursAsync(Location location, CancellationToken ct) =>
        BusinessHours.Of(location, await db.Resources.AsNoTracking()
            .Where(r => r.LocationId == location.Id && r.IsActive).SelectMany(r => r.WorkingHours).ToListAsync(ct));

    private async Task<string?> ActiveAsync(string? staffId, CancellationToken ct) =>
        staffId is not null && await db.Users.AnyAsync(u => u.Id == staffId && u.DisabledAt == null, ct) ? staffId : null;

    /// <summary>A manager who works at the location, else any manager, else an admin: someone always owns a case.</summary>
    private async Task<string?> AnyManagerAsync(Guid locationId, CancellationToken ct)
    {
        var managers = from user in db.EnabledManagersAndAdmins()
                       orderby db.UserRoles.Any(r => r.UserId == user.Id && r.RoleId == StaffRoles.ManagerId) ? 0 : 1,
                           db.StaffLocations.Any(s => s.StaffUserId == user.Id && s.LocationId == locationId) ? 0 : 1,
                           user.CreatedAt
                       select user.Id;
        return await managers.FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// The location's managers: active staff with the Manager role whose home locations include it; else every manager;
    /// else the admins (a clinic without managers still hears about its cases).
    /// </summary>
    public async Task<IReadOnlyList<CaseRecipient>> LocationManagersAsync(Guid locationId, CancellationToken ct)
    {
        var staff = await (from user in db.EnabledManagersAndAdmins()
                           where user.Email != null
                           orderby user.CreatedAt
                           select new
                           {
                               Recipient = new CaseRecipient(user.Id, user.Email!, user.DisplayName),
                               IsManager = db.UserRoles.Any(r => r.UserId == user.Id && r.RoleId == StaffRoles.ManagerId),
                               Here = db.StaffLocations.Any(s => s.StaffUserId == user.Id && s.LocationId == locationId),
                           }).ToListAsync(ct);
        var here = staff.Where(s => s.IsManager && s.Here).ToList();
        var chosen = here.Count > 0 ? here : staff.Where(s => s.IsManager).ToList() is { Count: > 0 } managers ? managers : staff;
        return chosen.Select(s => s.Recipient).DistinctBy(r => r.Id).ToList();
    }

    /// <summary>Queues the alert for a case just opened (in its transaction): to the owner, or when it has none, the location's managers.</summary>
    private async Task<IReadOnlyList<CaseRecipient>> AlertAsync(RecoveryCase recoveryCase, CancellationToken ct)
    {
        var location = await db.Locations.AsNoTracking().SingleAsync(l => l.Id == recoveryCase.LocationId, ct);
        var owner = recoveryCase.OwnerId is null ? null : await db.Users.Where(u => u.Id == recoveryCase.OwnerId && u.Email != null)
            .Select(u => new CaseRecipient(u.Id, u.Email!, u.DisplayName)).SingleOrDefaultAsync(ct);
        IReadOnlyList<CaseRecipient> recipients = owner is not null ? [owner] : await LocationManagersAsync(recoveryCase.LocationId, ct);
        if (recipients.Count == 0) LogNobodyToAlert(logger, recoveryCase.Number);
        await outbox.EnqueueManyAsync(recipients.Select(r => emails.Alert(recoveryCase, location, r, isOwner: owner is not null)).ToList(), ct);
        return recipients;
    }

    /// <summary>
    /// Escalates every overdue case once: still Open, no first contact, past its due time. Each case's row is locked while
    /// its emails are queued and <see cref="RecoveryCase.EscalatedAt"/> is set, in one transaction; a case a manager is
    /// saving right now is skipped and taken at the next run. Returns how many cases escalated.
    /// </summary>
    public async Task<int> EscalateOverdueAsync(CancellationToken ct)
    {
        var escalated = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var overdue = await db.RecoveryCases
                .FromSql($"""
                    SELECT *, xmin FROM cx.recovery_cases
                    WHERE status = 'Open' AND first_contact_at IS NULL AND escalated_at IS NULL AND due_at <= {now}
                    ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED
                    """)
                .ToListAsync(ct);
            if (overdue.Count == 0) return escalated;
            foreach (var recoveryCase in overdue)
            {
                var location = await db.Locations.AsNoTracking().SingleAsync(l => l.Id == recoveryCase.LocationId, ct);
                var ownerName = recoveryCase.OwnerId is null ? null
                    : await db.Users.Where(u => u.Id == recoveryCase.OwnerId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
                var managers = await LocationManagersAsync(recoveryCase.LocationId, ct);
                if (managers.Count == 0) LogNobodyToAlert(logger, recoveryCase.Number);
                await outbox.EnqueueManyAsync(managers.Select(m => emails.Escalation(recoveryCase, location, m, ownerName)).ToList(), ct);
                recoveryCase.EscalatedAt = now;
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            escalated += overdue.Count;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {Number} has no manager or admin to email")]
    private static partial void LogNobodyToAlert(ILogger logger, int number);
}

public abstract record ComplaintOutcome
{
    public sealed record Opened(RecoveryCase Case, IReadOnlyList<CaseRecipient> Alerted) : ComplaintOutcome;
    public sealed record NotFound : ComplaintOutcome;
    public sealed record Invalid(string Field, string Message) : ComplaintOutcome;
}

public class RecoveryOptions
{
    public const string Section = "Recovery";

    /// <summary>Business days (in the location's opening hours) within which the first contact is due.</summary>
    [Range(1, 10)]
    public int FirstContactBusinessDays { get; set; } = 1;
}
