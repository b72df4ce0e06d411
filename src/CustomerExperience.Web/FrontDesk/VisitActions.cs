using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.FrontDesk;

public enum VisitAction { CheckIn, Complete, NoShow }

/// <summary>What came of a front-desk action on a visit.</summary>
public abstract record VisitActionOutcome
{
    public sealed record Done(Appointment Visit, string Message) : VisitActionOutcome;
    public sealed record NotFound : VisitActionOutcome;
    /// <summary>The visit is not in a state (or on a day) where the action makes sense; the message says why.</summary>
    public sealed record Refused(string Message) : VisitActionOutcome;
    /// <summary>The form asked for something impossible (a performer who does not work here); nothing was done.</summary>
    public sealed record Invalid(string Message) : VisitActionOutcome;
    /// <summary>The visit changed after the page was shown; nothing was done.</summary>
    public sealed record Changed(Appointment Current) : VisitActionOutcome
    {
        public string Message => BookingOutcome.ChangedMeanwhile(Current);
    }
}

/// <summary>
/// Check-in, completion and no-show. The visit's row is read locked, inside the transaction that changes it, so two
/// people at the desk pressing the same button (or a cancel and a check-in) get one change and one clear refusal;
/// the audit entry is saved with the change. Check-in records who did it and gives the visit its code; check-in
/// and completion name the performer (the signed-in user unless another is picked).
/// </summary>
public class VisitActions(AppDbContext db, Audit audit, CareTeam careTeam, VisitCodes codes, TimeProvider clock)
{
    /// <param name="shownVersion">The <see cref="Appointment.Version"/> the page showed; when the visit changed since,
    /// nothing happens and the outcome is <see cref="VisitActionOutcome.Changed"/>.</param>
    /// <param name="performerId">Who performs the visit, picked at check-in or completion; null keeps the visit's
    /// performer, or names the signed-in user when it has none. Ignored for a no-show.</param>
    public async Task<VisitActionOutcome> ApplyAsync(Guid visitId, VisitAction action, CancellationToken ct, uint? shownVersion = null,
        string? performerId = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var visit = await LockedAsync(visitId, ct);
        if (visit is null) return new VisitActionOutcome.NotFound();
        if (shownVersion is { } shown && shown != visit.Version) return new VisitActionOutcome.Changed(visit);

        var now = clock.GetUtcNow();
        if (WhyNot(visit, action, now) is { } reason) return new VisitActionOutcome.Refused(reason);
        var signedIn = audit.CurrentStaff().Id;
        var performer = string.IsNullOrEmpty(performerId) ? visit.PerformedById ?? signedIn : performerId;
        if (action != VisitAction.NoShow && await careTeam.WhyNotPerformerAsync(visit, performer, signedIn, ct) is { } invalid)
            return new VisitActionOutcome.Invalid(invalid);

        var name = visit.Customer!.Greeting;
        var when = AppointmentEmails.FormatWhen(visit.Start, visit.Location!);
        var (auditAction, done, message) = action switch
        {
            VisitAction.CheckIn => (AuditActions.VisitCheckedIn, "Checked in", $"Checked in {name}."),
            VisitAction.Complete => (AuditActions.VisitCompleted, "Completed", $"Completed {name}'s visit."),
            _ => (AuditActions.VisitNoShow, "Marked as a no-show", $"Marked {name} as a no-show."),
        };
        switch (action)
        {
            case VisitAction.CheckIn: visit.CheckIn(now, signedIn, performer); break;
            case VisitAction.Complete: visit.Complete(now, performer); break;
            default: visit.MarkNoShow(); break;
        }
        if (action != VisitAction.NoShow)
            await codes.GiveAsync(visit, ct);
        audit.Record(auditAction, $"{done}: {visit.Service!.Name}, {when}, {visit.Resource!.Name}", visit.CustomerId, visit.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new VisitActionOutcome.Done(visit, message);
    }

    /// <summary>Corrects who performed a visit, while it is checked in or on the day it was completed; audited.</summary>
    public async Task<VisitActionOutcome> ChangePerformerAsync(Guid visitId, string? performerId, CancellationToken ct, uint? shownVersion = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var visit = await LockedAsync(visitId, ct);
        if (visit is null) return new VisitActionOutcome.NotFound();
        if (shownVersion is { } shown && shown != visit.Version) return new VisitActionOutcome.Changed(visit);
        if (!PerformerCanChange(visit, clock.GetUtcNow()))
            return new VisitActionOutcome.Refused("The performer can be corrected while the visit is checked in, or on the day it was completed.");
        if (string.IsNullOrEmpty(performerId))
            return new VisitActionOutcome.Invalid("Choose who performed the visit.");
        var signedIn = audit.CurrentStaff().Id;
        if (await careTeam.WhyNotPerformerAsync(visit, performerId, signedIn, ct) is { } invalid)
            return new VisitActionOutcome.Invalid(invalid);
        if (performerId == visit.PerformedById)
            return new VisitActionOutcome.Done(visit, "The performer is unchanged.");

        var names = await careTeam.NamesAsync([performerId, visit.PerformedById], ct);
        var was = visit.PerformedById is { } old ? names.GetValueOrDefault(old, "a removed account") : "nobody";
        visit.AssignPerformer(performerId);
        audit.Record(AuditActions.VisitPerformerChanged, $"Performed by {names[performerId]} (was {was})", visit.CustomerId, visit.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new VisitActionOutcome.Done(visit, $"Performed by {names[performerId]}.");
    }

    /// <summary>The performer can be corrected while the customer is here, and on the day of completion.</summary>
    public static bool PerformerCanChange(Appointment visit, DateTimeOffset now) =>
        visit.Status == AppointmentStatus.CheckedIn
        || (visit.Status == AppointmentStatus.Completed && visit.CompletedAt is { } completed
            && LocalDate(completed, visit.Location!) == LocalDate(now, visit.Location!));

    private Task<Appointment?> LockedAsync(Guid visitId, CancellationToken ct) =>
        db.Appointments
            .FromSql($"SELECT *, xmin FROM cx.appointments WHERE id = {visitId} FOR UPDATE")
            .Include(a => a.Customer).Include(a => a.Service).Include(a => a.Location).Include(a => a.Resource)
            .SingleOrDefaultAsync(ct);

    /// <summary>Null when <paramref name="action"/> is allowed now; otherwise a message for the front desk.</summary>
    public static string? WhyNot(Appointment visit, VisitAction action, DateTimeOffset now)
    {
        var location = visit.Location!;
        var today = LocalDate(now, location);
        var day = LocalDate(visit.Start, location);
        var verb = action switch { VisitAction.CheckIn => "checked in", VisitAction.Complete => "completed", _ => "marked as a no-show" };

        var status = visit.Status switch
        {
            AppointmentStatus.Cancelled => $"This visit was cancelled, so it cannot be {verb}.",
            AppointmentStatus.Completed => "This visit is already completed.",
            AppointmentStatus.NoShow => $"This visit was marked as a no-show, so it cannot be {verb}.",
            AppointmentStatus.CheckedIn when action == VisitAction.CheckIn =>
                $"Already checked in at {AppointmentEmails.ToLocal(visit.CheckedInAt!.Value, location).ToString("h:mm tt", AppointmentEmails.Culture)}.",
            AppointmentStatus.CheckedIn when action == VisitAction.NoShow => "This customer is checked in, so the visit cannot be a no-show.",
            _ => null,
        };
        if (status is not null) return status;

        return action switch
        {
            VisitAction.CheckIn when day != today => $"Only today's visits can be checked in; this one is on {Day(day)}.",
            VisitAction.Complete when day > today => $"This visit is on {Day(day)}; it can be completed on the day.",
            VisitAction.NoShow when now < visit.Start =>
                $"This visit starts at {AppointmentEmails.ToLocal(visit.Start, location).ToString("h:mm tt", AppointmentEmails.Culture)}; mark a no-show only after that.",
            _ => null,
        };
    }

    /// <summary>Which actions the schedule and the visit page offer for a visit now.</summary>
    public static IReadOnlyList<VisitAction> Offered(Appointment visit, DateTimeOffset now) =>
        Enum.GetValues<VisitAction>().Where(action => WhyNot(visit, action, now) is null).ToList();

    private static DateOnly LocalDate(DateTimeOffset instant, Location location) =>
        location.LocalDate(instant);

    private static string Day(DateOnly day) => day.ToString("dddd, MMMM d", AppointmentEmails.Culture);
}
