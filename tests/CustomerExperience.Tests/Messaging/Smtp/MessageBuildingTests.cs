using System.Text;
using System.Text.RegularExpressions;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace CustomerExperience.Tests.Messaging.Smtp;

/// <summary>The message MimeKit builds for an outbox row, written as SMTP DATA carries it and read back with MimeKit.</summary>
public class MessageBuildingTests
{
    private const string Ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:a@b\r\nSUMMARY:Zoë\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    private readonly SmtpEmailSender sender = new(
        Options.Create(new SmtpOptions { Host = "localhost", From = "appointments@clinic.example", FromName = "Northside Imaging" }),
        new FakeTimeProvider(new DateTimeOffset(2027, 1, 4, 10, 0, 0, TimeSpan.FromHours(-5))));

    private static OutboundEmail Email(string subject = "Your visit on Tuesday", string? toName = "Ada Lovelace") => new()
    {
        Kind = "test",
        IdempotencyKey = "confirmation:1:0",
        ToAddress = "ada@example.test",
        ToName = toName,
        Subject = subject,
        TextBody = "Plain text: see you Tuesday.",
    };

    [Theory]
    [InlineData("REQUEST", "invite.ics")]
    [InlineData("CANCEL", "cancel.ics")]
    public void An_invite_is_mixed_of_an_alternative_text_html_calendar_and_the_ics_attachment(string method, string fileName)
    {
        var email = Email();
        email.HtmlBody = "<p>see you</p>";
        email.Ics = Ics;
        email.IcsMethod = method;

        var message = RoundTrip(email);

        var mixed = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.Equal(2, mixed.Count);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html", "text/calendar"], alternative.Select(p => p.ContentType.MimeType));
        Assert.All(alternative, p => Assert.Equal("utf-8", p.ContentType.Charset));
        Assert.Equal("Plain text: see you Tuesday.", ((TextPart)alternative[0]).Text);
        Assert.Equal("<p>see you</p>", ((TextPart)alternative[1]).Text);
        var calendar = (TextPart)alternative[2];
        Assert.Equal(method, calendar.ContentType.Parameters["method"]);
        Assert.Equal(Ics, Decoded(calendar)); // byte for byte, CRLF included
        var attachment = Assert.IsType<MimePart>(mixed[1]);
        Assert.Equal("application/ics", attachment.ContentType.MimeType);
        Assert.True(attachment.IsAttachment);
        Assert.Equal(fileName, attachment.FileName);
        Assert.Equal(fileName, attachment.ContentType.Name);
        Assert.Equal(Ics, Decoded(attachment));
        Assert.Matches($"(?m)^Content-Type: text/calendar; method={method}; charset=utf-8\r$", Raw(email));
    }

    [Fact]
    public void Without_a_calendar_there_is_no_mixed_level_and_without_html_no_alternative()
    {
        var withHtml = Email();
        withHtml.HtmlBody = "<p>hi</p>";

        var alternative = Assert.IsType<MultipartAlternative>(RoundTrip(withHtml).Body);
        var textOnly = Assert.IsType<TextPart>(RoundTrip(Email()).Body);

        Assert.Equal(2, alternative.Count);
        Assert.Equal("text/plain", textOnly.ContentType.MimeType);
        Assert.Equal(ContentEncoding.QuotedPrintable, textOnly.ContentTransferEncoding);
        Assert.Equal("Plain text: see you Tuesday.", textOnly.Text);
    }

    [Fact]
    public void The_headers_are_those_of_the_old_sender_and_unsubscribe_only_with_its_url()
    {
        var marketing = Email();
        marketing.UnsubscribeUrl = "https://clinic.example/unsubscribe/abc";

        var raw = Raw(Email());
        var plain = RoundTrip(Email());
        var withUnsubscribe = Raw(marketing);

        Assert.Contains("From: Northside Imaging <appointments@clinic.example>\r\n", raw);
        Assert.Contains("To: Ada Lovelace <ada@example.test>\r\n", raw);
        Assert.Contains("Subject: Your visit on Tuesday\r\n", raw);
        Assert.Contains("Date: Mon, 04 Jan 2027 15:00:00 +0000\r\n", raw);
        Assert.Contains($"Message-Id: {SmtpEmailSender.MessageId("confirmation:1:0", "clinic.example")}\r\n", raw);
        Assert.Contains("MIME-Version: 1.0\r\n", raw);
        Assert.DoesNotContain("List-Unsubscribe", raw);
        Assert.Equal("<" + plain.MessageId + ">", SmtpEmailSender.MessageId("confirmation:1:0", "clinic.example"));
        Assert.Contains("List-Unsubscribe: <https://clinic.example/unsubscribe/abc>\r\n", withUnsubscribe);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", withUnsubscribe);
    }

    [Fact]
    public void The_message_id_keeps_its_format_so_messages_sent_before_the_upgrade_stay_recognisable()
    {
        Assert.Equal("<2c26b46b68ffc68ff99b453c1d30413413422d70@clinic.example>", SmtpEmailSender.MessageId("foo", "clinic.example"));
    }

