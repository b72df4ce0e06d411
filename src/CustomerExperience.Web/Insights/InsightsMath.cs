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

    /// <summary>
    /// The calendar months wholly inside <paramref name="from"/>–<paramref name="to"/> (both included), as the first
    /// day of the first and the first day after the last; an empty range (From = To) when there is none.
    /// </summary>
    public static (DateOnly From, DateOnly To) WholeMonths(DateOnly from, DateOnly to)
    {
        var first = from.Day == 1 ? from : new DateOnly(from.Year, from.Month, 1).AddMonths(1);
        var after = new DateOnly(to.Year, to.Month, 1);
        if (to.AddDays(1).Day == 1) after = after.AddMonths(1);
        return first < after ? (first, after) : (from, from);
    }

    /// <summary>
    /// The median of values given with how often each occurs, as percentile_cont(0.5) would give it over the values
    /// themselves (the mean of the two middle ones when there is an even number); null when there are none. A value may
    /// come more than once (counted in several places): its counts add up.
    /// </summary>
    public static double? Median(IEnumerable<(int Value, long Count)> counts)
    {
        var sorted = counts.Where(c => c.Count > 0).GroupBy(c => c.Value)
            .Select(g => (Value: g.Key, Count: g.Sum(c => c.Count))).OrderBy(c => c.Value).ToList();
        var total = sorted.Sum(c => c.Count);
        if (total == 0) return null;
        int? lower = null;
        long seen = 0;
        foreach (var (value, count) in sorted)
        {
            seen += count;
            if (lower is null && seen >= (total + 1) / 2) lower = value;
            if (seen >= total / 2 + 1) return (lower!.Value + value) / 2.0;
        }
        throw new InvalidOperationException("unreachable: the last value covers every position");
    }
}
