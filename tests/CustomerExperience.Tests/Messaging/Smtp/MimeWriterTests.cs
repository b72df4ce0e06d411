using System.Text;
using System.Text.RegularExpressions;
using CustomerExperience.Web.Messaging.Smtp;

namespace CustomerExperience.Tests.Messaging.Smtp;

/// <summary>The raw message as it goes to DATA, read back with a small MIME reader written for these tests.</summary>
public partial class MimeWriterTests
{
    private const string Ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:a@b\r\nSUMMARY:Zoë\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    public static MimeMessage Message(string subject = "Your visit on Tuesday", string? toName = "Ada Lovelace") => new(
        new Mailbox("appointments@clinic.example", "Northside Imaging"),
        new Mailbox("ada@example.test", toName),
        subject,
        "<0123456789abcdef@clinic.example>",
        new DateTimeOffset(2027, 1, 4, 10, 0, 0, TimeSpan.FromHours(-5)),
        "Plain text: see you Tuesday.");

    [Fact]
    public void An_invite_is_mixed_of_an_alternative_text_html_calendar_and_the_ics_attachment()
    {
        var raw = Write(Message() with
        {
            HtmlBody = "<p>see you</p>",
            Calendar = new MimeCalendar(Ics, "REQUEST", "invite.ics"),
        });

        var root = Part.Parse(raw);
        Assert.StartsWith("multipart/mixed", root.Header("Content-Type"));
        Assert.Equal(2, root.Children.Count);
        var alternative = root.Children[0];
        Assert.StartsWith("multipart/alternative", alternative.Header("Content-Type"));
        Assert.Equal(
            ["text/plain; charset=utf-8", "text/html; charset=utf-8", "text/calendar; charset=utf-8; method=REQUEST"],
            alternative.Children.Select(c => c.Header("Content-Type")));
        Assert.Equal("Plain text: see you Tuesday.", alternative.Children[0].Text);
        Assert.Equal("<p>see you</p>", alternative.Children[1].Text);
        Assert.Equal(Ics, alternative.Children[2].Text);
        var attachment = root.Children[1];
        Assert.Equal("application/ics", attachment.Header("Content-Type"));
        Assert.Equal("attachment; filename=invite.ics", attachment.Header("Content-Disposition"));
        Assert.Equal(Ics, attachment.Text);
    }

    [Fact]
    public void Without_a_calendar_there_is_no_mixed_level_and_without_html_no_alternative()
    {
        var withHtml = Part.Parse(Write(Message() with { HtmlBody = "<p>hi</p>" }));
        var textOnly = Part.Parse(Write(Message()));

        Assert.StartsWith("multipart/alternative", withHtml.Header("Content-Type"));
        Assert.Equal(2, withHtml.Children.Count);
        Assert.Equal("text/plain; charset=utf-8", textOnly.Header("Content-Type"));
        Assert.Equal("quoted-printable", textOnly.Header("Content-Transfer-Encoding"));
        Assert.Equal("Plain text: see you Tuesday.", textOnly.Text);
    }

    [Fact]
    public void The_headers_are_those_of_the_old_sender_and_unsubscribe_only_with_its_url()
    {
        var plain = Part.Parse(Write(Message()));
        var marketing = Part.Parse(Write(Message() with { UnsubscribeUrl = "https://clinic.example/unsubscribe/abc" }));

        Assert.Equal(["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"], plain.Names);
        Assert.Equal("\"Northside Imaging\" <appointments@clinic.example>", plain.Header("From"));
        Assert.Equal("\"Ada Lovelace\" <ada@example.test>", plain.Header("To"));
        Assert.Equal("Your visit on Tuesday", plain.Header("Subject"));
        Assert.Equal("Mon, 04 Jan 2027 15:00:00 +0000", plain.Header("Date"));
        Assert.Equal("<0123456789abcdef@clinic.example>", plain.Header("Message-ID"));
        Assert.Equal("1.0", plain.Header("MIME-Version"));
        Assert.Equal("<https://clinic.example/unsubscribe/abc>", marketing.Header("List-Unsubscribe"));
        Assert.Equal("List-Unsubscribe=One-Click", marketing.Header("List-Unsubscribe-Post"));
    }

