using System.Globalization;
using System.Text;

namespace CustomerExperience.Web.Messaging.Calendar;

public enum CalendarMethod { Request, Cancel }

/// <summary>One event for one recipient. Times are written in UTC, so no VTIMEZONE is needed.</summary>
public sealed record CalendarInvite(
    string Uid,
    int Sequence,
    CalendarMethod Method,
    DateTimeOffset Start,
    DateTimeOffset End,
    DateTimeOffset Stamp,
    string Summary,
    string Location,
    string Description,
    string OrganizerName,
    string OrganizerEmail,
    string AttendeeName,
    string AttendeeEmail,
    TimeSpan? AlarmBefore,
    string? Url = null);

/// <summary>
/// RFC 5545 / RFC 5546 (iTIP) writer for invites and cancellations: CRLF line ends, content lines folded at
/// 75 octets without splitting a UTF-8 sequence, TEXT values escaped, parameter values quoted.
/// </summary>
public static class ICalendarWriter
{
    public const string ProductId = "-//CustomerExperience//Booking 1.0//EN";
    private const int MaxOctets = 75;

    public static string Write(CalendarInvite invite)
    {
        var cancel = invite.Method == CalendarMethod.Cancel;
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            $"PRODID:{ProductId}",
            "CALSCALE:GREGORIAN",
            $"METHOD:{(cancel ? "CANCEL" : "REQUEST")}",
            "BEGIN:VEVENT",
            $"UID:{Text(invite.Uid)}",
            $"DTSTAMP:{Utc(invite.Stamp)}",
            $"DTSTART:{Utc(invite.Start)}",
            $"DTEND:{Utc(invite.End)}",
            $"SEQUENCE:{invite.Sequence.ToString(CultureInfo.InvariantCulture)}",
            $"STATUS:{(cancel ? "CANCELLED" : "CONFIRMED")}",
            $"SUMMARY:{Text(invite.Summary)}",
            $"LOCATION:{Text(invite.Location)}",
            $"DESCRIPTION:{Text(invite.Description)}",
            $"ORGANIZER;CN={Parameter(invite.OrganizerName)}:mailto:{Address(invite.OrganizerEmail)}",
            $"ATTENDEE;CN={Parameter(invite.AttendeeName)};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{Address(invite.AttendeeEmail)}",
            "TRANSP:OPAQUE",
            "CLASS:PRIVATE",
        };
        if (invite.Url is not null)
            lines.Add($"URL:{Address(invite.Url)}");
        if (!cancel && invite.AlarmBefore is { } before)
        {
            lines.Add("BEGIN:VALARM");
            lines.Add("ACTION:DISPLAY");
            lines.Add($"TRIGGER:-PT{(int)before.TotalMinutes}M");
            lines.Add($"DESCRIPTION:{Text(invite.Summary)}");
            lines.Add("END:VALARM");
        }
        lines.Add("END:VEVENT");
        lines.Add("END:VCALENDAR");

        var ics = new StringBuilder();
        foreach (var line in lines)
            Fold(ics, line);
        return ics.ToString();
    }

    public static string Utc(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline; other controls dropped.</summary>
    public static string Text(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value.Replace("\r\n", "\n").Replace('\r', '\n'))
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case ';': text.Append(@"\;"); break;
                case ',': text.Append(@"\,"); break;
                case '\n': text.Append(@"\n"); break;
                default:
                    if (!char.IsControl(c)) text.Append(c);
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>A parameter value: always quoted; DQUOTE and controls cannot be represented and are dropped.</summary>
    public static string Parameter(string value) =>
        "\"" + new string(value.Where(c => c != '"' && !char.IsControl(c)).ToArray()) + "\"";

    private static string Address(string value) => new(value.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).ToArray());

    /// <summary>Appends a content line folded at 75 octets; a fold never splits a UTF-8 sequence or a surrogate pair.</summary>
    public static void Fold(StringBuilder output, string line)
    {
        var octets = 0;
        var limit = MaxOctets;
        for (var i = 0; i < line.Length; i++)
        {
            var length = char.IsHighSurrogate(line[i]) && i + 1 < line.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(line.AsSpan(i, length));
            if (octets + size > limit)
            {
                output.Append("\r\n ");
                octets = 0;
                limit = MaxOctets - 1; // the leading space of a continuation line counts
            }
            output.Append(line, i, length);
            octets += size;
            i += length - 1;
        }
        output.Append("\r\n");
    }
}

/// <summary>"Add to Google Calendar" link for the manage page.</summary>
public static class GoogleCalendarLink
{
    public static string For(string title, DateTimeOffset start, DateTimeOffset end, string details, string location) =>
        "https://calendar.google.com/calendar/render?action=TEMPLATE"
        + $"&text={Uri.EscapeDataString(title)}"
        + $"&dates={ICalendarWriter.Utc(start)}/{ICalendarWriter.Utc(end)}"
        + $"&details={Uri.EscapeDataString(details)}"
        + $"&location={Uri.EscapeDataString(location)}";
}
