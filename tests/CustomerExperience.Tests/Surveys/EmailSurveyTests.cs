using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Surveys;

/// <summary>The email survey page /survey/{token}, as a browser without JavaScript uses it.</summary>
public partial class EmailSurveyTests : IAsyncLifetime
{
    // Wednesday 25 November 2026, 09:00 in New York; the visits below complete at 09:30.
    private static readonly DateTimeOffset VisitStart = new(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Completed = VisitStart.AddMinutes(30);
    private readonly FakeTimeProvider clock = new(Completed.AddHours(3));
    private AppFactory app = null!;
    private TestClinic clinic = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(EmailSurveyTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        app.With("RateLimits:PublicWritePerMinute", "1000");
        clinic = await TestClinic.SeedAsync(app.Services);
        client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private int visitsSeeded;

    /// <summary>A completed visit, checked in by one staff member and performed by another; returns its survey path.</summary>
    private async Task<(Guid Visit, string Path)> SeedVisitAsync(string? checkedInBy = "Sam Front", string? performedBy = "Dana Tech")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var staff = new Dictionary<string, string>();
        string? Staff(string? name)
        {
            if (name is null) return null;
            if (staff.TryGetValue(name, out var known)) return known;
            var user = new StaffUser { Id = Guid.NewGuid().ToString(), UserName = $"{Guid.NewGuid():N}@staff.test", DisplayName = name, CreatedAt = VisitStart };
            db.Users.Add(user);
            return staff[name] = user.Id;
        }
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = "Survey Customer", Email = MailDev.UniqueAddress("survey"),
            DateOfBirth = new DateOnly(1970, 1, 2), CreatedAt = VisitStart,
        };
        // Each visit in its own hour, so the room is never double-booked.
        var start = VisitStart.AddHours(-++visitsSeeded);
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = clinic.ServiceId, LocationId = clinic.LocationId,
            ResourceId = clinic.RoomId, CreatedAt = start.AddDays(-7),
        };
        visit.Schedule(start, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
        visit.CheckIn(start, Staff(checkedInBy));
        visit.Complete(Completed, Staff(performedBy));
        db.Customers.Add(customer);
        db.Appointments.Add(visit);
        await db.SaveChangesAsync();
        return (visit.Id, "/survey/" + scope.ServiceProvider.GetRequiredService<SurveyLinks>().Token(visit.Id));
    }

    private static Dictionary<string, string> AllGood() => new()
    {
        ["answers[booking]"] = "5", ["answers[reminders]"] = "4", ["answers[welcome]"] = "5", ["answers[wait]"] = "4",
        ["answers[explained]"] = "5", ["answers[comfort]"] = "5", ["answers[recommend]"] = "10",
    };

    /// <summary>Shows the form, then sends it with <paramref name="fields"/> and the form's own hidden fields.</summary>
    private async Task<(HttpResponseMessage Response, string Html)> AnswerAsync(string path, Dictionary<string, string> fields,
        TimeSpan? answering = null, bool withAntiforgery = true, bool withStarted = true)
    {
        var form = await client.GetStringAsync(path);
        var posted = new Dictionary<string, string>(fields);
        if (withAntiforgery) posted.TryAdd("__RequestVerificationToken", AntiforgeryField().Match(form).Groups[1].Value);
        if (withStarted) posted.TryAdd("started", StartedField().Match(form).Groups[1].Value);
        clock.Advance(answering ?? TimeSpan.FromSeconds(20));
        var response = await client.PostAsync(path, new FormUrlEncodedContent(posted));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<SurveyResponse>> ResponsesAsync(Guid visit)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.AsNoTracking()
            .Include(r => r.Answers).Where(r => r.AppointmentId == visit).ToListAsync();
    }

