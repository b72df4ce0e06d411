namespace CustomerExperience.Web.Insights;

/// <summary>
/// The statistics of the figures, as pure functions over counts (the counting itself happens in SQL; top-box, NPS
/// and the overall figure are <see cref="Surveys.SurveyScoring"/>'s).
/// </summary>
public static class InsightsMath
{
    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

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
