using System.Globalization;
using System.Text.RegularExpressions;

namespace CustomerExperience.Web.Setup;

/// <summary>Reminder moments as an admin types them, "7 days, 1 day, 2 hours" or minutes "2880, 120", to minutes before the visit and back.</summary>
public static partial class ReminderOffsets
{
    public const int MaxCount = 5;
    public const int MaxMinutes = 60 * 24 * 60;

    /// <summary>The offsets, longest first; or a problem saying which part was not understood.</summary>
    public static (List<int> Minutes, string? Problem) Parse(string? text)
    {
        var minutes = new List<int>();
        foreach (var part in (text ?? "").Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Part().Match(part);
            if (!match.Success || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                return ([], $"\"{part}\" is not a time before the visit; write e.g. \"7 days, 1 day, 2 hours\" or minutes \"10080, 1440, 120\".");
            var unit = match.Groups["unit"].Value.ToLowerInvariant();
            long total = unit switch
            {
                "" or "m" or "min" or "mins" or "minute" or "minutes" => n,
                "h" or "hr" or "hrs" or "hour" or "hours" => n * 60L,
                "d" or "day" or "days" => n * 1440L,
                _ => n * 10080L,
            };
            if (total is < 1 or > MaxMinutes)
                return ([], $"\"{part}\": a reminder goes between 1 minute and 60 days before the visit.");
            minutes.Add((int)total);
        }
        if (minutes.Distinct().Count() != minutes.Count)
            return ([], "Each reminder time once only.");
        if (minutes.Count > MaxCount)
            return ([], $"At most {MaxCount} reminders.");
        return ([.. minutes.OrderDescending()], null);
    }

    /// <summary>"7 days, 1 day, 2 hours, 90 minutes".</summary>
    public static string Format(IEnumerable<int> minutes) => string.Join(", ", minutes.Select(m =>
        m % 1440 == 0 ? Plural(m / 1440, "day") : m % 60 == 0 ? Plural(m / 60, "hour") : Plural(m, "minute")));

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";

    [GeneratedRegex(@"^(?<n>\d{1,6})\s*(?<unit>|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$", RegexOptions.IgnoreCase)]
    private static partial Regex Part();
}
