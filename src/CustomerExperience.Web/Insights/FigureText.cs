using System.Globalization;

namespace CustomerExperience.Web.Insights;

/// <summary>How figures read, on the dashboard and in the weekly digest alike.</summary>
public static class FigureText
{
    public static string Day(DateOnly day) => day.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Percent(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–";

    public static string Score(double? value) => value is { } v ? v.ToString("+0;−0;0", CultureInfo.InvariantCulture) : "–";

    /// <summary>The change against the period before, in points: arrow and the words a screen reader says.</summary>
    public static (string Arrow, string Css, string Words) Change(Figure now, Figure before, bool lowerIsBetter = false, string unit = "points")
    {
        if (now.Value is not { } a || before.Value is not { } b) return ("", "", "no figure for the period before");
        var delta = a - b;
        var shown = Math.Abs(delta).ToString("0.0", CultureInfo.InvariantCulture);
        if (Math.Abs(delta) < 0.05) return ("→", "same", "unchanged from the period before");
        var better = delta > 0 != lowerIsBetter;
        return (delta > 0 ? "▲" : "▼", better ? "better" : "worse", $"{(delta > 0 ? "up" : "down")} {shown} {unit} from the period before");
    }
}