    [Fact]
    public void Every_line_is_ascii_ends_in_CRLF_and_body_lines_keep_within_78_characters()
    {
        var longLine = string.Concat(Enumerable.Repeat("Zoë's visit = confirmed; ", 20));
        var email = Email(subject: "Ihre Untersuchung am Dienstag — bitte kein Deo, danke schön! " + longLine, toName: "Zoë " + longLine);
        email.TextBody = longLine + "\n" + longLine + "\r" + "tab\tat the end\t";
        email.HtmlBody = "<p>" + longLine + "</p>";
        email.Ics = Ics;

        var raw = Raw(email);

        Assert.All(raw, c => Assert.InRange(c, '\0', '\x7f'));
        Assert.DoesNotMatch("\r(?!\n)|(?<!\r)\n", raw);
        // MimeKit folds encoded words a few characters past 78 at times: within RFC 5322's 998, which is what matters.
        Assert.All(raw.Split("\r\n"), line => Assert.InRange(line.Length, 0, 998));
        Assert.All(raw[raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)..].Split("\r\n"), line => Assert.InRange(line.Length, 0, 78));
    }

    [Theory]
    [InlineData("Zoë O'Brien-Ångström = 100% ✓ 🙂")]
    [InlineData("trailing space \nand tab\t\r\nend")]
    [InlineData(".a line that starts with a dot\r\n.\r\n..")]
    [InlineData("=3D is not an escape here, ==")]
    [InlineData("a lone\rcarriage return")]
    public void Text_decodes_to_the_original_with_CRLF_line_breaks(string text)
    {
        var email = Email();
        email.TextBody = text + " " + new string('x', 150) + "é" + new string('y', 75);

        var part = Assert.IsType<TextPart>(RoundTrip(email).Body);

        Assert.Equal(email.TextBody.ReplaceLineEndings("\r\n"), Decoded(part));
    }

    [Fact]
    public void Non_ascii_subjects_and_names_are_encoded_words_that_decode_to_the_original()
    {
        var subject = "Erinnerung: Ihr Termin am Dienstag — bitte kein Deodorant verwenden, Frau Ångström 🙂";
        var email = Email(subject, toName: "Zoë O'Brien-Ångström, Jr.");

        var raw = Raw(email);
        var message = RoundTrip(email);

        Assert.All(raw, c => Assert.InRange(c, '\0', '\x7f'));
        Assert.Matches(@"(?m)^Subject: .*=\?utf-8\?", raw);
        Assert.Equal(subject, message.Subject);
        var to = Assert.Single(message.To.Mailboxes);
        Assert.Equal("Zoë O'Brien-Ångström, Jr.", to.Name);
        Assert.Equal("ada@example.test", to.Address);
    }

    [Fact]
    public void A_quote_in_an_ascii_name_stays_inside_the_quoted_string()
    {
        var to = Assert.Single(RoundTrip(Email(toName: "Ada \"the Countess\" Lovelace\\")).To.Mailboxes);

        Assert.Equal("Ada \"the Countess\" Lovelace\\", to.Name);
        Assert.Equal("ada@example.test", to.Address);
    }

    [Theory]
    [InlineData("Hello\r\nBcc: victim@evil.example")]
    [InlineData("Hello\nBcc: victim@evil.example")]
    [InlineData("Hello\rBcc: victim@evil.example")]
    [InlineData("Héllo\r\n\r\nBcc: victim@evil.example")]
    [InlineData("Hello\u2028Bcc: victim@evil.example")]
    public void CR_and_LF_in_a_subject_or_name_cannot_start_a_header(string hostile)
    {
        var hostileSender = new SmtpEmailSender(
            Options.Create(new SmtpOptions { Host = "localhost", From = "appointments@clinic.example", FromName = hostile }), TimeProvider.System);
        var message = hostileSender.BuildMessage(Email(subject: hostile, toName: hostile));

        var raw = Write(message);
        var read = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(raw)));

        Assert.DoesNotMatch(@"(?im)^Bcc:", raw);
        Assert.Empty(read.Bcc);
        Assert.Equal(["ada@example.test"], read.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(Regex.Replace(hostile, "[\r\n\u2028]", " "), read.Subject);
        Assert.Equal("Plain text: see you Tuesday.", read.TextBody);
    }

    [Theory]
    [InlineData("ada@example.test>\r\nBcc: victim@evil.example")]
    [InlineData("ada@example.test> <victim@evil.example")]
    [InlineData("ada@example.test, victim@evil.example")]
    [InlineData("Ada <ada@example.test>")]
    [InlineData("ada at example.test")]
    [InlineData("ada@")]
    [InlineData("@example.test")]
    [InlineData("ada@exa mple.test")]
    public void An_address_that_is_not_one_plain_address_is_refused(string address)
    {
        var email = Email();
        email.ToAddress = address;

        Assert.ThrowsAny<FormatException>(() => sender.BuildMessage(email));
    }

    [Fact]
    public void A_non_ascii_address_is_kept_for_a_server_with_SMTPUTF8()
    {
        var email = Email();
        email.ToAddress = "zoë@bücher.example";

        Assert.Equal("zoë@bücher.example", Assert.Single(sender.BuildMessage(email).To.Mailboxes).Address);
    }

    [Fact]
    public void An_unsubscribe_url_with_a_line_break_is_refused()
    {
        var email = Email();
        email.UnsubscribeUrl = "https://clinic.example/u\r\nBcc: victim@evil.example";

        Assert.Throws<FormatException>(() => sender.BuildMessage(email));
    }

    /// <summary>As MailKit writes it for DATA (before dot-stuffing): CRLF line ends, 7-bit.</summary>
    private static string Write(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private string Raw(OutboundEmail email) => Write(sender.BuildMessage(email));

    private MimeMessage RoundTrip(OutboundEmail email) =>
        MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(Raw(email))));

    private static string Decoded(MimePart part)
    {
        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
