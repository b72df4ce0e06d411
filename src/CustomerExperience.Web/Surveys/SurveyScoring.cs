using CustomerExperience.Web.Domain;

namespace CustomerExperience.Web.Surveys;

/// <summary>One question's figures: how many answered it, how many in the best box, and that as a percentage (null: no answers).</summary>
public sealed record QuestionScore(string Key, int Answered, int TopBox, double? TopBoxPercent);

/// <summary>Net Promoter Score of the 0–10 question: % promoters (9–10) − % detractors (0–6); null when nobody answered.</summary>
public sealed record NetPromoterScore(int Answered, int Promoters, int Passives, int Detractors, double? Score);

public sealed record SurveyScores(IReadOnlyList<QuestionScore> Questions, double? OverallTopBoxPercent, NetPromoterScore Recommend);

/// <summary>
/// The survey's figures, in one place for every page that shows them. Answers come as (question key, score) pairs,
/// from any number of responses; a skipped question simply has no pair, so skips never count as answers.
/// </summary>
public static class SurveyScoring
{
    /// <summary>The best box: "Very good" (5) on the labelled scale, 9–10 on likelihood to recommend.</summary>
    public static bool IsTopBox(SurveyScale scale, int score) => scale == SurveyScale.Recommend10 ? score >= 9 : score == 5;

    public static bool IsTopBox(SurveyQuestion question, int score) => IsTopBox(question.Scale, score);

    /// <summary>A detractor: 0–6 on likelihood to recommend (the labelled scale has none).</summary>
    public static bool IsDetractor(SurveyScale scale, int score) => scale == SurveyScale.Recommend10 && score <= 6;

    /// <summary>Answers in the best box ÷ answers, in percent; null with no answers.</summary>
    public static double? TopBoxPercent(int topBox, int answers) => Percent(topBox, answers);

    /// <summary>% promoters (9–10) − % detractors (0–6), from −100 to 100; null with no answers.</summary>
    public static double? Nps(int promoters, int detractors, int answers) =>
        answers == 0 ? null : 100.0 * (promoters - detractors) / answers;

    /// <summary>
    /// The mean of the questions' top-box percentages, not of all answers pooled, so every question weighs the same.
    /// A question nobody answered has no percentage and is left out of the mean rather than counted as 0.
    /// </summary>
    public static double? OverallTopBox(IEnumerable<double?> questionTopBoxes)
    {
        var values = questionTopBoxes.OfType<double>().ToList();
        return values.Count == 0 ? null : values.Average();
    }

    public static SurveyScores Score(SurveyDefinition definition, IEnumerable<(string Key, int Score)> answers)
    {
        var byKey = answers.GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.Select(a => a.Score).ToList());
        var questions = definition.Questions.OrderBy(q => q.Position).ToList();

        var scores = questions.Select(q =>
        {
            var given = byKey.GetValueOrDefault(q.Key) ?? [];
            var top = given.Count(s => IsTopBox(q, s));
            return new QuestionScore(q.Key, given.Count, top, Percent(top, given.Count));
        }).ToList();

        var overall = OverallTopBox(scores.Select(s => s.TopBoxPercent));

        var recommend = questions.FirstOrDefault(q => q.Scale == SurveyScale.Recommend10);
        return new SurveyScores(scores, overall, Nps(recommend is null ? [] : byKey.GetValueOrDefault(recommend.Key) ?? []));
    }

    public static NetPromoterScore Nps(IReadOnlyCollection<int> scores)
    {
        var promoters = scores.Count(s => s >= 9);
        var detractors = scores.Count(s => s <= 6);
        return new NetPromoterScore(scores.Count, promoters, scores.Count - promoters - detractors, detractors,
            Nps(promoters, detractors, scores.Count));
    }

    public static double? Percent(int part, int whole) => whole == 0 ? null : 100.0 * part / whole;
}
