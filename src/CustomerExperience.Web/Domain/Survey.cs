namespace CustomerExperience.Web.Domain;

public enum SurveyChannel { Kiosk, Email }

/// <summary>How a question is answered: a labelled 1–5 scale (Very poor … Very good), or 0–10 likelihood to recommend.</summary>
public enum SurveyScale { Labelled5, Recommend10 }

/// <summary>
/// One version of the survey's questions. A new text is a new version, so every response can be read against the
/// questions its customer saw.
/// </summary>
public class SurveyDefinition
{
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
    public List<SurveyQuestion> Questions { get; set; } = [];
}

public class SurveyQuestion
{
    public int DefinitionVersion { get; set; }
    /// <summary>Stable across versions ("booking", "recommend"), so figures follow a question when its text is edited.</summary>
    public required string Key { get; set; }
    public int Position { get; set; }
    public required string Text { get; set; }
    public SurveyScale Scale { get; set; }

    public int Min => Scale == SurveyScale.Recommend10 ? 0 : 1;
    public int Max => Scale == SurveyScale.Recommend10 ? 10 : 5;
}

/// <summary>
/// A customer's answers, at most one per visit whichever channel. Kiosk responses may be anonymous (no visit); a
/// partial one is what a customer answered before walking away. A skipped question has no <see cref="SurveyAnswer"/>.
/// </summary>
public class SurveyResponse
{
    /// <summary>Made by the client for kiosk responses, so a send retried after a lost network is stored once.</summary>
    public Guid Id { get; set; }
    public int DefinitionVersion { get; set; }
    public SurveyChannel Channel { get; set; }
    public Guid LocationId { get; set; }
    public Guid? AppointmentId { get; set; }
    public Appointment? Appointment { get; set; }
    public Guid? CustomerId { get; set; }
    public Guid? KioskId { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    /// <summary>Seconds from the first screen to submitting; null when unknown.</summary>
    public int? DurationSeconds { get; set; }
    public bool IsPartial { get; set; }
    public string? Comment { get; set; }
    public bool ContactRequested { get; set; }
    public List<SurveyAnswer> Answers { get; set; } = [];
}

public class SurveyAnswer
{
    public Guid ResponseId { get; set; }
    public required string QuestionKey { get; set; }
    public int Score { get; set; }
}

/// <summary>A tablet by the exit, enrolled by a manager; its cookie carries a secret whose hash is kept here.</summary>
public class Kiosk
{
    public Guid Id { get; set; }
    public Guid LocationId { get; set; }
    public Location? Location { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset EnrolledAt { get; set; }
    public required string EnrolledById { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedById { get; set; }
}
