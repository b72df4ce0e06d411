namespace CustomerExperience.Web.Domain;

public enum CaseStatus { Open, Contacted, Resolved }

public enum CaseSource { Survey, Complaint }

public enum RootCause { WaitTime, Communication, Scheduling, Billing, Facility, StaffCourtesy, Clinical, Other }

/// <summary>The HEARD service-recovery steps, ticked on the case as they are done.</summary>
[Flags]
public enum HeardSteps { None = 0, Hear = 1, Empathise = 2, Apologise = 4, Resolve = 8, Diagnose = 16 }

/// <summary>
/// How <see cref="HeardSteps"/> is stored: the initials of the steps done, in order ("HEA" for hear, empathise,
/// apologise). The flags' names written out ("Hear, Empathise, Apologise, Resolve, Diagnose") overflow the 32 characters
/// every enum column has.
/// </summary>
public static class HeardStepsText
{
    private static readonly (HeardSteps Step, char Letter)[] Letters =
        [(HeardSteps.Hear, 'H'), (HeardSteps.Empathise, 'E'), (HeardSteps.Apologise, 'A'), (HeardSteps.Resolve, 'R'), (HeardSteps.Diagnose, 'D')];

    public static string ToText(HeardSteps steps) => new([.. Letters.Where(l => steps.HasFlag(l.Step)).Select(l => l.Letter)]);

    public static HeardSteps Parse(string text) =>
        Letters.Where(l => text.Contains(l.Letter)).Aggregate(HeardSteps.None, (steps, l) => steps | l.Step);
}

/// <summary>
/// A follow-up for an unhappy customer: opened once per survey response that needs one, or by staff logging a
/// complaint. Anonymous kiosk responses open one too (no customer), for the quality review.
/// </summary>
public class RecoveryCase
{
    public Guid Id { get; set; }
    /// <summary>What people say on the phone: "case 1042".</summary>
    public int Number { get; private set; }
    public CaseSource Source { get; set; }
    public Guid? ResponseId { get; set; }
    public SurveyResponse? Response { get; set; }
    public Guid LocationId { get; set; }
    public Location? Location { get; set; }
    public Guid? CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public Guid? AppointmentId { get; set; }
    public Appointment? Appointment { get; set; }
    /// <summary>Why it opened, e.g. "The wait: Very poor · Recommend: 3 · asked to be contacted".</summary>
    public required string Summary { get; set; }
    public string? Comment { get; set; }
    /// <summary>The comment mentions pain, injury, results or a clinical concern: route to quality.</summary>
    public bool Clinical { get; set; }
    public string? OwnerId { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public string? OpenedById { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public CaseStatus Status { get; set; } = CaseStatus.Open;
    public HeardSteps Heard { get; set; }
    public DateTimeOffset? FirstContactAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedById { get; set; }
    public RootCause? RootCause { get; set; }
    public string? Outcome { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }
    public List<CaseNote> Notes { get; set; } = [];
    /// <summary>Postgres <c>xmin</c>: two managers saving the same case get "changed meanwhile", not an overwrite.</summary>
    public uint Version { get; private set; }
}

public class CaseNote
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset At { get; set; }
    public required string AuthorId { get; set; }
    public required string AuthorName { get; set; }
}
