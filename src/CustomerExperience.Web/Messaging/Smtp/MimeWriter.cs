using System.Globalization;
using System.Text;

namespace CustomerExperience.Web.Messaging.Smtp;

public sealed record Mailbox(string Address, string? Name);

/// <summary>A calendar sent twice, as clients expect: an inline text/calendar alternative and an .ics attachment.</summary>
public sealed record MimeCalendar(string Ics, string Method, string FileName);

public sealed record MimeMessage(Mailbox From, Mailbox To, string Subject, string MessageId, DateTimeOffset Date, string TextBody)
{
    public string? HtmlBody { get; init; }
    public MimeCalendar? Calendar { get; init; }
    public string? UnsubscribeUrl { get; init; }
}

/// <summary>
/// Writes an RFC 5322 / MIME message in 7-bit ASCII with CRLF line endings, ready for SMTP DATA (before dot-stuffing):
/// multipart/mixed { multipart/alternative { text/plain; text/html; text/calendar }, .ics attachment }, each level
/// present only when it has more than one part. Text is quoted-printable, calendars base64; no line exceeds 76
/// characters except the rare header that cannot be folded. Names and subjects are single-line by construction:
/// control characters become spaces, so no input can start a header of its own.
/// </summary>
public static class MimeWriter
{
    private const int MaxLine = 76;

