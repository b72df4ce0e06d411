namespace CustomerExperience.Web.Domain;

/// <summary>What a goal measures. Every metric is a percentage except <see cref="Nps"/> (−100 … 100).</summary>
public enum GoalMetric { QuestionTopBox, OverallTopBox, Nps, ResponseRate, Retention, RecallConversion, NextVisitBooked, NoShowRate }

/// <summary>
/// A target set by a manager or admin: for the whole organisation (no location, no staff member), one location or
/// one staff member, over a period of local dates (e.g. a quarter). "Explained each step" top-box ≥ 90 % at
/// Riverside this quarter; retention ≥ 80 %; no-show rate ≤ 5 % (the one metric where lower is better).
/// </summary>
public class Goal
{
    public Guid Id { get; set; }
    public GoalMetric Metric { get; set; }
    /// <summary>The question of a <see cref="GoalMetric.QuestionTopBox"/> goal (a stable key such as "explained"); null otherwise.</summary>
    public string? QuestionKey { get; set; }
    public Guid? LocationId { get; set; }
    public string? StaffUserId { get; set; }
    public decimal Target { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedById { get; set; }

    public bool LowerIsBetter => Metric == GoalMetric.NoShowRate;

    public bool InForce(DateOnly today) => From <= today && today <= To;
}
