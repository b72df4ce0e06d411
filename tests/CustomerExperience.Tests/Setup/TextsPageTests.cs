using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Setup;

/// <summary>
/// /staff/admin/texts: an admin's own words are what the real emails say (maildev), bad placeholders are refused with
/// nothing saved, reset brings the defaults back, concurrent edits do not overwrite each other, and a new wording of the
/// survey questions shows on the email survey and the kiosk while answers given before keep theirs.
/// </summary>
public partial class TextsPageTests : IAsyncLifetime
{
    // Monday 2026-11-23, 07:00 in New York.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private TestClinic clinic = null!;
    private const string Page = "/staff/admin/texts";

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(TextsPageTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        app.With("RateLimits:PublicWritePerMinute", "1000");
        clinic = await TestClinic.SeedAsync(app.Services);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static async Task<string> VersionOnAsync(HttpClient client, string kind)
    {
        var html = await client.GetStringAsync($"{Page}?kind={kind}");
        return VersionField().Match(html).Groups[1].Value;
    }

    [GeneratedRegex("name=\"version\" value=\"([^\"]+)\"")]
    private static partial Regex VersionField();

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, string kind, Dictionary<string, string> fields) =>
        await StaffSignIn.PostFormAsync(client, $"{Page}?kind={kind}", new(fields) { ["kind"] = kind }, $"{Page}?handler={handler}");

    private static async Task<HttpResponseMessage> SaveAsync(HttpClient client, string kind, string subject, string body, string? version = null) =>
        await PostAsync(client, "Save", kind, new() { ["subject"] = subject, ["body"] = body, ["version"] = version ?? await VersionOnAsync(client, kind) });

