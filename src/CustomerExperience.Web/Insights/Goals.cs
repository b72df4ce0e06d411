using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Insights;

/// <summary>A goal with where it stands: the metric over the goal's period so far, for its scope.</summary>
public sealed record GoalProgress(Goal Goal, string Scope, string Metric, Figure Actual, DateOnly MeasuredTo)
{
    public bool? Met => Actual.Value is not { } value || Actual.TooFew ? null
        : Goal.LowerIsBetter ? value <= (double)Goal.Target : value >= (double)Goal.Target;
}

public class Goals(AppDbContext db, InsightsQueries queries)
{
    public static string MetricName(GoalMetric metric, string? questionText = null) => metric switch
    {
        GoalMetric.QuestionTopBox => $"Top-box: {questionText ?? "a question"}",
        GoalMetric.OverallTopBox => "Overall top-box",
        GoalMetric.Nps => "NPS",
        GoalMetric.ResponseRate => "Response rate",
        GoalMetric.Retention => "Retention",
        GoalMetric.RecallConversion => "Recall conversion",
        GoalMetric.NextVisitBooked => "Next visit booked before leaving",
        GoalMetric.NoShowRate => "No-show rate",
        _ => metric.ToString(),
    };

    /// <summary>The goals in force on <paramref name="today"/>, each measured from its start to today (or its end).</summary>
    public async Task<IReadOnlyList<GoalProgress>> InForceAsync(DateOnly today, CancellationToken ct)
    {
        var goals = await db.Goals.AsNoTracking().Where(g => g.From <= today && g.To >= today)
            .OrderBy(g => g.Metric).ThenBy(g => g.From).ToListAsync(ct);
        return await ProgressAsync(goals, today, ct);
    }

    public async Task<IReadOnlyList<GoalProgress>> ProgressAsync(IReadOnlyList<Goal> goals, DateOnly today, CancellationToken ct)
    {
        var questions = (await queries.CurrentQuestionsAsync(ct)).ToDictionary(q => q.Key, q => q.Text);
        var locations = await db.Locations.AsNoTracking().ToDictionaryAsync(l => l.Id, l => l.Name, ct);
        var staffIds = goals.Select(g => g.StaffUserId).OfType<string>().ToList();
        var staff = await db.Users.AsNoTracking().Where(u => staffIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var progress = new List<GoalProgress>();
        foreach (var goal in goals)
        {
            var to = goal.To < today ? goal.To : today;
            var filter = new InsightsFilter(goal.From, to < goal.From ? goal.From : to, goal.LocationId, StaffId: goal.StaffUserId);
            var scope = goal.LocationId is { } l ? locations.GetValueOrDefault(l, "(removed location)")
                : goal.StaffUserId is { } s ? staff.GetValueOrDefault(s, "(removed account)") : "Organisation";
            progress.Add(new GoalProgress(goal, scope, MetricName(goal.Metric, goal.QuestionKey is null ? null : questions.GetValueOrDefault(goal.QuestionKey, goal.QuestionKey)),
                await MeasureAsync(goal, filter, ct), filter.To));
        }
        return progress;
    }

    private async Task<Figure> MeasureAsync(Goal goal, InsightsFilter filter, CancellationToken ct)
    {
        switch (goal.Metric)
        {
            case GoalMetric.QuestionTopBox or GoalMetric.OverallTopBox or GoalMetric.Nps or GoalMetric.ResponseRate:
                var satisfaction = await queries.SatisfactionAsync(filter, ct);
                return goal.Metric switch
                {
                    GoalMetric.QuestionTopBox => satisfaction.Questions.FirstOrDefault(q => q.Key == goal.QuestionKey)?.TopBoxPercent ?? new Figure(null, 0, true),
                    GoalMetric.OverallTopBox => satisfaction.OverallTopBox,
                    GoalMetric.Nps => satisfaction.Nps,
                    _ => satisfaction.ResponseRate,
                };
            default:
                var loyalty = await queries.LoyaltyAsync(filter, ct);
                return goal.Metric switch
                {
                    GoalMetric.Retention => loyalty.Retention,
                    GoalMetric.RecallConversion => loyalty.RecallConversion,
                    GoalMetric.NextVisitBooked => loyalty.NextVisitBooked,
                    _ => loyalty.NoShowRate,
                };
        }
    }
}