    [Fact]
    public async Task The_form_names_the_visit_and_its_care_team_and_asks_seven_optional_questions()
    {
        var (_, path) = await SeedVisitAsync();

        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Screening mammogram", html);
        Assert.Contains("Test Screening Center", html);
        Assert.Contains("Wednesday, November 25", html);
        Assert.Contains("Dana Tech (performed your visit) and Sam Front (checked you in)", html);
        Assert.Equal(7, Regex.Matches(html, "<fieldset ").Count);
        Assert.Equal(6 * 5 + 11, Regex.Matches(html, "type=\"radio\"").Count);
        Assert.Contains(">Very poor</span>", html);
        Assert.Contains(">Very good</span>", html);
        Assert.Contains("0 = Not at all likely", html);
        Assert.Contains("10 = Extremely likely", html);
        Assert.DoesNotContain("required", html);
        Assert.Contains("maxlength=\"2000\"", html);
        Assert.Contains("Please contact me about this", html);
        Assert.Contains("no-referrer", response.Headers.GetValues("Referrer-Policy"));
    }

    [Fact]
    public async Task The_care_team_line_names_only_who_is_known()
    {
        var (_, none) = await SeedVisitAsync(checkedInBy: null, performedBy: null);
        var (_, same) = await SeedVisitAsync(checkedInBy: "Alex Both", performedBy: "Alex Both");
        var (_, onlyIn) = await SeedVisitAsync(checkedInBy: "Sam Front", performedBy: null);

        Assert.DoesNotContain("Care team", await client.GetStringAsync(none));
        Assert.Contains("Alex Both (checked you in and performed your visit)", await client.GetStringAsync(same));
        Assert.Contains("<dd id=\"care-team\">Sam Front (checked you in)</dd>", await client.GetStringAsync(onlyIn));
    }

