using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Recovery;

public abstract record CaseOutcome
{
    public sealed record Done(string Message) : CaseOutcome;
    public sealed record NotFound : CaseOutcome;
    /// <summary>Bad input; <see cref="Field"/> names the form field. Nothing was changed.</summary>
    public sealed record Invalid(string Field, string Message) : CaseOutcome;
    /// <summary>The case is not in a state where this makes sense.</summary>
    public sealed record Refused(string Message) : CaseOutcome;
    /// <summary>Someone changed the case after the page was shown; nothing was done.</summary>
    public sealed record Changed : CaseOutcome
    {
        public const string Message = "Someone else changed this case meanwhile. The page now shows it as it is saved; nothing you entered was saved. Make your change again if it is still needed.";
    }
}

/// <summary>
/// What managers do on a case: record the first contact, tick the HEARD steps, hand it to another manager, add notes and
/// resolve it. Each change reads the case's row locked, inside the transaction that changes it, and is refused when the
/// case changed after the page showed it, so two managers acting at once never overwrite each other. Each change is
/// audited in the same SaveChanges.
/// </summary>
public class CaseActions(AppDbContext db, Audit audit, TimeProvider clock)
{
    public const int MaxText = 2000;

    public Task<CaseOutcome> RecordContactAsync(int number, uint shownVersion, string? note, CancellationToken ct)
    {
        if (TextProblem(note, required: false) is { } problem) return Task.FromResult<CaseOutcome>(new CaseOutcome.Invalid("contactNote", problem));
        return ChangeAsync(number, shownVersion, recoveryCase =>
        {
            if (recoveryCase.Status != CaseStatus.Open)
                return new CaseOutcome.Refused("The first contact is already recorded on this case.");
            var now = clock.GetUtcNow();
            recoveryCase.Status = CaseStatus.Contacted;
            recoveryCase.FirstContactAt = now;
            if (!string.IsNullOrWhiteSpace(note)) AddNote(recoveryCase, $"First contact: {note.Trim()}");
            audit.Record(AuditActions.CaseContacted, $"Recorded the first contact on case {recoveryCase.Number}", recoveryCase.CustomerId, recoveryCase.AppointmentId);
            return new CaseOutcome.Done("First contact recorded.");
        }, ct);
    }

    public Task<CaseOutcome> SaveChecklistAsync(int number, uint shownVersion, HeardSteps steps, CancellationToken ct) =>
        ChangeAsync(number, shownVersion, recoveryCase =>
        {
            if (recoveryCase.Status == CaseStatus.Resolved) return ResolvedRefusal;
            if (recoveryCase.Heard == steps) return new CaseOutcome.Done("The checklist was not changed.");
            recoveryCase.Heard = steps;
            audit.Record(AuditActions.CaseChecklist, $"HEARD steps on case {recoveryCase.Number}: {Describe(steps)}", recoveryCase.CustomerId, recoveryCase.AppointmentId);
            return new CaseOutcome.Done("Checklist saved.");
        }, ct);

    public async Task<CaseOutcome> ReassignAsync(int number, uint shownVersion, string? ownerId, CancellationToken ct)
    {
        var owner = (await ManagersAsync(ct)).FirstOrDefault(m => m.Id == ownerId);
        if (owner is null) return new CaseOutcome.Invalid("ownerId", "Choose a manager from the list.");
        return await ChangeAsync(number, shownVersion, recoveryCase =>
        {
            if (recoveryCase.Status == CaseStatus.Resolved) return ResolvedRefusal;
            if (recoveryCase.OwnerId == owner.Id) return new CaseOutcome.Done($"{owner.Name} already owns this case.");
            recoveryCase.OwnerId = owner.Id;
            audit.Record(AuditActions.CaseReassigned, $"Gave case {recoveryCase.Number} to {owner.Name}", recoveryCase.CustomerId, recoveryCase.AppointmentId);
            return new CaseOutcome.Done($"The case now belongs to {owner.Name}.");
        }, ct);
    }

