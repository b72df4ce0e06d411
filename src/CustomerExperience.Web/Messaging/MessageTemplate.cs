using System.Net;
using System.Text;

namespace CustomerExperience.Web.Messaging;

/// <summary>How a placeholder's value goes into an email.</summary>
public enum PlaceholderUse
{
    /// <summary>Words: "Alex", "Tuesday, December 1, 2026 at 9:00 AM".</summary>
    Text,
    /// <summary>An address: an inline link, or a button when it stands on a line of its own.</summary>
    Link,
    /// <summary>A phone number: a tel: link in HTML.</summary>
    Phone,
    /// <summary>A block the app builds (the visit's what, when, where and notes): on a line of its own only.</summary>
    Block,
}

/// <summary>
/// A placeholder a kind of email offers. <see cref="Required"/>: the body must use it (the email is pointless without
/// it). <see cref="MayBeEmpty"/>: a paragraph using it is left out when it has no value (no clinic message today).
/// </summary>
public sealed record Placeholder(string Name, string Meaning, PlaceholderUse Use = PlaceholderUse.Text,
    bool Required = false, bool MayBeEmpty = false, bool InSubject = true)
{
    public string Token => "{" + Name + "}";
}

/// <summary>A placeholder's value in one email. For a link, <see cref="Label"/> is the button's text.</summary>
public sealed record PlaceholderValue(string? Text, string? Label = null, string? Html = null)
{
    public static implicit operator PlaceholderValue(string? text) => new(text);
}

/// <summary>A subject and a body with <c>{Placeholder}</c>s, as the clinic wrote them (or the defaults).</summary>
public sealed record MessageTemplate(string Subject, string Body)
{
    public sealed record Problem(string Field, string? Placeholder, string Message);

    private abstract record Piece;
    private sealed record Literal(string Text) : Piece;
    private sealed record Hole(string Name) : Piece;

    /// <summary>What is wrong with <paramref name="subject"/> and <paramref name="body"/> for a kind offering <paramref name="offered"/>.</summary>
    public static List<Problem> Check(string subject, string body, IReadOnlyList<Placeholder> offered)
    {
        var problems = new List<Problem>();
        if (string.IsNullOrWhiteSpace(subject)) problems.Add(new("subject", null, "The subject is empty."));
        else if (subject.Length > MaxSubject) problems.Add(new("subject", null, $"Keep the subject under {MaxSubject} characters."));
        else if (subject.Contains('\n') || subject.Contains('\r')) problems.Add(new("subject", null, "The subject must be one line."));
        if (string.IsNullOrWhiteSpace(body)) problems.Add(new("body", null, "The body is empty."));
        else if (body.Length > MaxBody) problems.Add(new("body", null, $"Keep the body under {MaxBody} characters."));
        if (problems.Count > 0) return problems;

        foreach (var (field, text) in new[] { ("subject", subject), ("body", body) })
        {
            if (Parse(text, out var pieces) is { } syntax)
            {
                problems.Add(new(field, syntax.Placeholder, syntax.Message));
                continue;
            }
            foreach (var hole in pieces.OfType<Hole>())
            {
                var placeholder = offered.FirstOrDefault(p => p.Name == hole.Name);
                if (placeholder is null)
                    problems.Add(new(field, hole.Name, $"The {field} uses {{{hole.Name}}}, which this email does not have. It offers: {string.Join(", ", offered.Select(p => p.Token))}."));
                else if (field == "subject" && (!placeholder.InSubject || placeholder.Use != PlaceholderUse.Text))
                    problems.Add(new(field, hole.Name, $"{placeholder.Token} cannot be in the subject: subjects show on lock screens and in shared inboxes."));
            }
            if (field == "body")
            {
                foreach (var placeholder in offered.Where(p => p.Required && !pieces.OfType<Hole>().Any(h => h.Name == p.Name)))
                    problems.Add(new(field, placeholder.Name, $"The body must include {placeholder.Token}: {placeholder.Meaning}."));
                foreach (var block in offered.Where(p => p.Use == PlaceholderUse.Block && pieces.OfType<Hole>().Any(h => h.Name == p.Name)))
                    if (!Paragraphs(body).Any(p => p.Trim() == block.Token))
                        problems.Add(new(field, block.Name, $"{block.Token} must stand on a line of its own, with an empty line before and after it."));
            }
        }
        return problems;
    }

    public const int MaxSubject = 200;
    public const int MaxBody = 5000;

