using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Surveys;

namespace CustomerExperience.Tests.Surveys;

/// <summary>Top-box and NPS figures on data sets worked out by hand.</summary>
public class SurveyScoringTests
{
    private static readonly SurveyDefinition Definition = new()
    {
        Version = 1,
        Questions = [.. SurveyDefaults.Questions.Select((q, i) => new SurveyQuestion { Key = q.Key, Text = q.Text, Scale = q.Scale, Position = i + 1 })],
    };

    private static (string, int)[] Response(params (string Key, int Score)[] answers) => answers;

    private static QuestionScore Of(SurveyScores scores, string key) => scores.Questions.Single(q => q.Key == key);

    [Fact]
    public void Top_box_counts_only_the_best_box_over_the_answers_given_and_skips_are_not_answers()
    {
        // Four customers; a missing key is a skipped question.
        var answers = new[]
        {
            Response(("booking", 5), ("reminders", 4), ("welcome", 5), ("wait", 3), ("explained", 5), ("comfort", 5), ("recommend", 10)),
            Response(("booking", 5), ("welcome", 4), ("wait", 1), ("explained", 5), ("recommend", 9)),
            Response(("booking", 3), ("reminders", 5), ("explained", 2), ("comfort", 5), ("recommend", 6)),
            Response(("reminders", 5), ("welcome", 5), ("wait", 5), ("recommend", 8)),
        }.SelectMany(r => r);

        var scores = SurveyScoring.Score(Definition, answers);

        Assert.Equal(["booking", "reminders", "welcome", "wait", "explained", "comfort", "recommend"], scores.Questions.Select(q => q.Key));
        Assert.Equal(new QuestionScore("booking", 3, 2, 200.0 / 3), Of(scores, "booking"));
        Assert.Equal(new QuestionScore("reminders", 3, 2, 200.0 / 3), Of(scores, "reminders")); // 4 is "Good", not the top box
        Assert.Equal(new QuestionScore("welcome", 3, 2, 200.0 / 3), Of(scores, "welcome"));
        Assert.Equal(new QuestionScore("wait", 3, 1, 100.0 / 3), Of(scores, "wait"));
        Assert.Equal(new QuestionScore("explained", 3, 2, 200.0 / 3), Of(scores, "explained"));
        Assert.Equal(new QuestionScore("comfort", 2, 2, 100), Of(scores, "comfort")); // two skips: 2 of 2, not 2 of 4
        Assert.Equal(new QuestionScore("recommend", 4, 2, 50), Of(scores, "recommend")); // 9 and 10 are the top box; 8 is not
        // (66.67 × 4 + 33.33 + 100 + 50) / 7 = 450 / 7
        Assert.Equal(450.0 / 7, scores.OverallTopBoxPercent!.Value, 9);
        // 2 promoters (50 %) − 1 detractor (25 %); the 8 is passive.
        Assert.Equal(new NetPromoterScore(4, 2, 1, 1, 25), scores.Recommend);
    }

    [Fact]
    public void A_question_nobody_answered_has_no_figure_and_is_left_out_of_the_overall_mean()
    {
        var scores = SurveyScoring.Score(Definition, Response(("booking", 5), ("booking", 4)));

        Assert.Equal(new QuestionScore("booking", 2, 1, 50), Of(scores, "booking"));
        Assert.Equal(new QuestionScore("wait", 0, 0, null), Of(scores, "wait"));
        Assert.Equal(50.0, scores.OverallTopBoxPercent); // not 50 / 7
        Assert.Equal(new NetPromoterScore(0, 0, 0, 0, null), scores.Recommend);
    }

    [Fact]
    public void No_answers_at_all_give_no_figures()
    {
        var scores = SurveyScoring.Score(Definition, []);

        Assert.All(scores.Questions, q => Assert.Equal(new QuestionScore(q.Key, 0, 0, null), q));
        Assert.Null(scores.OverallTopBoxPercent);
        Assert.Null(scores.Recommend.Score);
    }

    [Fact]
    public void Answers_to_questions_the_definition_does_not_have_are_ignored()
    {
        var scores = SurveyScoring.Score(Definition, Response(("parking", 1), ("booking", 5)));

        Assert.DoesNotContain(scores.Questions, q => q.Key == "parking");
        Assert.Equal(100.0, scores.OverallTopBoxPercent);
    }

    [Theory]
    [InlineData(new[] { 9, 10, 10 }, 100)] // all promoters
    [InlineData(new[] { 0, 6, 3 }, -100)] // all detractors; 6 is still a detractor
    [InlineData(new[] { 7, 8, 7 }, 0)] // passives only
    [InlineData(new[] { 10, 0 }, 0)]
    [InlineData(new[] { 9, 7, 7, 6 }, 0)] // 25 % − 25 %
    [InlineData(new[] { 10, 10, 10, 5 }, 50)] // 75 % − 25 %
    public void Nps_is_the_share_of_9_and_10_minus_the_share_of_0_to_6(int[] recommend, double expected)
    {
        var scores = SurveyScoring.Score(Definition, recommend.Select(s => ("recommend", s)));

        Assert.Equal(expected, scores.Recommend.Score!.Value, 9);
        Assert.Equal(recommend.Length, scores.Recommend.Answered);
        Assert.Equal(recommend.Length, scores.Recommend.Promoters + scores.Recommend.Passives + scores.Recommend.Detractors);
    }

    [Fact]
    public void Nps_of_nobody_answering_is_no_figure_rather_than_zero()
    {
        Assert.Null(SurveyScoring.Nps([]).Score);
    }
}