    [Fact]
    public void Every_line_is_ascii_ends_in_CRLF_and_keeps_within_76_characters()
    {
        var longLine = string.Concat(Enumerable.Repeat("Zoë's visit = confirmed; ", 20));
        var raw = Write(Message(subject: "Ihre Untersuchung am Dienstag — bitte kein Deo, danke schön! " + longLine, toName: "Zoë " + longLine) with
        {
            TextBody = longLine + "\n" + longLine + "\r" + "tab\tat the end\t",
            HtmlBody = "<p>" + longLine + "</p>",
            Calendar = new MimeCalendar(Ics, "REQUEST", "invite.ics"),
        });

        Assert.All(raw, c => Assert.InRange(c, '\0', '\x7f'));
        Assert.DoesNotMatch("\r(?!\n)|(?<!\r)\n", raw);
        Assert.All(raw.Split("\r\n"), line => Assert.InRange(line.Length, 0, 76));
    }

    [Theory]
    [InlineData("Zoë O'Brien-Ångström = 100% ✓ 🙂")]
    [InlineData("trailing space \nand tab\t\r\nend")]
    [InlineData(".a line that starts with a dot\r\n.\r\n..")]
    [InlineData("=3D is not an escape here, ==")]
    public void Quoted_printable_text_decodes_to_the_original_with_CRLF_line_breaks(string text)
    {
        var longText = text + " " + new string('x', 150) + "é" + new string('y', 75);

        Assert.Equal(text.ReplaceLineEndings("\r\n"), Part.DecodeQuotedPrintable(MimeWriter.QuotedPrintable(text)));
        Assert.Equal(longText.ReplaceLineEndings("\r\n"), Part.DecodeQuotedPrintable(MimeWriter.QuotedPrintable(longText)));
    }

    [Fact]
    public void Non_ascii_subjects_and_names_are_encoded_words_that_decode_to_the_original()
    {
        var subject = "Erinnerung: Ihr Termin am Dienstag — bitte kein Deodorant verwenden, Frau Ångström 🙂";
        var root = Part.Parse(Write(Message(subject, toName: "Zoë O'Brien-Ångström, Jr.")));

        Assert.Matches(@"^(=\?utf-8\?B\?[A-Za-z0-9+/=]+\?= ?)+$", root.Header("Subject"));
        Assert.Equal(subject, Part.DecodeWords(root.Header("Subject")));
        Assert.Equal("Zoë O'Brien-Ångström, Jr. <ada@example.test>", Part.DecodeWords(root.Header("To")));
    }

    [Fact]
    public void A_quote_in_an_ascii_name_stays_inside_the_quoted_string()
    {
        var root = Part.Parse(Write(Message(toName: "Ada \"the Countess\" Lovelace\\")));

        Assert.Equal("\"Ada \\\"the Countess\\\" Lovelace\\\\\" <ada@example.test>", root.Header("To"));
    }

    [Theory]
    [InlineData("Hello\r\nBcc: victim@evil.example")]
    [InlineData("Hello\nBcc: victim@evil.example")]
    [InlineData("Hello\rBcc: victim@evil.example")]
    [InlineData("Héllo\r\n\r\nBcc: victim@evil.example")]
    public void CR_and_LF_in_a_subject_or_name_cannot_start_a_header(string hostile)
    {
        var raw = Write(Message(subject: hostile, toName: hostile) with { From = new Mailbox("appointments@clinic.example", hostile) });
        var root = Part.Parse(raw);

        Assert.Equal(["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"], root.Names);
        Assert.DoesNotMatch(@"(?m)^Bcc:", raw);
        Assert.Equal(Regex.Replace(hostile, "[\r\n]", " "), Part.DecodeWords(root.Header("Subject")));
        Assert.Equal("Plain text: see you Tuesday.", root.Text);
    }

