using CustomerExperience.Web.Surveys;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Insights;

namespace CustomerExperience.Tests.Insights;

public class InsightsMathTests
{
    [Theory]
    // Known values of the 95 % Wilson score interval.
    [InlineData(8, 10, 0.4902, 0.9433)]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(1, 2, 0.0945, 0.9055)]
    [InlineData(50, 100, 0.4038, 0.5962)]
    [InlineData(27, 30, 0.7438, 0.9654)]
    public void Wilson_interval_matches_known_values(int successes, int n, double low, double high)
    {
        var interval = InsightsMath.Wilson(successes, n)!.Value;
        Assert.Equal(low, interval.Low, 4);
        Assert.Equal(high, interval.High, 4);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 5)]
    [InlineData(6, 5)]
    public void Wilson_has_no_interval_without_a_proportion(int successes, int n) => Assert.Null(InsightsMath.Wilson(successes, n));

    [Fact]
    public void Top_box_is_best_box_over_answers_and_nothing_without_answers()
    {
        Assert.Equal(80.0, SurveyScoring.TopBoxPercent(8, 10));
        Assert.Null(SurveyScoring.TopBoxPercent(0, 0));
        Assert.True(SurveyScoring.IsTopBox(SurveyScale.Labelled5, 5));
        Assert.False(SurveyScoring.IsTopBox(SurveyScale.Labelled5, 4));
        Assert.True(SurveyScoring.IsTopBox(SurveyScale.Recommend10, 9));
        Assert.False(SurveyScoring.IsTopBox(SurveyScale.Recommend10, 8));
        Assert.True(SurveyScoring.IsDetractor(SurveyScale.Recommend10, 6));
        Assert.False(SurveyScoring.IsDetractor(SurveyScale.Recommend10, 7));
        Assert.False(SurveyScoring.IsDetractor(SurveyScale.Labelled5, 1));
    }

    [Theory]
    [InlineData(10, 0, 10, 100.0)]
    [InlineData(0, 10, 10, -100.0)]
    [InlineData(0, 0, 10, 0.0)]
    [InlineData(4, 2, 8, 25.0)]
    public void Nps_is_promoters_minus_detractors_in_percent(int promoters, int detractors, int n, double nps) =>
        Assert.Equal(nps, SurveyScoring.Nps(promoters, detractors, n));

    [Fact]
    public void Nps_needs_answers() => Assert.Null(SurveyScoring.Nps(0, 0, 0));

    [Fact]
    public void Overall_top_box_is_the_mean_of_the_questions_that_have_answers()
    {
        Assert.Equal(70.0, SurveyScoring.OverallTopBox([80.0, 60.0, null]));
        Assert.Null(SurveyScoring.OverallTopBox([null, null]));
    }

    [Fact]
    public void Weeks_start_on_monday()
    {
        Assert.Equal(new DateOnly(2026, 6, 29), InsightsMath.WeekStart(new DateOnly(2026, 6, 30)));
        Assert.Equal(new DateOnly(2026, 6, 29), InsightsMath.WeekStart(new DateOnly(2026, 7, 5)));
        Assert.Equal(new DateOnly(2026, 6, 29), InsightsMath.WeekStart(new DateOnly(2026, 6, 29)));
    }

    [Theory]
    // A year from the 2nd: February to December whole, the days of January and January after around them.
    [InlineData("2025-01-02", "2026-01-01", "2025-02-01", "2026-01-01")]
    // Whole months at both ends.
    [InlineData("2026-01-01", "2026-03-31", "2026-01-01", "2026-04-01")]
    [InlineData("2024-02-01", "2024-02-29", "2024-02-01", "2024-03-01")]
    // No whole month: an empty range.
    [InlineData("2026-01-02", "2026-01-31", "2026-01-02", "2026-01-02")]
    [InlineData("2026-01-15", "2026-02-14", "2026-01-15", "2026-01-15")]
    [InlineData("2026-03-01", "2026-03-30", "2026-03-01", "2026-03-01")]
    public void Whole_months_are_the_calendar_months_inside_the_period(string from, string to, string first, string after)
    {
        Assert.Equal((DateOnly.Parse(first), DateOnly.Parse(after)), InsightsMath.WholeMonths(DateOnly.Parse(from), DateOnly.Parse(to)));
    }

    [Fact]
    public void Median_of_counted_values_is_the_median_of_the_values_themselves()
    {
        // 20, 25, 25, 30: the mean of the two middle ones.
        Assert.Equal(25.0, InsightsMath.Median([(30, 1), (20, 1), (25, 2)]));
        // 20, 25, 30, 35 with 30 counted in two places (a month and the days after it): 20, 25, 30, 30, 35.
        Assert.Equal(30.0, InsightsMath.Median([(20, 1), (25, 1), (30, 1), (35, 1), (30, 1)]));
        Assert.Equal(27.5, InsightsMath.Median([(20, 1), (25, 1), (30, 1), (35, 1)]));
        Assert.Equal(7.0, InsightsMath.Median([(7, 1)]));
        // The middle falls between two values only when the count is even: 1 × 10 and 1 × 50.
        Assert.Equal(30.0, InsightsMath.Median([(50, 1), (10, 1)]));
        Assert.Null(InsightsMath.Median([]));
        Assert.Null(InsightsMath.Median([(40, 0)]));
    }
}