    private async Task<JsonElement> BookAndDeliverAsync(string email, string fullName, int day)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/bookings",
            clinic.Booking(TestClinic.At(2026, 12, day, 9), email, fullName));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);
        return Assert.Single(await MailDev.WaitForAsync(email));
    }

    private const string OwnBody = """
        Dear {FirstName},

        Thanks for booking with {ClinicName} <Tom & Jerry's>!

        {VisitDetails}

        {ManageLink}
        """;

    [Fact]
    public async Task The_admins_own_words_are_what_the_booking_email_says_with_values_html_encoded()
    {
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);

        var saved = await SaveAsync(admin, "confirmation", "All set: {CalendarTitle} on {When}", OwnBody);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var message = await BookAndDeliverAsync(MailDev.UniqueAddress("own-words"), "Ann O'Neil & <Co>", 1);
        Assert.Equal("All set: Clinic appointment on Tuesday, December 1, 2026 at 9:00 AM", message.GetProperty("subject").GetString());
        var text = message.GetProperty("text").GetString()!;
        Assert.Contains("Dear Ann O'Neil & <Co>,", text);
        Assert.Contains("Thanks for booking with Northside Imaging <Tom & Jerry's>!", text);
        Assert.Contains("No deodorant on the day.", text); // the visit details block, whatever the words
        Assert.Matches(@"Reschedule or cancel: http://127\.0\.0\.1:5080/manage/\S+", text);
        var html = message.GetProperty("html").GetString()!;
        Assert.Contains("Dear Ann O&#39;Neil &amp; &lt;Co&gt;,", html);
        Assert.Contains("Thanks for booking with Northside Imaging &lt;Tom &amp; Jerry&#39;s&gt;!", html);
        Assert.DoesNotContain("<Co>", html);
        Assert.DoesNotContain("Your visit is booked.", text);

        var audit = await DbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.TextChanged));
        Assert.Contains("Booking confirmation (confirmation): subject and body changed", audit.Details);
    }

    [Theory]
    [InlineData("Hello {Firstname},\n\n{VisitDetails}\n\n{ManageLink}", "body", "{Firstname}")]
    [InlineData("Hello {FirstName,\n\n{VisitDetails}\n\n{ManageLink}", "body", "without its")]
    [InlineData("Hello {FirstName},\n\n{VisitDetails}", "body", "{ManageLink}")]
    public async Task A_bad_placeholder_is_a_400_naming_the_field_and_the_placeholder_and_nothing_is_saved(string body, string field, string named)
    {
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);

        var refused = await SaveAsync(admin, "confirmation", "Booked: {CalendarTitle}", body);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Matches($"<li data-field=\"{field}\"><a href=\"#{field}\">[^<]*{Regex.Escape(named)}", html);
        Assert.Contains("Nothing was saved", html);
        Assert.Equal(0, await DbAsync(db => db.MessageTexts.CountAsync()));
        Assert.Equal(0, await DbAsync(db => db.AuditEntries.CountAsync(e => e.Action.StartsWith("texts."))));

        var subjectRefused = await SaveAsync(admin, "confirmation", "Booked: {ServiceName}", MessageKinds.Booked.DefaultBody);
        Assert.Equal(HttpStatusCode.BadRequest, subjectRefused.StatusCode);
        Assert.Contains("{ServiceName} cannot be in the subject", WebUtility.HtmlDecode(await subjectRefused.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Reset_brings_back_the_default_words_and_is_audited()
    {
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(admin, "confirmation", "All set: {When}", OwnBody)).StatusCode);
        Assert.Contains("own words", await admin.GetStringAsync($"{Page}?kind=confirmation"));

        var reset = await PostAsync(admin, "Reset", "confirmation", new() { ["version"] = await VersionOnAsync(admin, "confirmation") });

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal(0, await DbAsync(db => db.MessageTexts.CountAsync()));
        Assert.Contains("The default words.", await admin.GetStringAsync($"{Page}?kind=confirmation"));
        var message = await BookAndDeliverAsync(MailDev.UniqueAddress("reset"), "Reset Customer", 2);
        Assert.Equal("Booked: Clinic appointment, Wednesday, December 2, 2026 at 9:00 AM", message.GetProperty("subject").GetString());
        Assert.Contains("Your visit is booked.", message.GetProperty("text").GetString());
        Assert.Equal(1, await DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.TextReset)));
    }

    [Fact]
    public async Task Of_two_edits_from_the_same_form_the_second_is_told_it_changed_meanwhile_and_overwrites_nothing()
    {
        var first = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        var second = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        // Both open the default words, then the first saves twice (a row, then a change to it).
        var openedByBoth = await VersionOnAsync(first, "reminder");
        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(first, "reminder", "First: {When}", MessageKinds.Reminder.DefaultBody, openedByBoth)).StatusCode);
        var secondOpens = await VersionOnAsync(second, "reminder");
        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(first, "reminder", "First again: {When}", MessageKinds.Reminder.DefaultBody)).StatusCode);

        var late = await SaveAsync(second, "reminder", "Second: {When}", MessageKinds.Reminder.DefaultBody, openedByBoth);
        var stale = await SaveAsync(second, "reminder", "Second: {When}", MessageKinds.Reminder.DefaultBody, secondOpens);
        var staleReset = await PostAsync(second, "Reset", "reminder", new() { ["version"] = secondOpens });

        foreach (var response in new[] { late, stale, staleReset })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("Changed meanwhile", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal("First again: {When}", await DbAsync(db => db.MessageTexts.Select(t => t.Subject).SingleAsync()));
    }

    private const string Frame = "/staff/admin/texts/preview";
    private const string FramePolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox";

    private static async Task<HttpResponseMessage> PreviewDelayAsync(HttpClient client, string subject, string body) =>
        await PostAsync(client, "Preview", "delay", new() { ["subject"] = subject, ["body"] = body, ["version"] = "default" });

    [Fact]
    public async Task Preview_renders_a_sample_message_in_the_draft_words_through_the_real_builder_and_saves_nothing()
    {
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);

        var preview = await PreviewDelayAsync(admin, "Late at {LocationName} <today>",
            "Hi {FirstName} & co,\n\nAbout {Minutes} minutes: now {ExpectedTime}.\n\n{ManageLink}");

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Contains("<span id=\"preview-subject\">Late at Test Screening Center &lt;today&gt;</span>", html);
        // The HTML part is not in the page (whose CSP would unstyle it) but in a sandboxed frame with no scripts.
        Assert.Matches($@"<iframe id=""preview-html"" class=""email-frame"" sandbox title=""[^""]+""\s+src=""{Frame}\?kind=delay""></iframe>", html);
        Assert.DoesNotContain("<p>Hi Alex &amp; co,</p>", html);
        // Razor writes the text part's line breaks as &#xA;.
        Assert.Matches(@"<pre class=""email-text"" id=""preview-text"">Hi Alex & co,\n\nAbout 20 minutes: now \d+:\d\d [AP]M\.\n\nYour visit page: http://127\.0\.0\.1:5080/manage/sample-link",
            WebUtility.HtmlDecode(html));
        Assert.Contains("&lt;p&gt;Hi Alex &amp;amp; co,&lt;/p&gt;", html); // the HTML source, encoded once more for the page
        Assert.Equal(0, await DbAsync(db => db.MessageTexts.CountAsync()));
        Assert.Equal(0, await DbAsync(db => db.OutboundEmails.CountAsync()));

        var refused = await PreviewDelayAsync(admin, "{Nope}", "x");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.DoesNotContain("id=\"preview\"", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_preview_frame_answers_the_whole_sample_email_in_the_draft_words_under_a_narrow_csp_of_its_own()
    {
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await PreviewDelayAsync(admin, "Late at {LocationName}",
            "Hi {FirstName} & co,\n\nAbout {Minutes} minutes: now {ExpectedTime}.\n\n{ManageLink}")).StatusCode);

        var frame = await admin.GetAsync($"{Frame}?kind=delay");

        Assert.Equal(HttpStatusCode.OK, frame.StatusCode);
        Assert.Equal("text/html", frame.Content.Headers.ContentType!.MediaType);
        Assert.Equal(FramePolicy, Assert.Single(frame.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("SAMEORIGIN", Assert.Single(frame.Headers.GetValues("X-Frame-Options")));
        Assert.True(frame.Headers.CacheControl!.NoStore);
        var html = await frame.Content.ReadAsStringAsync();
        Assert.StartsWith(EmailHtml.Start, html); // the email's own frame, inline styles and all
        Assert.Contains("<p>Hi Alex &amp; co,</p><p>About 20 minutes: now ", html);
        Assert.Contains("style=\"", html[EmailHtml.Start.Length..]); // the button's inline style
        Assert.DoesNotContain("{", html);
        Assert.DoesNotContain("<script", html);

        // The app's own pages keep the strict policy.
        var page = await admin.GetAsync($"{Page}?kind=delay");
        Assert.Contains("style-src 'self';", Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("DENY", Assert.Single(page.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task The_preview_frame_shows_only_the_draft_this_admin_last_previewed_for_that_kind()
    {
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        var other = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);

        var none = await admin.GetAsync($"{Frame}?kind=delay");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("press Preview again", await none.Content.ReadAsStringAsync());
        Assert.Equal(FramePolicy, Assert.Single(none.Headers.GetValues("Content-Security-Policy")));

        Assert.Equal(HttpStatusCode.OK, (await PreviewDelayAsync(admin, "First draft", "Mine, {FirstName}.\n\n{ManageLink}")).StatusCode);
        // A refused draft is not previewed: the frame keeps the last good one.
        Assert.Equal(HttpStatusCode.BadRequest, (await PreviewDelayAsync(admin, "Bad", "Hello {Firstname}\n\n{ManageLink}")).StatusCode);
        Assert.Contains("Mine, Alex.", await admin.GetStringAsync($"{Frame}?kind=delay"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Frame}?kind=reminder")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Frame}?kind=nope")).StatusCode);

        // Another admin given this admin's cookie sees nothing: the draft is bound to who previewed it.
        var drafts = app.Services.GetRequiredService<TextsPreviewDrafts>();
        var previewed = SignedIn("admin-a");
        drafts.Keep(previewed, MessageKinds.Delay, new MessageTemplate("Mine", "Mine, {FirstName}.\n\n{ManageLink}"));
        var cookies = string.Join("; ", previewed.Response.Headers.SetCookie.Select(c => c!.Split(';')[0]));
        Assert.NotNull(drafts.Find(WithCookies(SignedIn("admin-a"), cookies), MessageKinds.Delay));
        Assert.Null(drafts.Find(WithCookies(SignedIn("admin-b"), cookies), MessageKinds.Delay));
        Assert.Null(drafts.Find(WithCookies(SignedIn("admin-a"), cookies.Replace("cx.preview=", "cx.preview=x")), MessageKinds.Delay));

        // Half an hour later the draft has expired.
        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Frame}?kind=delay")).StatusCode);
    }

    private DefaultHttpContext SignedIn(string staffId) => new()
    {
        User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, staffId)], "test")),
        RequestServices = app.Services,
    };

    private static DefaultHttpContext WithCookies(DefaultHttpContext http, string cookies)
    {
        http.Request.Headers.Cookie = cookies;
        return http;
    }

    [Fact]
    public async Task The_preview_post_needs_its_antiforgery_token()
    {
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);

        var forged = await admin.PostAsync($"{Page}?handler=Preview", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["kind"] = "delay", ["subject"] = "Forged", ["body"] = "Forged {FirstName}\n\n{ManageLink}", ["version"] = "default",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Frame}?kind=delay")).StatusCode);
    }

    [Fact]
    public async Task Every_kind_previews_with_its_default_words()
    {
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        foreach (var kind in MessageKinds.All)
        {
            var preview = await PostAsync(admin, "Preview", kind.Key, new() { ["subject"] = kind.DefaultSubject, ["body"] = kind.DefaultBody, ["version"] = "default" });
            var html = await preview.Content.ReadAsStringAsync();
            Assert.True(preview.StatusCode == HttpStatusCode.OK, $"{kind.Key}: {(int)preview.StatusCode}");
            Assert.Contains("id=\"preview-html\"", html);
            Assert.Contains("Alex", html);
            var frame = await admin.GetAsync($"{Frame}?kind={kind.Key}");
            Assert.True(frame.StatusCode == HttpStatusCode.OK, $"{kind.Key} frame: {(int)frame.StatusCode}");
            Assert.Contains("Alex", await frame.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData(StaffRoles.FrontDesk)]
    [InlineData(StaffRoles.Clinician)]
    public async Task Front_desk_and_clinicians_get_a_403_on_the_page_its_posts_and_its_preview_frame(string role)
    {
        var client = await StaffSignIn.ClientAsync(app, role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Page)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"{Frame}?kind=delay")).StatusCode);
        var token = await StaffSignIn.AntiforgeryTokenAsync(client, "/staff");
        var post = await client.PostAsync($"{Page}?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["kind"] = "confirmation", ["subject"] = "x", ["body"] = OwnBody, ["version"] = "default",
        }));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(0, await DbAsync(db => db.MessageTexts.CountAsync()));
    }

    [Fact]
    public async Task Managers_read_the_texts_but_every_post_and_the_preview_frame_is_a_403()
    {
        var manager = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);

        var page = await manager.GetStringAsync($"{Page}?kind=confirmation");
        Assert.Contains("only admins can change them", page);
        Assert.DoesNotContain("id=\"save-button\"", page);
        Assert.Contains("Your visit is booked.", page);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync($"{Frame}?kind=confirmation")).StatusCode);

        foreach (var handler in new[] { "Save", "Preview", "Reset" })
            Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(manager, handler, "confirmation",
                new() { ["subject"] = "Mine: {When}", ["body"] = OwnBody, ["version"] = "default" })).StatusCode);
        foreach (var handler in new[] { "SaveQuestions", "PreviewQuestions", "ResetQuestions" })
            Assert.Equal(HttpStatusCode.Forbidden, (await StaffSignIn.PostFormAsync(manager, $"{Page}?kind=survey-questions",
                new() { ["basedOn"] = "1", ["questions[booking]"] = "Mine?" }, $"{Page}?handler={handler}")).StatusCode);
        Assert.Equal(0, await DbAsync(db => db.MessageTexts.CountAsync()));
        Assert.Equal(1, await DbAsync(db => db.SurveyDefinitions.CountAsync()));
    }

    private static Dictionary<string, string> Questions(string? booking = null)
    {
        var fields = SurveyDefaults.Questions.ToDictionary(q => $"questions[{q.Key}]", q => q.Text);
        if (booking is not null) fields["questions[booking]"] = booking;
        return fields;
    }

    private static async Task<HttpResponseMessage> PostQuestionsAsync(HttpClient client, string handler, Dictionary<string, string> fields, int basedOn) =>
        await StaffSignIn.PostFormAsync(client, $"{Page}?kind=survey-questions", new(fields) { ["basedOn"] = basedOn.ToString() }, $"{Page}?handler={handler}");

    [Fact]
    public async Task A_new_wording_is_a_new_survey_version_shown_by_email_and_kiosk_while_earlier_answers_keep_theirs()
    {
        const string Reworded = "How simple was booking your visit with us?";
        var oldWording = SurveyDefaults.Questions[0].Text;
        // A response under version 1, unhappy enough to open a case that lists the questions it answered.
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        var answered = await SeedCompletedVisitAsync(14);
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.IsType<SubmitOutcome.Stored>(await scope.ServiceProvider.GetRequiredService<SurveyResponses>().SubmitAsync(new SurveySubmission(
                Guid.NewGuid(), SurveyChannel.Email, clinic.LocationId, 1, new Dictionary<string, int> { ["booking"] = 1 }, AppointmentId: answered), default));

        var preview = await PostQuestionsAsync(admin, "PreviewQuestions", Questions(Reworded + " <b>"), 1);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains($"<legend>{Reworded} &lt;b&gt;</legend>", await preview.Content.ReadAsStringAsync());
        Assert.Equal(1, await DbAsync(db => db.SurveyDefinitions.CountAsync()));

        Assert.Equal(HttpStatusCode.BadRequest, (await PostQuestionsAsync(admin, "SaveQuestions", Questions(" "), 1)).StatusCode);
        var saved = await PostQuestionsAsync(admin, "SaveQuestions", Questions(Reworded), 1);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var again = await PostQuestionsAsync(admin, "SaveQuestions", Questions("Yet another wording?"), 1);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var versions = await DbAsync(db => db.SurveyDefinitions.Include(d => d.Questions).OrderBy(d => d.Version).ToListAsync());
        Assert.Equal([1, 2], versions.Select(d => d.Version));
        Assert.Equal(oldWording, versions[0].Questions.Single(q => q.Key == "booking").Text);
        Assert.Equal(Reworded, versions[1].Questions.Single(q => q.Key == "booking").Text);
        Assert.Equal(versions[0].Questions.Where(q => q.Key != "booking").Select(q => q.Text).Order(),
            versions[1].Questions.Where(q => q.Key != "booking").Select(q => q.Text).Order());
        Assert.Contains("Survey version 2: booking reworded.", await DbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.SurveyReworded).Select(e => e.Details).SingleAsync()));

        // The email survey and the kiosk ask in the new words.
        var surveyPath = SurveyPath(await SeedCompletedVisitAsync(15));
        var survey = await app.CreateClient().GetStringAsync(surveyPath);
        Assert.Contains($"<legend>{Reworded}</legend>", survey);
        Assert.DoesNotContain(oldWording, survey);
        var kiosk = await KioskPageAsync();
        Assert.Contains(Reworded, kiosk);
        Assert.Contains("data-version=\"2\"", kiosk);

        // The case of the earlier answer still reads it against the question as it was asked.
        var manager = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);
        var number = await DbAsync(db => db.RecoveryCases.Select(c => c.Number).SingleAsync());
        var casePage = await manager.GetStringAsync($"/staff/cases/{number}");
        Assert.Contains(oldWording, casePage);
        Assert.DoesNotContain(Reworded, casePage);

        // Reset to default is one more version, with the default words.
        Assert.Equal(HttpStatusCode.Redirect, (await PostQuestionsAsync(admin, "ResetQuestions", [], 2)).StatusCode);
        var current = await DbAsync(db => db.SurveyDefinitions.Include(d => d.Questions).OrderByDescending(d => d.Version).FirstAsync());
        Assert.Equal(3, current.Version);
        Assert.Equal(oldWording, current.Questions.Single(q => q.Key == "booking").Text);
    }

    private async Task<Guid> SeedCompletedVisitAsync(int hour)
    {
        var customer = await clinic.SeedCompletedVisitAsync(app.Services, MailDev.UniqueAddress("survey-words"), new DateOnly(1970, 1, 2),
            new DateTimeOffset(2026, 11, 20, hour, 0, 0, TimeSpan.Zero));
        return await DbAsync(db => db.Appointments.Where(a => a.CustomerId == customer).Select(a => a.Id).SingleAsync());
    }

    private string SurveyPath(Guid visit) =>
        "/survey/" + app.Services.GetRequiredService<SurveyLinks>().Token(visit);

    /// <summary>The kiosk page on a tablet a manager enrolled (its client then carries only the kiosk cookie).</summary>
    private async Task<string> KioskPageAsync()
    {
        var tablet = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);
        var enrolled = await StaffSignIn.PostFormAsync(tablet, "/staff/kiosks",
            new() { ["LocationId"] = clinic.LocationId.ToString(), ["Name"] = "Exit" }, "/staff/kiosks?handler=Enrol");
        Assert.Equal(HttpStatusCode.Redirect, enrolled.StatusCode);
        return await tablet.GetStringAsync(enrolled.Headers.Location!.OriginalString);
    }
}