    [Fact]
    public async Task A_submission_is_stored_once_with_channel_email_and_the_time_it_took()
    {
        var (visit, path) = await SeedVisitAsync();
        var fields = AllGood();
        fields.Remove("answers[wait]"); // skipped
        fields["comment"] = "Lovely staff.\r\nThank you.";

        var (response, html) = await AnswerAsync(path, fields, answering: TimeSpan.FromSeconds(24));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Thank you</h1>", html);
        Assert.DoesNotContain("will be in touch", html);
        var stored = Assert.Single(await ResponsesAsync(visit));
        Assert.Equal(SurveyChannel.Email, stored.Channel);
        Assert.Equal(clinic.LocationId, stored.LocationId);
        Assert.Equal(1, stored.DefinitionVersion);
        Assert.Equal(24, stored.DurationSeconds);
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromSeconds(24), stored.StartedAt);
        Assert.False(stored.IsPartial);
        Assert.False(stored.ContactRequested);
        Assert.Equal("Lovely staff.\nThank you.", stored.Comment);
        Assert.Equal(
            new[] { ("booking", 5), ("comfort", 5), ("explained", 5), ("recommend", 10), ("reminders", 4), ("welcome", 5) },
            stored.Answers.OrderBy(a => a.QuestionKey).Select(a => (a.QuestionKey, a.Score)));
    }

    [Fact]
    public async Task An_unhappy_answer_or_contact_me_opens_a_case_and_the_thank_you_says_someone_will_be_in_touch()
    {
        var (low, lowPath) = await SeedVisitAsync();
        var (contact, contactPath) = await SeedVisitAsync();
        var unhappy = AllGood();
        unhappy["answers[wait]"] = "1";
        var happyButCall = new Dictionary<string, string>(AllGood()) { ["contact"] = "true" };

        var (_, lowHtml) = await AnswerAsync(lowPath, unhappy);
        var (_, contactHtml) = await AnswerAsync(contactPath, happyButCall);

        Assert.Contains("Someone from Test Screening Center will be in touch with you soon", lowHtml);
        Assert.Contains("Someone from Test Screening Center will be in touch with you soon", contactHtml);
        Assert.True(Assert.Single(await ResponsesAsync(contact)).ContactRequested);
        await using var scope = app.Services.CreateAsyncScope();
        var cases = await scope.ServiceProvider.GetRequiredService<AppDbContext>().RecoveryCases.AsNoTracking()
            .Where(c => c.AppointmentId == low || c.AppointmentId == contact).ToListAsync();
        Assert.Equal(2, cases.Count);
    }

    [Fact]
    public async Task A_second_submission_or_visit_says_already_answered_and_stores_nothing_more()
    {
        var (visit, path) = await SeedVisitAsync();
        var form = await client.GetStringAsync(path);
        var fields = new Dictionary<string, string>(AllGood())
        {
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups[1].Value,
            ["started"] = StartedField().Match(form).Groups[1].Value,
        };
        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(path, new FormUrlEncodedContent(fields))).StatusCode);

        var again = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["answers[wait]"] = "1" }));
        var revisit = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Already answered — thank you", await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, revisit.StatusCode);
        var html = await revisit.Content.ReadAsStringAsync();
        Assert.Contains("Already answered — thank you", html);
        Assert.DoesNotContain("<form", html);
        var stored = Assert.Single(await ResponsesAsync(visit));
        Assert.Equal(4, stored.Answers.Single(a => a.QuestionKey == "wait").Score);
    }

    [Fact]
    public async Task Thirty_days_after_the_visit_the_link_answers_410_with_the_clinics_phone_and_takes_no_answers()
    {
        var (visit, path) = await SeedVisitAsync();
        var form = await client.GetStringAsync(path);
        clock.SetUtcNow(Completed + TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);

        clock.SetUtcNow(Completed + TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        var get = await client.GetAsync(path);
        var post = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>(AllGood())
        {
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups[1].Value,
            ["started"] = StartedField().Match(form).Groups[1].Value,
        }));

        Assert.Equal(HttpStatusCode.Gone, get.StatusCode);
        var html = await get.Content.ReadAsStringAsync();
        Assert.Contains("This survey has closed", html);
        Assert.Contains("href=\"tel:&#x2B;12125550100\"", html); // + is encoded in attributes
        Assert.DoesNotContain("<form", html);
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.Empty(await ResponsesAsync(visit));
    }

    [Fact]
    public async Task A_tampered_or_unknown_link_is_the_404_page()
    {
        var (_, path) = await SeedVisitAsync();
        string unknownVisit, notCompleted;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var links = scope.ServiceProvider.GetRequiredService<SurveyLinks>();
            unknownVisit = "/survey/" + links.Token(Guid.NewGuid());
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var booked = new Appointment
            {
                Id = Guid.CreateVersion7(), CustomerId = await db.Customers.Select(c => c.Id).FirstAsync(), ServiceId = clinic.ServiceId,
                LocationId = clinic.LocationId, ResourceId = clinic.RoomId, CreatedAt = VisitStart,
            };
            booked.Schedule(VisitStart.AddDays(3), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
            db.Appointments.Add(booked);
            await db.SaveChangesAsync();
            notCompleted = "/survey/" + links.Token(booked.Id);
        }
        var tampered = path[..^4] + (path.EndsWith("aaaa") ? "bbbb" : "aaaa");

        foreach (var bad in new[] { tampered, unknownVisit, notCompleted, "/survey/not-a-real-link" })
        {
            var get = await client.GetAsync(bad);
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
            Assert.Contains("Page not found", await get.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(bad, new FormUrlEncodedContent(AllGood()))).StatusCode);
        }
    }

    [Fact]
    public async Task A_link_made_before_the_survey_existed_still_opens()
    {
        var (visit, _) = await SeedVisitAsync();
        // What the after-visit email made before the survey code moved: the visit under the same protector purpose.
        var old = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CustomerExperience.Survey.v1").Protect(visit.ToString("N"));

        var response = await client.GetAsync($"/survey/{old}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("How did we do?", await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string, string> BadValues => new()
    {
        // field sent, value, the field the page names, what it says
        { "answers[booking]", "6", "booking", "Choose an answer from 1 to 5" },
        { "answers[booking]", "0", "booking", "Choose an answer from 1 to 5" },
        { "answers[recommend]", "11", "recommend", "Choose an answer from 0 to 10" },
        { "answers[recommend]", "-1", "recommend", "Choose one of the answers" },
        { "answers[wait]", "good", "wait", "Choose one of the answers" },
        { "answers[wait]", "4.5", "wait", "Choose one of the answers" },
        { "answers[parking]", "3", "parking", "is not a question of this survey" },
        { "comment", new string('x', 10 * 1024), "comment", "Please keep the comment under 2000 characters" },
        { "contact", "maybe", "contact", "or leave it empty" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_is_a_400_naming_the_field_keeping_the_other_answers_and_storing_nothing(
        string field, string value, string named, string says)
    {
        var (visit, path) = await SeedVisitAsync();
        var fields = new Dictionary<string, string>
        {
            ["answers[welcome]"] = "4", ["answers[explained]"] = "2", ["comment"] = "Kept comment", [field] = value,
        };

        var (response, html) = await AnswerAsync(path, fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"data-field=\"{named}\"", html);
        Assert.Contains(says, html);
        Assert.Contains("name=\"answers[welcome]\" value=\"4\" checked=\"checked\"", html);
        Assert.Contains("name=\"answers[explained]\" value=\"2\" checked=\"checked\"", html);
        Assert.Contains(field == "comment" ? "xxxxxxxx</textarea>" : ">Kept comment</textarea>", html);
        Assert.Empty(await ResponsesAsync(visit));

        // The re-shown form (with its fresh hidden fields) goes through once the value is fixed.
        fields.Remove(field);
        var (fixedResponse, _) = await AnswerAsync(path, fields);
        Assert.Equal(HttpStatusCode.OK, fixedResponse.StatusCode);
        Assert.Single(await ResponsesAsync(visit));
    }

    [Fact]
    public async Task A_form_without_its_started_or_antiforgery_field_or_with_a_forged_one_is_a_400_and_stores_nothing()
    {
        var (visit, path) = await SeedVisitAsync();

        var (noStarted, noStartedHtml) = await AnswerAsync(path, AllGood(), withStarted: false);
        var (forged, forgedHtml) = await AnswerAsync(path, new Dictionary<string, string>(AllGood()) { ["started"] = "0" });
        var (noAntiforgery, noAntiforgeryHtml) = await AnswerAsync(path, AllGood(), withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, noStarted.StatusCode);
        Assert.Contains("data-field=\"started\"", noStartedHtml);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("data-field=\"started\"", forgedHtml);
        Assert.Equal(HttpStatusCode.BadRequest, noAntiforgery.StatusCode);
        Assert.Contains("data-field=\"form\"", noAntiforgeryHtml);
        Assert.Contains("name=\"answers[recommend]\" value=\"10\" checked=\"checked\"", noAntiforgeryHtml);
        Assert.Empty(await ResponsesAsync(visit));
    }

    [Fact]
    public async Task A_form_left_open_for_hours_is_stored_without_a_time_to_complete()
    {
        var (visit, path) = await SeedVisitAsync();

        var (response, _) = await AnswerAsync(path, AllGood(), answering: TimeSpan.FromHours(5));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await ResponsesAsync(visit));
        Assert.Null(stored.StartedAt);
        Assert.Null(stored.DurationSeconds);
    }

    [Fact]
    public async Task The_survey_is_rate_limited_per_client_address()
    {
        var (_, path) = await SeedVisitAsync();
        await using var limited = new AppFactory(app.ConnectionString)
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        }.With("RateLimits:PublicWritePerMinute", "2");
        var limitedClient = limited.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await limitedClient.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await limitedClient.GetAsync(path)).StatusCode);
        var refused = await limitedClient.PostAsync(path, new FormUrlEncodedContent(AllGood()));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many requests", await refused.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"started\" value=\"([^\"]+)\"")]
    private static partial Regex StartedField();
}
