using CustomerExperience.Web.Messaging;

namespace CustomerExperience.Tests.Setup;

/// <summary>The words of an email with placeholders: what a save refuses, and how a template becomes text and HTML.</summary>
public class TextsTemplateTests
{
    private static readonly IReadOnlyList<Placeholder> Offered = MessageKinds.Booked.Placeholders;

    private static MessageTemplate.Problem Single(string subject, string body) =>
        Assert.Single(MessageTemplate.Check(subject, body, Offered));

    private const string GoodBody = "Hello {FirstName},\n\n{VisitDetails}\n\n{ManageLink}";

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_default_passes_its_own_check(string key)
    {
        var kind = MessageKinds.Find(key)!;
        Assert.Empty(MessageTemplate.Check(kind.DefaultSubject, kind.DefaultBody, kind.Placeholders));
    }

    public static TheoryData<string> Kinds() => [.. MessageKinds.All.Select(k => k.Key)];

    [Fact]
    public void An_unknown_placeholder_is_named_with_its_field()
    {
        var problem = Single("Booked: {CalendarTitle}", "Hello {Firstname},\n\n{VisitDetails}\n\n{ManageLink}");
        Assert.Equal(("body", "Firstname"), (problem.Field, problem.Placeholder));
        Assert.Contains("{Firstname}", problem.Message);
        Assert.Contains("{FirstName}", problem.Message); // the ones it offers are listed

        var inSubject = Single("Booked: {Diagnosis}", GoodBody);
        Assert.Equal(("subject", "Diagnosis"), (inSubject.Field, inSubject.Placeholder));
    }

    [Theory]
    [InlineData("Hello {FirstName,\n\n{VisitDetails}\n\n{ManageLink}", "without its \"}\"")]
    [InlineData("Hello FirstName},\n\n{VisitDetails}\n\n{ManageLink}", "without its \"{\"")]
    [InlineData("Hello {FirstName}, {\n\n{VisitDetails}\n\n{ManageLink}", "without its \"}\"")]
    [InlineData("Hello {},\n\n{VisitDetails}\n\n{ManageLink}", "not a placeholder")]
    [InlineData("Hello {First Name},\n\n{VisitDetails}\n\n{ManageLink}", "not a placeholder")]
    public void An_unbalanced_brace_or_a_malformed_name_is_refused(string body, string says)
    {
        var problem = Single("Booked", body);
        Assert.Equal("body", problem.Field);
        Assert.Contains(says, problem.Message);
    }

    [Fact]
    public void A_required_placeholder_left_out_is_named()
    {
        var problem = Single("Booked", "Hello {FirstName},\n\n{VisitDetails}");
        Assert.Equal(("body", "ManageLink"), (problem.Field, problem.Placeholder));
        Assert.Contains("must include {ManageLink}", problem.Message);
    }

    [Theory]
    [InlineData("Booked: {ServiceName}", "ServiceName")]
    [InlineData("Change it: {ManageLink}", "ManageLink")]
    [InlineData("{VisitDetails}", "VisitDetails")]
    public void A_subject_cannot_name_the_service_or_carry_links_and_blocks(string subject, string placeholder)
    {
        var problem = Single(subject, GoodBody);
        Assert.Equal(("subject", placeholder), (problem.Field, problem.Placeholder));
    }

    [Fact]
    public void A_block_must_stand_on_a_line_of_its_own()
    {
        var problem = Single("Booked", "Hello {FirstName}, here: {VisitDetails}\n\n{ManageLink}");
        Assert.Equal(("body", "VisitDetails"), (problem.Field, problem.Placeholder));
    }

    [Fact]
    public void Empty_or_overlong_fields_are_refused()
    {
        Assert.Equal("subject", Single(" ", GoodBody).Field);
        Assert.Equal("body", Single("Booked", "").Field);
        Assert.Equal("subject", Single(new string('x', MessageTemplate.MaxSubject + 1), GoodBody).Field);
        Assert.Equal("subject", Single("Two\nlines", GoodBody).Field);
    }