    public string RenderSubject(IReadOnlyDictionary<string, PlaceholderValue> values) =>
        string.Concat(Pieces(Subject).Select(p => p switch
        {
            Literal literal => literal.Text,
            Hole hole => values[hole.Name].Text ?? "",
            _ => "",
        }));

    /// <summary>
    /// The body as plain text and as HTML, paragraphs split at empty lines. Everything written and every value is
    /// HTML-encoded; only the markup of links, phones and blocks comes from here. <paramref name="footer"/> (the
    /// unsubscribe line) is added after the body, whatever it says.
    /// </summary>
    public (string Text, string Html) RenderBody(IReadOnlyDictionary<string, PlaceholderValue> values,
        IReadOnlyList<Placeholder> offered, (string Text, string Html)? footer = null)
    {
        var uses = offered.ToDictionary(p => p.Name, p => p.Use);
        var text = new StringBuilder();
        var html = new StringBuilder(EmailHtml.Start);
        foreach (var paragraph in Paragraphs(Body))
        {
            var pieces = Pieces(paragraph.Trim());
            if (pieces.OfType<Hole>().Any(h => string.IsNullOrEmpty(values[h.Name].Text))) continue;
            if (text.Length > 0) text.AppendLine();
            if (pieces is [Hole alone] && uses[alone.Name] is PlaceholderUse.Block or PlaceholderUse.Link)
            {
                var value = values[alone.Name];
                if (uses[alone.Name] == PlaceholderUse.Block)
                {
                    text.AppendLine(value.Text!.TrimEnd());
                    html.Append(value.Html);
                }
                else
                {
                    text.AppendLine(value.Label is null ? value.Text : $"{value.Label}: {value.Text}");
                    html.Append($"<p><a href=\"{H(value.Text!)}\" style=\"{ButtonStyle}\">{H(value.Label ?? value.Text!)}</a></p>");
                }
                continue;
            }
            html.Append("<p>");
            foreach (var piece in pieces)
            {
                if (piece is Literal literal)
                {
                    text.Append(literal.Text);
                    html.Append(H(literal.Text).Replace("\n", "<br>"));
                    continue;
                }
                var hole = (Hole)piece;
                var value = values[hole.Name].Text!;
                text.Append(value);
                html.Append(uses[hole.Name] switch
                {
                    PlaceholderUse.Link => $"<a href=\"{H(value)}\">{H(value)}</a>",
                    PlaceholderUse.Phone => $"<a href=\"tel:{H(value.Replace(" ", ""))}\">{H(value)}</a>",
                    _ => H(value),
                });
            }
            html.Append("</p>");
            text.AppendLine();
        }
        if (footer is { } end)
        {
            text.AppendLine().AppendLine(end.Text);
            html.Append(end.Html);
        }
        return (text.ToString(), html.Append(EmailHtml.End).ToString());
    }

    public const string ButtonStyle = "display:inline-block;padding:10px 16px;background:#0b5cab;color:#fff;text-decoration:none;border-radius:6px";

    private static IEnumerable<string> Paragraphs(string body) =>
        body.ReplaceLineEndings("\n").Split("\n\n").Where(p => !string.IsNullOrWhiteSpace(p));

    private static List<Piece> Pieces(string text) =>
        Parse(text, out var pieces) is null ? pieces : throw new InvalidOperationException("A template is used before it was checked.");

    /// <summary>Splits into literal text and placeholders; a brace without its partner or an empty or malformed name is a problem.</summary>
    private static Problem? Parse(string text, out List<Piece> pieces)
    {
        pieces = [];
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '}')
                return new("", null, $"There is a \"}}\" without its \"{{\" near \"{Near(text, i)}\".");
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            var end = text.IndexOfAny(['{', '}', '\n'], i + 1);
            if (end < 0 || text[end] != '}')
                return new("", null, $"There is a \"{{\" without its \"}}\" near \"{Near(text, i)}\".");
            var name = text[(i + 1)..end];
            if (name.Length == 0 || !name.All(char.IsAsciiLetterOrDigit))
                return new("", name, $"\"{{{name}}}\" is not a placeholder: use a name from the list, like {{FirstName}}.");
            if (literal.Length > 0) pieces.Add(new Literal(literal.ToString()));
            literal.Clear();
            pieces.Add(new Hole(name));
            i = end;
        }
        if (literal.Length > 0) pieces.Add(new Literal(literal.ToString()));
        return null;
    }

    private static string Near(string text, int index) => text.Substring(Math.Max(0, index - 10), Math.Min(text.Length - Math.Max(0, index - 10), 20)).ReplaceLineEndings(" ");

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