    public static byte[] Write(MimeMessage message)
    {
        var text = new StringBuilder(1024 + 2 * (message.TextBody.Length + (message.HtmlBody?.Length ?? 0) + (message.Calendar?.Ics.Length ?? 0)));
        Header(text, "From", AddressHeader(message.From, "From: ".Length));
        Header(text, "To", AddressHeader(message.To, "To: ".Length));
        text.Append("Subject: ").Append(EncodeText(message.Subject, "Subject: ".Length)).Append("\r\n");
        Header(text, "Date", message.Date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        Header(text, "Message-ID", RequireHeaderSafe(message.MessageId, "Message-ID", angles: true));
        Header(text, "MIME-Version", "1.0");
        if (message.UnsubscribeUrl is { } url)
        {
            Header(text, "List-Unsubscribe", $"<{RequireHeaderSafe(url, "List-Unsubscribe")}>");
            Header(text, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        var alternatives = new List<Action<StringBuilder>> { b => QuotedPrintablePart(b, "text/plain; charset=utf-8", message.TextBody) };
        if (message.HtmlBody is { } html)
            alternatives.Add(b => QuotedPrintablePart(b, "text/html; charset=utf-8", html));
        if (message.Calendar is { } calendar)
            alternatives.Add(b => Base64Part(b, $"text/calendar; charset=utf-8; method={Token(calendar.Method)}", null, calendar.Ics));
        Action<StringBuilder> body = alternatives.Count == 1 ? alternatives[0] : b => Multipart(b, "multipart/alternative", alternatives);
        if (message.Calendar is { } attached)
        {
            var alternative = body;
            body = b => Multipart(b, "multipart/mixed",
            [
                alternative,
                b2 => Base64Part(b2, "application/ics", $"attachment; filename={Token(attached.FileName)}", attached.Ics),
            ]);
        }
        body(text);
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>An address header: the name quoted or RFC 2047 encoded, folded before the address when the line would be long.</summary>
    public static string AddressHeader(Mailbox mailbox, int prefixLength)
    {
        var address = $"<{RequireAddress(mailbox.Address)}>";
        var name = Clean(mailbox.Name ?? "").Trim();
        if (name.Length == 0)
            return address;
        var phrase = IsPlainAscii(name) && prefixLength + name.Length + 2 <= MaxLine ? Quote(name) : EncodeWords(name, prefixLength);
        var newline = phrase.LastIndexOf('\n');
        var lastLine = newline < 0 ? prefixLength + phrase.Length : phrase.Length - newline - 1;
        return lastLine + 1 + address.Length <= MaxLine ? $"{phrase} {address}" : $"{phrase}\r\n {address}";
    }

    /// <summary>Unstructured header text: as is when it is short printable ASCII, otherwise RFC 2047 encoded words, one per line.</summary>
    public static string EncodeText(string value, int prefixLength)
    {
        var clean = Clean(value);
        return IsPlainAscii(clean) && prefixLength + clean.Length <= MaxLine && !clean.Contains("=?", StringComparison.Ordinal)
            ? clean
            : EncodeWords(clean, prefixLength);
    }

    /// <summary>
    /// RFC 2045 quoted-printable of the UTF-8 text, with every line break (CRLF, CR or LF) a hard CRLF break and soft
    /// breaks keeping lines within 76 characters. A line may start with "." here; SMTP dot-stuffing takes care of it.
    /// </summary>
    public static string QuotedPrintable(string value)
    {
        var output = new StringBuilder(value.Length + value.Length / 8 + 16);
        var lines = value.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(lines[i]);
            var lineLength = 0;
            for (var j = 0; j < bytes.Length; j++)
            {
                var b = bytes[j];
                var last = j == bytes.Length - 1;
                var literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last);
                var width = literal ? 1 : 3;
                // Leave room for the soft break's "=" unless this is the line's last character.
                if (lineLength + width > (last ? MaxLine : MaxLine - 1))
                {
                    output.Append("=\r\n");
                    lineLength = 0;
                }
                if (literal)
                    output.Append((char)b);
                else
                    output.Append('=').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
                lineLength += width;
            }
            if (i < lines.Length - 1)
                output.Append("\r\n");
        }
        return output.ToString();
    }

    public static string Base64Lines(ReadOnlySpan<byte> bytes)
    {
        var encoded = Convert.ToBase64String(bytes);
        var output = new StringBuilder(encoded.Length + encoded.Length / MaxLine * 2 + 2);
        for (var i = 0; i < encoded.Length; i += MaxLine)
        {
            if (i > 0)
                output.Append("\r\n");
            output.Append(encoded, i, Math.Min(MaxLine, encoded.Length - i));
        }
        return output.ToString();
    }

    private const string HexDigits = "0123456789ABCDEF";

    private static void Header(StringBuilder output, string name, string value) =>
        output.Append(name).Append(": ").Append(value).Append("\r\n");

    private static void Multipart(StringBuilder output, string type, IReadOnlyList<Action<StringBuilder>> parts)
    {
        // "=_" cannot occur in quoted-printable or base64 output, so no part can contain the boundary.
        var boundary = "=_" + Guid.NewGuid().ToString("N");
        output.Append("Content-Type: ").Append(type).Append(";\r\n boundary=\"").Append(boundary).Append("\"\r\n\r\n");
        foreach (var part in parts)
        {
            output.Append("--").Append(boundary).Append("\r\n");
            part(output);
        }
        output.Append("--").Append(boundary).Append("--\r\n");
    }

    private static void QuotedPrintablePart(StringBuilder output, string contentType, string body) =>
        output.Append("Content-Type: ").Append(contentType).Append("\r\n")
            .Append("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
            .Append(QuotedPrintable(body)).Append("\r\n");

    private static void Base64Part(StringBuilder output, string contentType, string? disposition, string body)
    {
        output.Append("Content-Type: ").Append(contentType).Append("\r\n")
            .Append("Content-Transfer-Encoding: base64\r\n");
        if (disposition is not null)
            output.Append("Content-Disposition: ").Append(disposition).Append("\r\n");
        output.Append("\r\n").Append(Base64Lines(Encoding.UTF8.GetBytes(body))).Append("\r\n");
    }

    /// <summary>Encoded words of at most 75 characters, split between whole characters, each on its own folded line.</summary>
    private static string EncodeWords(string value, int prefixLength)
    {
        const string open = "=?utf-8?B?", close = "?=";
        var words = new List<string>();
        var chunk = new List<byte>();
        var firstLimit = (MaxLine - 1 - prefixLength - open.Length - close.Length) / 4 * 3;
        var limit = (MaxLine - 1 - 1 - open.Length - close.Length) / 4 * 3;
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            if (chunk.Count + length > (words.Count == 0 ? firstLimit : limit) && chunk.Count > 0)
            {
                words.Add(open + Convert.ToBase64String(chunk.ToArray()) + close);
                chunk.Clear();
            }
            chunk.AddRange(utf8[..length]);
        }
        if (chunk.Count > 0 || words.Count == 0)
            words.Add(open + Convert.ToBase64String(chunk.ToArray()) + close);
        return string.Join("\r\n ", words);
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Control characters (CR and LF among them) and Unicode line separators become spaces.</summary>
    private static string Clean(string value)
    {
        if (!value.Any(IsBreaking))
            return value;
        return string.Create(value.Length, value, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = IsBreaking(source[i]) ? ' ' : source[i];
        });
    }

    private static bool IsBreaking(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    private static bool IsPlainAscii(string value) => value.All(c => c is >= ' ' and <= '~');

    /// <summary>The address as SMTP and the To header carry it; anything that could break out of the angle brackets is refused.</summary>
    public static string RequireAddress(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1 || address.Any(c => c is <= ' ' or > '~' or '<' or '>' or '(' or ')' or ',' or ';' or ':' or '\\' or '"' or '[' or ']'))
            throw new FormatException("The recipient address is not a plain ASCII email address.");
        return address;
    }

    private static string RequireHeaderSafe(string value, string header, bool angles = false) =>
        value.Length > 0 && value.All(c => c is > ' ' and <= '~' && (angles || c is not ('<' or '>')))
            ? value
            : throw new FormatException($"{header} contains characters a header cannot carry.");

    /// <summary>A MIME parameter value that needs no quoting (REQUEST, invite.ics).</summary>
    private static string Token(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
            ? value
            : throw new FormatException($"'{value}' is not a valid MIME parameter value.");
}
