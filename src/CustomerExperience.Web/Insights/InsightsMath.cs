using CustomerExperience.Web.Domain;

namespace CustomerExperience.Web.Insights;

/// <summary>
/// The arithmetic of the figures, as pure functions over counts (the counting itself happens in SQL). Same rules as
/// the survey's scoring: the top box is 5 on the labelled scale and 9–10 on the recommend question; a skip is no answer.
/// </summary>
public static class InsightsMath
{
    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    public static bool IsTopBox(SurveyScale scale, int score) => scale == SurveyScale.Recommend10 ? score >= 9 : score == 5;

    public static bool IsDetractor(SurveyScale scale, int score) => scale == SurveyScale.Recommend10 && score <= 6;

    /// <summary>Answers in the best box ÷ answers, in percent; null with no answers.</summary>
    public static double? TopBoxPercent(int topBox, int answers) => Percent(topBox, answers);

    /// <summary>% promoters (9–10) − % detractors (0–6), from −100 to 100; null with no answers.</summary>
    public static double? Nps(int promoters, int detractors, int answers) =>
        answers == 0 ? null : 100.0 * (promoters - detractors) / answers;

    /// <summary>The mean of the questions' top-box percentages, over the questions that have answers.</summary>
    public static double? OverallTopBox(IEnumerable<double?> questionTopBoxes)
    {
        var values = questionTopBoxes.OfType<double>().ToList();
        return values.Count == 0 ? null : values.Average();
    }

    public static double? Percent(int part, int whole) => whole == 0 ? null : 100.0 * part / whole;

    /// <summary>
    /// The Wilson score interval of a proportion <paramref name="successes"/>/<paramref name="n"/>, as fractions 0–1.
    /// Unlike p ± z·√(p(1−p)/n) it stays inside 0–1 and is honest at small n and at 0 % or 100 %.
    /// </summary>
    public static (double Low, double High)? Wilson(int successes, int n, double z = Z95)
    {
        if (n <= 0 || successes < 0 || successes > n) return null;
        var p = (double)successes / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// A band for the overall top-box (a mean of proportions): the mean of the questions' Wilson bounds. Answers of one
    /// response move together, so the band of the mean is at most this wide: it errs on the side of caution.
    /// </summary>
    public static (double Low, double High)? MeanWilson(IEnumerable<(int TopBox, int Answers)> questions)
    {
        var bounds = questions.Select(q => Wilson(q.TopBox, q.Answers)).OfType<(double Low, double High)>().ToList();
        return bounds.Count == 0 ? null : (bounds.Average(b => b.Low), bounds.Average(b => b.High));
    }

    /// <summary>Monday of the ISO week of <paramref name="day"/>.</summary>
    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
