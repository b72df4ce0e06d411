using System.Text;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace CustomerExperience.Web.Messaging.Calendar;

public enum CalendarMethod { Request, Cancel }

/// <summary>One event for one recipient (RFC 5545 / RFC 5546 iTIP). Times are written in UTC, so no VTIMEZONE is needed.</summary>
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
    TimeSpan? AlarmBefore)
{
    public const string ProductId = "-//CustomerExperience//Booking 1.0//EN";
    private const int MaxOctets = 75;

    /// <summary>The invite as an iCalendar document: CRLF line ends, folded at 75 octets.</summary>
    public string ToIcs()
    {
        var cancel = Method == CalendarMethod.Cancel;
        var visit = new CalendarEvent
        {
            Uid = Uid,
            Sequence = Sequence,
            Status = cancel ? "CANCELLED" : "CONFIRMED",
            DtStamp = Utc(Stamp),
            DtStart = Utc(Start),
            DtEnd = Utc(End),
            Summary = Text(Summary),
            Location = Text(Location),
            Description = Text(Description),
            Organizer = new Organizer { Value = Mailto(OrganizerEmail), CommonName = Parameter(OrganizerName) },
            Transparency = "OPAQUE",
            Class = "PRIVATE",
        };
        visit.Attendees.Add(new Attendee(Mailto(AttendeeEmail))
        {
            CommonName = Parameter(AttendeeName),
            Type = "INDIVIDUAL",
            Role = "REQ-PARTICIPANT",
            ParticipationStatus = "NEEDS-ACTION",
            Rsvp = true,
        });
        if (!cancel && AlarmBefore is { } before)
            visit.Alarms.Add(new Alarm
            {
                Action = "DISPLAY",
                Description = Text(Summary),
                Trigger = new Trigger(-Duration.FromMinutes((int)before.TotalMinutes)),
            });

        var calendar = new Ical.Net.Calendar { ProductId = ProductId, Method = cancel ? "CANCEL" : "REQUEST", Scale = "GREGORIAN" };
        calendar.Events.Add(visit);
        return Refold(new CalendarSerializer().SerializeToString(calendar)!);
    }

    private static CalDateTime Utc(DateTimeOffset instant) => new(instant.UtcDateTime, CalDateTime.UtcTzId);

    // Ical.Net escapes TEXT values (\ ; , and line breaks) but passes other control characters through, and
    // writes parameter values (CN) and addresses as given: a line break there would start a new property.
    private static string Text(string value) => new(value.Where(c => c is '\r' or '\n' || !char.IsControl(c)).ToArray());

    private static string Parameter(string value) => new(value.Where(c => c != '"' && !char.IsControl(c)).ToArray());

    private static string Address(string value) => new(value.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).ToArray());

    // Uri's own parser, not Ical.Net's string constructors: those reject quoted local parts and drop bad values silently.
    private static Uri Mailto(string email) => new("mailto:" + Address(email));

    /// <summary>
    /// Ical.Net 5.2.4 folds at 75 octets counting each UTF-16 unit on its own, so it can fold between the two
    /// halves of a surrogate pair (an emoji), which then no longer encode as UTF-8. Its folds are undone and the
    /// lines folded again, never inside a character. The cleaning above leaves no other CRLF in a content line.
    /// </summary>
    private static string Refold(string ics)
    {
        var output = new StringBuilder(ics.Length + 64);
        foreach (var line in ics.Replace("\r\n ", "").Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
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
        return output.ToString();
    }
}
