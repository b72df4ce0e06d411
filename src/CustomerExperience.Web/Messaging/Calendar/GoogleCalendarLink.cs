using System.Globalization;

namespace CustomerExperience.Web.Messaging.Calendar;

/// <summary>"Add to Google Calendar" link for the manage page.</summary>
public static class GoogleCalendarLink
{
    public static string For(string title, DateTimeOffset start, DateTimeOffset end, string details, string location) =>
        "https://calendar.google.com/calendar/render?action=TEMPLATE"
        + $"&text={Uri.EscapeDataString(title)}"
        + $"&dates={Utc(start)}/{Utc(end)}"
        + $"&details={Uri.EscapeDataString(details)}"
        + $"&location={Uri.EscapeDataString(location)}";

    private static string Utc(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
