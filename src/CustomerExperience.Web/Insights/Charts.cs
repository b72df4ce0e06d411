using System.Globalization;
using Microsoft.AspNetCore.Html;
using CustomerExperience.Web.Domain;

namespace CustomerExperience.Web.Insights;

/// <summary>
/// Geometry of the dashboard's charts, drawn as server-side SVG by the page: no JavaScript to run or download, no
/// CDN (the CSP allows only the app's own scripts), a screen reader gets the title, description and the data table
/// beside each chart, and the charts print and screenshot exactly as shown. Coordinates are in viewBox units.
/// </summary>
public static class Charts
{
    public const int Width = 720;
    public const int Height = 280;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string N(double value) => value.ToString("0.#", Invariant);

    /// <summary>An SVG <c>&lt;text&gt;</c> label (Razor reserves that tag name for itself); the label is encoded.</summary>
    public static IHtmlContent Label(double x, double y, string anchor, string label) => new HtmlContentBuilder()
        .AppendHtml($"<text class=\"axis-label\" x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\">")
        .Append(label)
        .AppendHtml("</text>");

    public sealed record Tick(double Position, string Label, string Anchor = "middle");

    public sealed record Point(double X, double Y, bool TooFew, string Label);

    public sealed record Trend(
        IReadOnlyList<string> Bands, IReadOnlyList<string> Lines, IReadOnlyList<Point> Points, IReadOnlyList<Tick> YTicks,
        IReadOnlyList<Tick> XTicks, double Left, double Right, double Top, double Bottom);

    public static Trend TrendChart(IReadOnlyList<TrendWeek> weeks)
    {
        const double left = 48, right = Width - 16, top = 14, bottom = Height - 44;
        var lows = weeks.Select(w => w.Value.Low ?? w.Value.Value).OfType<double>().ToList();
        // The scale starts at the nearest ten below the lowest bound: top-box figures live high up, and a 0–100
        // scale would flatten every change that matters.
        var yMin = lows.Count == 0 ? 0 : Math.Max(0, Math.Floor(lows.Min() / 10) * 10 - 10);
        double Y(double value) => bottom - (value - yMin) / (100 - yMin) * (bottom - top);
        double X(int i) => weeks.Count == 1 ? (left + right) / 2 : left + i * (right - left) / (weeks.Count - 1);

        var bands = new List<string>();
        var lines = new List<string>();
        var points = new List<Point>();
        var segment = new List<int>();
        void Flush()
        {
            if (segment.Count == 0) return;
            var upper = segment.Select(i => $"{N(X(i))},{N(Y(weeks[i].Value.High ?? weeks[i].Value.Value!.Value))}");
            var lower = segment.AsEnumerable().Reverse().Select(i => $"{N(X(i))},{N(Y(weeks[i].Value.Low ?? weeks[i].Value.Value!.Value))}");
            bands.Add(string.Join(' ', upper.Concat(lower)));
            lines.Add("M" + string.Join(" L", segment.Select(i => $"{N(X(i))},{N(Y(weeks[i].Value.Value!.Value))}")));
            segment.Clear();
        }
        for (var i = 0; i < weeks.Count; i++)
        {
            if (weeks[i].Value.Value is not { } value) { Flush(); continue; }
            segment.Add(i);
            points.Add(new Point(X(i), Y(value), weeks[i].Value.TooFew,
                $"Week of {weeks[i].WeekStart.ToString("d MMM yyyy", Invariant)}: {N(value)} % from {weeks[i].Responses} responses"));
        }
        Flush();

        var step = 100 - yMin > 50 ? 20 : 10;
        var yTicks = new List<Tick>();
        for (var v = yMin; v <= 100; v += step) yTicks.Add(new Tick(Y(v), $"{N(v)} %"));
        var every = weeks.Count <= 13 ? 2 : 8;
        var xTicks = Enumerable.Range(0, weeks.Count).Where(i => (weeks.Count - 1 - i) % every == 0)
            // The outermost labels align inwards so they stay inside the chart.
            .Select(i => new Tick(X(i), weeks[i].WeekStart.ToString("d MMM", Invariant), i == 0 ? "start" : i == weeks.Count - 1 ? "end" : "middle")).ToList();
        return new Trend(bands, lines, points, yTicks, xTicks, left, right, top, bottom);
    }

    public sealed record Bar(string Label, int Count, double X, double Y, double BarWidth, double BarHeight, double CumulativePercent, double CumulativeY);

    public sealed record Pareto(IReadOnlyList<Bar> Bars, string CumulativeLine, IReadOnlyList<Tick> CountTicks, IReadOnlyList<Tick> PercentTicks,
        double Left, double Right, double Top, double Bottom);

    public static string CauseLabel(RootCause cause) => cause switch
    {
        RootCause.WaitTime => "Wait time",
        RootCause.StaffCourtesy => "Courtesy",
        _ => cause.ToString(),
    };

    /// <summary>Root causes, most frequent first, with the cumulative share: the few causes behind most cases stand out.</summary>
    public static Pareto ParetoChart(IEnumerable<RootCauseMonth> months)
    {
        const double left = 44, right = Width - 52, top = 14, bottom = Height - 44;
        var totals = months.GroupBy(m => m.Cause).Select(g => (Cause: g.Key, Count: g.Sum(m => m.Cases)))
            .Where(t => t.Count > 0).OrderByDescending(t => t.Count).ThenBy(t => t.Cause).ToList();
        var all = Math.Max(1, totals.Sum(t => t.Count));
        var max = Math.Max(1, totals.Count == 0 ? 1 : totals[0].Count);
        var slot = (right - left) / Math.Max(1, totals.Count);
        var cumulative = 0;
        var bars = totals.Select((t, i) =>
        {
            cumulative += t.Count;
            var height = (double)t.Count / max * (bottom - top);
            var percent = 100.0 * cumulative / all;
            return new Bar(CauseLabel(t.Cause), t.Count, left + i * slot + slot * 0.15, bottom - height, slot * 0.7, height,
                percent, bottom - percent / 100 * (bottom - top));
        }).ToList();
        var line = bars.Count == 0 ? "" : "M" + string.Join(" L", bars.Select(b => $"{N(b.X + b.BarWidth / 2)},{N(b.CumulativeY)}"));
        var countStep = Math.Max(1, (int)Math.Ceiling(max / 4.0));
        var countTicks = new List<Tick>();
        for (var c = 0; c <= max; c += countStep) countTicks.Add(new Tick(bottom - (double)c / max * (bottom - top), c.ToString(Invariant)));
        var percentTicks = new[] { 0, 25, 50, 75, 100 }.Select(p => new Tick(bottom - p / 100.0 * (bottom - top), $"{p} %")).ToList();
        return new Pareto(bars, line, countTicks, percentTicks, left, right, top, bottom);
    }
}