    /// <summary>Notes only add: they are taken under the row lock but need no version check, since they overwrite nothing.</summary>
    public Task<CaseOutcome> AddNoteAsync(int number, string? text, CancellationToken ct)
    {
        if (TextProblem(text, required: true) is { } problem) return Task.FromResult<CaseOutcome>(new CaseOutcome.Invalid("noteText", problem));
        return ChangeAsync(number, shownVersion: null, recoveryCase =>
        {
            AddNote(recoveryCase, text!.Trim());
            audit.Record(AuditActions.CaseNoteAdded, $"Added a note to case {recoveryCase.Number}", recoveryCase.CustomerId, recoveryCase.AppointmentId);
            return new CaseOutcome.Done("Note added.");
        }, ct);
    }

    public Task<CaseOutcome> ResolveAsync(int number, uint shownVersion, string? rootCause, string? outcome, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(rootCause) || !Enum.TryParse<RootCause>(rootCause, ignoreCase: false, out var cause) || !Enum.IsDefined(cause))
            return Task.FromResult<CaseOutcome>(new CaseOutcome.Invalid("rootCause", "Choose the root cause."));
        if (TextProblem(outcome, required: true) is { } problem)
            return Task.FromResult<CaseOutcome>(new CaseOutcome.Invalid("outcome", string.IsNullOrWhiteSpace(outcome) ? "Write the outcome of the contact." : problem));
        return ChangeAsync(number, shownVersion, recoveryCase =>
        {
            if (recoveryCase.Status == CaseStatus.Resolved) return ResolvedRefusal;
            var (staffId, _) = audit.CurrentStaff();
            recoveryCase.Status = CaseStatus.Resolved;
            recoveryCase.ResolvedAt = clock.GetUtcNow();
            recoveryCase.ResolvedById = staffId;
            recoveryCase.RootCause = cause;
            recoveryCase.Outcome = outcome!.Trim();
            audit.Record(AuditActions.CaseResolved, $"Resolved case {recoveryCase.Number}: {RootCauses.Label(cause)}", recoveryCase.CustomerId, recoveryCase.AppointmentId);
            return new CaseOutcome.Done("Case resolved.");
        }, ct);
    }

    /// <summary>Who can own a case: active managers and admins, by name.</summary>
    public async Task<IReadOnlyList<CaseRecipient>> ManagersAsync(CancellationToken ct) =>
        await db.EnabledManagersAndAdmins()
            .OrderBy(u => u.DisplayName)
            .Select(u => new CaseRecipient(u.Id, u.Email ?? "", u.DisplayName)).ToListAsync(ct);

    public static string Describe(HeardSteps steps) =>
        steps == HeardSteps.None ? "none yet"
            : string.Join(", ", Enum.GetValues<HeardSteps>().Where(s => s != HeardSteps.None && steps.HasFlag(s)).Select(s => s.ToString().ToLowerInvariant()));

    private static readonly CaseOutcome ResolvedRefusal = new CaseOutcome.Refused("This case is resolved; only notes can be added.");

    private async Task<CaseOutcome> ChangeAsync(int number, uint? shownVersion, Func<RecoveryCase, CaseOutcome> change, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var recoveryCase = await db.RecoveryCases
            .FromSql($"SELECT *, xmin FROM cx.recovery_cases WHERE number = {number} FOR UPDATE")
            .SingleOrDefaultAsync(ct);
        if (recoveryCase is null) return new CaseOutcome.NotFound();
        if (shownVersion is { } shown && shown != recoveryCase.Version) return new CaseOutcome.Changed();
        var outcome = change(recoveryCase);
        if (outcome is not CaseOutcome.Done) return outcome;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return outcome;
    }

    private void AddNote(RecoveryCase recoveryCase, string text)
    {
        var (staffId, staffName) = audit.CurrentStaff();
        db.CaseNotes.Add(new CaseNote
        {
            Id = Guid.CreateVersion7(), CaseId = recoveryCase.Id, Text = text, At = clock.GetUtcNow(), AuthorId = staffId, AuthorName = staffName,
        });
    }

    private static string? TextProblem(string? text, bool required)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return required ? "Write the note first." : null;
        if (trimmed.Length > MaxText) return $"Please keep it under {MaxText} characters.";
        if (trimmed.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t'))) return "The text cannot contain control characters.";
        return null;
    }
}
