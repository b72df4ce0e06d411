using CustomerExperience.Web.Domain;

namespace CustomerExperience.Web.Surveys;

/// <summary>The seven questions a new clinic starts with (survey version 1), and the labels of the 5-point scale.</summary>
public static class SurveyDefaults
{
    public const int MaxCommentLength = 2000;

    public static readonly (string Key, string Text, SurveyScale Scale)[] Questions =
    [
        ("booking", "How easy was it to book your visit?", SurveyScale.Labelled5),
        ("reminders", "How helpful were our reminders and directions?", SurveyScale.Labelled5),
        ("welcome", "How were you welcomed when you arrived?", SurveyScale.Labelled5),
        ("wait", "How was the wait, and how well was it explained?", SurveyScale.Labelled5),
        ("explained", "How well did our staff explain each step?", SurveyScale.Labelled5),
        ("comfort", "How well were your comfort, privacy and dignity respected?", SurveyScale.Labelled5),
        ("recommend", "How likely are you to recommend us to a friend or family member?", SurveyScale.Recommend10),
    ];

    /// <summary>Labels of scores 1 to 5 (index 0 is score 1).</summary>
    public static readonly string[] Labels = ["Very poor", "Poor", "Fair", "Good", "Very good"];

    public static string Label(SurveyQuestion question, int score) =>
        question.Scale == SurveyScale.Labelled5 && score is >= 1 and <= 5 ? Labels[score - 1] : score.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
