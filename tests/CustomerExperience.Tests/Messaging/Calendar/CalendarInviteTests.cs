using System.Text;
using CustomerExperience.Web.Messaging.Calendar;

namespace CustomerExperience.Tests.Messaging.Calendar;

/// <summary>What Ical.Net writes for our invites, checked line by line (IcalJsParsingTests reads them back with ical.js).</summary>
public class CalendarInviteTests
{
    private const string LongText = "Zoë Ångström — 東京の検診センター 🎗️; bring your card, and \\ your referral.\nSecond line: ñandú, Øresund, Ελληνικά, עברית, 😀😀😀. ";

    public static CalendarInvite Invite(CalendarMethod method = CalendarMethod.Request, int sequence = 0, string description = LongText + LongText + LongText) => new(
        Uid: "01a2075a-0000-7000-8000-000000000001@book.northside.example",
        Sequence: sequence,
        Method: method,
        Start: new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(-5)),
        End: new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.FromHours(-5)),
        Stamp: new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero),
        Summary: "Clinic appointment at Northside Imaging",
        Location: "Riverside Women's Imaging, 12 River Rd, Suite 3; Springfield, NY 10001",
        Description: description,
        OrganizerName: "Northside Imaging",
        OrganizerEmail: "appointments@northside-imaging.example",
        AttendeeName: "Zoë O'Brien-Ångström, Jr.",
        AttendeeEmail: "zoe@example.com",
        AlarmBefore: TimeSpan.FromHours(2));

    private static List<string> PhysicalLines(string ics)
    {
        Assert.EndsWith("\r\n", ics);
        return ics[..^2].Split("\r\n").ToList();
    }

    private static List<string> Unfold(string ics) =>
        ics.Replace("\r\n ", "")[..^2].Split("\r\n").ToList();

    /// <summary>Reads an escaped TEXT value back (RFC 5545 3.3.11).</summary>
    private static string IcalText(string escaped) =>
        escaped.Replace(@"\n", "\n").Replace(@"\,", ",").Replace(@"\;", ";").Replace(@"\\", @"\");

    private static string Value(string ics, string name) =>
        Unfold(ics).First(l => l.StartsWith(name + ":") || l.StartsWith(name + ";"))[(name.Length + 1)..];

    [Fact]
    public void Lines_end_in_crlf_and_no_bare_cr_or_lf_remains()
    {
        var ics = Invite().ToIcs();
        var withoutCrlf = ics.Replace("\r\n", "");
        Assert.DoesNotContain('\r', withoutCrlf);
        Assert.DoesNotContain('\n', withoutCrlf);
    }

    // Each shift moves the folds to other places in the emoji run: some land between the halves of a pair.
    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)]
    public void No_physical_line_exceeds_75_octets_and_no_fold_splits_a_utf8_sequence(int shift)
    {
        var description = new string('x', shift) + LongText + string.Concat(Enumerable.Repeat("😀", 60)) + LongText;
        var ics = Invite(description: description).ToIcs();
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);

        var lines = PhysicalLines(ics);
        Assert.Contains(lines, l => l.StartsWith(' ')); // the long description was folded
        foreach (var line in lines)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            Assert.True(bytes.Length <= 75, $"{bytes.Length} octets: {line}");
            Assert.Equal(line, strict.GetString(bytes)); // each physical line is whole UTF-8 on its own
            Assert.False(line.Length > 0 && char.IsLowSurrogate(line[line.StartsWith(' ') ? 1 : 0]), "a fold split a surrogate pair");
        }
        Assert.Equal(description, IcalText(Value(ics, "DESCRIPTION")));
    }

    [Fact]
    public void Unfolding_restores_the_escaped_text_exactly()
    {
        var description = LongText + LongText + LongText;
        var ics = Invite(description: description).ToIcs();

        var escaped = Value(ics, "DESCRIPTION");
        Assert.Equal(description, IcalText(escaped));
        Assert.Contains(@"\; bring your card\, and \\ your referral.\nSecond", escaped);
    }

    [Fact]
    public void Times_are_utc_and_the_event_carries_the_required_properties()
    {
        var ics = Invite(sequence: 3).ToIcs();

        Assert.Equal("20261201T140000Z", Value(ics, "DTSTART"));
        Assert.Equal("20261201T143000Z", Value(ics, "DTEND"));
        Assert.Equal("20261123T100000Z", Value(ics, "DTSTAMP"));
        Assert.Equal("REQUEST", Value(ics, "METHOD"));
        Assert.Equal("2.0", Value(ics, "VERSION"));
        Assert.Equal(CalendarInvite.ProductId, Value(ics, "PRODID"));
        Assert.Equal("3", Value(ics, "SEQUENCE"));
        Assert.Equal("CONFIRMED", Value(ics, "STATUS"));
        Assert.Equal(@"Riverside Women's Imaging\, 12 River Rd\, Suite 3\; Springfield\, NY 10001", Value(ics, "LOCATION"));
        Assert.Equal("CN=Northside Imaging:mailto:appointments@northside-imaging.example", Value(ics, "ORGANIZER"));
        var attendee = Value(ics, "ATTENDEE");
        Assert.StartsWith("CN=\"Zoë O'Brien-Ångström, Jr.\";", attendee);
        Assert.Contains("PARTSTAT=NEEDS-ACTION", attendee);
        Assert.Contains("RSVP=TRUE", attendee);
        Assert.EndsWith(":mailto:zoe@example.com", attendee);
        Assert.Single(Unfold(ics), l => l == "BEGIN:VALARM");
        Assert.Contains("TRIGGER:-PT120M", Unfold(ics));
    }

    [Fact]
    public void A_cancellation_has_method_cancel_status_cancelled_the_same_uid_and_no_alarm()
    {
        var request = Invite(sequence: 1).ToIcs();
        var cancel = Invite(CalendarMethod.Cancel, sequence: 2).ToIcs();

        Assert.Equal("CANCEL", Value(cancel, "METHOD"));
        Assert.Equal("CANCELLED", Value(cancel, "STATUS"));
        Assert.Equal(Value(request, "UID"), Value(cancel, "UID"));
        Assert.Equal("2", Value(cancel, "SEQUENCE"));
        Assert.DoesNotContain("BEGIN:VALARM", Unfold(cancel));
    }

    [Fact]
    public void Line_breaks_quotes_and_controls_in_text_cannot_inject_properties()
    {
        var evil = Invite() with
        {
            AttendeeName = "Mallory\r\nATTENDEE:mailto:attacker@example.com\"",
            Summary = "Visit\r\nMETHOD:CANCEL",
            AttendeeEmail = "zoe@example.com\r\nBCC",
            OrganizerName = "Clinic\nORGANIZER:mailto:attacker@example.com",
            Location = "Room 1\rDTSTART:20000101T000000Z",
            Description = "Bring\u0007 your card\u0000",
        };
        var lines = Unfold(evil.ToIcs());

        Assert.Single(lines, l => l.StartsWith("ATTENDEE"));
        Assert.Single(lines, l => l.StartsWith("METHOD"));
        Assert.DoesNotContain(lines, l => l.StartsWith("BCC"));
        Assert.Contains(lines, l => l.StartsWith("ATTENDEE;CN=\"MalloryATTENDEE:mailto:attacker@example.com\";"));
        Assert.Contains(@"SUMMARY:Visit\nMETHOD:CANCEL", lines);
        Assert.Single(lines, l => l.StartsWith("ORGANIZER"));
        Assert.Single(lines, l => l.StartsWith("DTSTART"));
        Assert.Contains(@"LOCATION:Room 1\nDTSTART:20000101T000000Z", lines);
        Assert.Contains("DESCRIPTION:Bring your card", lines); // other control characters are dropped
    }

    [Fact]
    public void An_address_with_a_quoted_local_part_is_written_as_booked()
    {
        var ics = (Invite() with { AttendeeEmail = "\"zoe.o\"@example.com" }).ToIcs();

        Assert.EndsWith(":mailto:\"zoe.o\"@example.com", Value(ics, "ATTENDEE"));
    }

    [Fact]
    public void Google_calendar_link_carries_utc_dates_and_encoded_text()
    {
        var link = GoogleCalendarLink.For("Clinic appointment", new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(-5)),
            new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.FromHours(-5)), "Bring your card & referral: 1/2", "12 River Rd");

        Assert.StartsWith("https://calendar.google.com/calendar/render?action=TEMPLATE&text=Clinic%20appointment&dates=20261201T140000Z/20261201T143000Z", link);
        Assert.Contains("details=Bring%20your%20card%20%26%20referral%3A%201%2F2", link);
    }
}