    [Theory]
    [InlineData("ada@example.test>\r\nBcc: victim@evil.example")]
    [InlineData("ada@example.test> <victim@evil.example")]
    [InlineData("ada at example.test")]
    [InlineData("zoë@example.test")]
    public void An_address_that_could_break_out_of_its_brackets_is_refused(string address)
    {
        Assert.Throws<FormatException>(() => Write(Message() with { To = new Mailbox(address, "Ada") }));
    }

    [Fact]
    public void An_unsubscribe_url_with_a_line_break_is_refused()
    {
        Assert.Throws<FormatException>(() => Write(Message() with { UnsubscribeUrl = "https://clinic.example/u\r\nBcc: victim@evil.example" }));
    }

    [Fact]
    public void Dot_stuffing_doubles_a_dot_at_the_start_of_every_line_and_nowhere_else()
    {
        var message = "..a\r\nb.c\r\n.\r\nd\r\n"u8.ToArray();
        var output = new byte[message.Length * 2];

        var length = SmtpConnection.DotStuff(message, output);

        Assert.Equal("...a\r\nb.c\r\n..\r\nd\r\n", Encoding.ASCII.GetString(output, 0, length));
    }

    private static string Write(MimeMessage message) => Encoding.ASCII.GetString(MimeWriter.Write(message));

    /// <summary>Just enough of a MIME reader for these tests: headers (unfolded, names in order), parts, decoded text.</summary>
    private sealed partial record Part(List<(string Name, string Value)> Headers, string Body, List<Part> Children)
    {
        public IEnumerable<string> Names => Headers.Select(h => h.Name);

        public string Header(string name) => Headers.Single(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

        public string Text => Header("Content-Transfer-Encoding") switch
        {
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(Body.Replace("\r\n", ""))),
            "quoted-printable" => DecodeQuotedPrintable(Body),
            var other => throw new InvalidOperationException(other),
        };

        public static Part Parse(string raw)
        {
            var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var headers = raw[..split].Replace("\r\n ", " ").Split("\r\n")
                .Select(line => line.Split(": ", 2))
                .Select(pair => (pair[0], pair[1]))
                .ToList();
            var body = raw[(split + 4)..];
            var type = headers.Single(h => h.Item1 == "Content-Type").Item2;
            if (!type.StartsWith("multipart/", StringComparison.Ordinal))
                return new Part(headers, body.EndsWith("\r\n", StringComparison.Ordinal) ? body[..^2] : body, []);
            var boundary = Boundary().Match(type).Groups[1].Value;
            var sections = ("\r\n" + body).Split("\r\n--" + boundary);
            Assert.Equal("", sections[0]);
            Assert.Matches("^--(\r\n)?$", sections[^1]); // a nested part's last CRLF belongs to the outer delimiter
            return new Part(headers, "", sections[1..^1].Select(s => Parse(s[2..])).ToList());
        }

        public static string DecodeQuotedPrintable(string encoded)
        {
            var bytes = new List<byte>();
            var text = encoded.Replace("=\r\n", "");
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '=')
                {
                    bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                    i += 2;
                }
                else
                {
                    bytes.Add((byte)text[i]);
                }
            }
            return Encoding.UTF8.GetString(bytes.ToArray());
        }

        /// <summary>RFC 2047: adjacent encoded words join without the space between them.</summary>
        public static string DecodeWords(string value) =>
            EncodedWord().Replace(Regex.Replace(value, @"\?=\s+=\?", "?==?"), m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value)));

        [GeneratedRegex("boundary=\"([^\"]+)\"")]
        private static partial Regex Boundary();

        [GeneratedRegex(@"=\?utf-8\?B\?([A-Za-z0-9+/=]*)\?=")]
        private static partial Regex EncodedWord();
    }
}