    private static readonly Dictionary<string, PlaceholderValue> Values = new()
    {
        ["FirstName"] = "O'Brien & <b>Sons</b>",
        ["ClinicName"] = "Tom & Jerry's Imaging",
        ["CalendarTitle"] = "Clinic <appointment>",
        ["ServiceName"] = "Screening",
        ["When"] = "Tuesday",
        ["LocationName"] = "North & South",
        ["LocationPhone"] = "+1 212 555 0100",
        ["VisitDetails"] = new PlaceholderValue("What: Screening", Html: "<table><tr><td>Screening</td></tr></table>"),
        ["ManageLink"] = new PlaceholderValue("https://clinic.example/manage/a?b=1&c=\"2\"", "Reschedule or cancel"),
        ["BookLink"] = "https://clinic.example/book",
    };

    [Fact]
    public void Values_and_written_words_are_html_encoded_and_the_text_part_keeps_them_as_they_are()
    {
        var template = new MessageTemplate("Booked: {CalendarTitle} for {FirstName}",
            "Hello {FirstName}, <script>alert(1)</script>\nsecond line\n\n{VisitDetails}\n\nChange it here: {ManageLink}\n\n{ManageLink}\n\nCall {LocationPhone}.\n\n{ClinicName}");
        Assert.Empty(MessageTemplate.Check(template.Subject, template.Body, Offered));

        var (text, html) = template.RenderBody(Values, Offered);

        Assert.Equal("Booked: Clinic <appointment> for O'Brien & <b>Sons</b>", template.RenderSubject(Values));
        Assert.Contains("<p>Hello O&#39;Brien &amp; &lt;b&gt;Sons&lt;/b&gt;, &lt;script&gt;alert(1)&lt;/script&gt;<br>second line</p>", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("<table><tr><td>Screening</td></tr></table>", html); // the block's own markup
        Assert.Contains("Change it here: <a href=\"https://clinic.example/manage/a?b=1&amp;c=&quot;2&quot;\">https://clinic.example/manage/a?b=1&amp;c=&quot;2&quot;</a>", html);
        Assert.Contains($"<p><a href=\"https://clinic.example/manage/a?b=1&amp;c=&quot;2&quot;\" style=\"{MessageTemplate.ButtonStyle}\">Reschedule or cancel</a></p>", html);
        Assert.Contains("<a href=\"tel:+12125550100\">+1 212 555 0100</a>", html);
        Assert.Contains("<p>Tom &amp; Jerry&#39;s Imaging</p>", html);
        Assert.StartsWith(EmailHtml.Start, html);
        Assert.EndsWith(EmailHtml.End, html);

        Assert.Contains("Hello O'Brien & <b>Sons</b>, <script>alert(1)</script>\nsecond line\n", text);
        Assert.Contains("Reschedule or cancel: https://clinic.example/manage/a?b=1&c=\"2\"", text);
        Assert.Contains("Tom & Jerry's Imaging", text);
    }

    [Fact]
    public void A_paragraph_whose_placeholder_has_no_value_is_left_out_and_the_footer_comes_last()
    {
        var kind = MessageKinds.PostVisit;
        var values = new Dictionary<string, PlaceholderValue>
        {
            ["FirstName"] = "Ann", ["ClinicName"] = "Clinic", ["LocationName"] = "North", ["LocationPhone"] = "555", ["Results"] = (string?)null,
        };

        var (text, html) = kind.Default.RenderBody(values, kind.Placeholders, ("Unsubscribe: https://u", "<p>Unsubscribe</p>"));

        Assert.DoesNotContain("We will let you know", text);
        Assert.DoesNotContain("We will let you know", html);
        Assert.Contains("Thank you for visiting North today.", text);
        Assert.EndsWith("Clinic\n\nUnsubscribe: https://u\n", text.ReplaceLineEndings("\n"));
        Assert.EndsWith("<p>Unsubscribe</p>" + EmailHtml.End, html);
    }
}
