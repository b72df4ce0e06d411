using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Kiosks;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Surveys;

/// <summary>
/// Kiosk enrolment on /staff/kiosks, the kiosk cookie, and the kiosk's JSON endpoint: only an enrolled, unrevoked kiosk
/// of that location with the page's antiforgery token may send; bad values are a 400 naming the field; a retried id is
/// stored once; a visit code ties the response to its visit.
/// </summary>
public partial class KioskTests : IAsyncLifetime
{
    private AppFactory app = null!;
    private TestClinic clinic = null!;
    private string slug = "";

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(KioskTests)));
        clinic = await TestClinic.SeedAsync(app.Services);
        slug = await DbAsync(db => db.Locations.Where(l => l.Id == clinic.LocationId).Select(l => l.Slug).SingleAsync());
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>A tablet a manager signed in on and enrolled: its client now carries only the kiosk cookie.</summary>
    private sealed record Tablet(HttpClient Client, string Secret, string Token);

    private async Task<Tablet> EnrolAsync(string name = "Exit kiosk")
    {
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);
        var enrolled = await StaffSignIn.PostFormAsync(client, "/staff/kiosks",
            new() { ["LocationId"] = clinic.LocationId.ToString(), ["Name"] = name }, "/staff/kiosks?handler=Enrol");
        Assert.Equal(HttpStatusCode.Redirect, enrolled.StatusCode);
        Assert.Equal($"/kiosk/{slug}", enrolled.Headers.Location!.OriginalString);
        var cookie = enrolled.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(KioskDevices.CookieName + "="));
        var secret = cookie[(KioskDevices.CookieName.Length + 1)..cookie.IndexOf(';')];
        return new Tablet(client, secret, await PageTokenAsync(client));
    }

    private async Task<string> PageTokenAsync(HttpClient client)
    {
        var page = await client.GetStringAsync($"/kiosk/{slug}");
        return WebUtility.HtmlDecode(PageToken().Match(page).Groups[1].Value);
    }

    [GeneratedRegex("data-token=\"([^\"]+)\"")]
    private static partial Regex PageToken();

    private async Task<HttpResponseMessage> PostAsync(HttpClient client, string? token, string json, string path = "responses", string? locationSlug = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/kiosk/{locationSlug ?? slug}/{path}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
            request.Headers.Add("RequestVerificationToken", token);
        return await client.SendAsync(request);
    }

    private static string Response(Guid id, string answers = """{"booking":5,"wait":4}""", string extra = "") =>
        $$"""{"id":"{{id}}","version":1,"answers":{{answers}},"seconds":21{{extra}}}""";

    private static async Task AssertFieldAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for {field}, got {errors}");
    }

    [Fact]
    public async Task Enrolling_signs_the_manager_out_sets_a_long_lived_strict_cookie_and_stores_only_its_hash()
    {
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);
        var enrolled = await StaffSignIn.PostFormAsync(client, "/staff/kiosks",
            new() { ["LocationId"] = clinic.LocationId.ToString(), ["Name"] = "Exit by the changing rooms" }, "/staff/kiosks?handler=Enrol");

        Assert.Equal(HttpStatusCode.Redirect, enrolled.StatusCode);
        var cookies = enrolled.Headers.GetValues("Set-Cookie").ToList();
        var cookie = cookies.Single(c => c.StartsWith("cx.kiosk="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/kiosk", cookie, StringComparison.OrdinalIgnoreCase);
        var expires = DateTimeOffset.Parse(Regex.Match(cookie, "expires=([^;]+)", RegexOptions.IgnoreCase).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(expires > DateTimeOffset.UtcNow.AddDays(700), $"the kiosk cookie expires {expires}");
        // The staff cookie is cleared: the tablet is no longer signed in.
        Assert.Contains(cookies, c => c.StartsWith("cx.staff=;"));
        var staffPage = await client.GetAsync("/staff/kiosks");
        Assert.Equal(HttpStatusCode.Redirect, staffPage.StatusCode);
        Assert.StartsWith("/signin", staffPage.Headers.Location!.OriginalString);

        var secret = cookie["cx.kiosk=".Length..cookie.IndexOf(';')];
        Assert.True(Base64UrlLength(secret) >= 32);
        var kiosk = await DbAsync(db => db.Kiosks.SingleAsync());
        Assert.Equal(KioskDevices.Hash(secret), kiosk.TokenHash);
        Assert.NotEqual(secret, kiosk.TokenHash);
        Assert.Equal("Exit by the changing rooms", kiosk.Name);
        Assert.Equal(clinic.LocationId, kiosk.LocationId);
        var audit = await DbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.KioskEnrolled));
        Assert.Equal(kiosk.EnrolledById, audit.StaffUserId);
        Assert.Contains("Exit by the changing rooms", audit.Details);

        // The kiosk page shows the questions from the survey definition.
        var page = await client.GetStringAsync($"/kiosk/{slug}");
        Assert.Contains("How easy was it to book your visit?", page);
        Assert.Contains("How likely are you to recommend us to a friend or family member?", page);
        Assert.NotNull(await DbAsync(db => db.Kiosks.Select(k => k.LastSeenAt).SingleAsync()));
    }

    private static int Base64UrlLength(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text).Length;

    [Fact]
    public async Task A_browser_without_a_kiosk_cookie_or_with_a_forged_one_gets_no_survey_and_the_endpoint_refuses_it()
    {
        var stranger = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await stranger.GetAsync($"/kiosk/{slug}");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("This screen is not set up", html);
        Assert.DoesNotContain("How easy was it to book", html);
        Assert.DoesNotContain("data-token", html);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(stranger, "whatever", Response(Guid.NewGuid()))).StatusCode);

        var forger = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        forger.DefaultRequestHeaders.Add("Cookie", "cx.kiosk=" + System.Buffers.Text.Base64Url.EncodeToString(new byte[32]));
        Assert.DoesNotContain("How easy was it to book", await (await forger.GetAsync($"/kiosk/{slug}")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(forger, "whatever", Response(Guid.NewGuid()))).StatusCode);
        Assert.Equal(404, (int)(await stranger.GetAsync("/kiosk/no-such-location")).StatusCode);
        Assert.Equal(0, await DbAsync(db => db.SurveyResponses.CountAsync()));
    }

    [Fact]
    public async Task A_revoked_kiosk_is_refused_at_once_and_its_page_says_it_is_not_set_up()
    {
        var tablet = await EnrolAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(tablet.Client, tablet.Token, Response(Guid.NewGuid()))).StatusCode);

        var kiosk = await DbAsync(db => db.Kiosks.SingleAsync());
        var manager = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);
        var revoked = await StaffSignIn.PostFormAsync(manager, "/staff/kiosks", new(), $"/staff/kiosks?handler=Revoke&id={kiosk.Id}");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Contains("data-revoked=\"true\"", await manager.GetStringAsync("/staff/kiosks"));
        Assert.Equal(1, await DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.KioskRevoked)));

        var refused = await PostAsync(tablet.Client, tablet.Token, Response(Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("not set up", await refused.Content.ReadAsStringAsync());
        var page = await tablet.Client.GetAsync($"/kiosk/{slug}");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("This screen is not set up", html);
        Assert.DoesNotContain("How easy was it to book", html);
        Assert.Equal(1, await DbAsync(db => db.SurveyResponses.CountAsync()));
    }

    [Fact]
    public async Task A_kiosk_of_another_location_gets_no_survey_here()
    {
        var tablet = await EnrolAsync();
        var other = await TestClinic.SeedAsync(app.Services);
        var otherSlug = await DbAsync(db => db.Locations.Where(l => l.Id == other.LocationId).Select(l => l.Slug).SingleAsync());

        var page = await tablet.Client.GetAsync($"/kiosk/{otherSlug}");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.DoesNotContain("How easy was it to book", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(tablet.Client, tablet.Token, Response(Guid.NewGuid()), locationSlug: otherSlug)).StatusCode);
    }

    [Fact]
    public async Task A_send_without_the_pages_antiforgery_token_is_refused_with_a_reload_problem()
    {
        var tablet = await EnrolAsync();
        foreach (var token in new[] { null, "forged" })
        {
            var refused = await PostAsync(tablet.Client, token, Response(Guid.NewGuid()));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains(KioskEndpoints.ReloadProblemType, await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(0, await DbAsync(db => db.SurveyResponses.CountAsync()));
    }

    [Fact]
    public async Task Bad_values_are_a_400_naming_the_field_and_nothing_is_stored()
    {
        var tablet = await EnrolAsync();
        var id = Guid.NewGuid();
        var cases = new (string Json, string Field)[]
        {
            (Response(id, """{"booking":6}"""), "answers.booking"),
            (Response(id, """{"recommend":11}"""), "answers.recommend"),
            (Response(id, """{"booking":0}"""), "answers.booking"),
            (Response(id, """{"booking":"five"}"""), "answers.booking"),
            (Response(id, """{"booking":4.5}"""), "answers.booking"),
            (Response(id, """{"parking":3}"""), "answers.parking"),
            (Response(id, "{}"), "answers"),
            (Response(id, extra: $$""","comment":"{{new string('x', 10 * 1024)}}" """), "comment"),
            (Response(id, extra: ""","visitCode":"12ab56" """), "visitCode"),
            (Response(id, extra: ""","seconds":-4"""), "seconds"),
            (Response(id, extra: ""","contactRequested":"yes" """), "contactRequested"),
            (Response(id, extra: ""","favouriteColour":"blue" """), "favouriteColour"),
            ("""{"version":1,"answers":{"booking":5}}""", "id"),
            ("""{"id":"not-a-uuid","version":1,"answers":{"booking":5}}""", "id"),
            ($$$"""{"id":"{{{id}}}","answers":{"booking":5}}""", "version"),
            ($$$"""{"id":"{{{id}}}","version":99,"answers":{"booking":5}}""", "version"),
            ("{\"id\":", "body"),
            ("[1,2]", "body"),
            ("null", "body"),
        };
        foreach (var (json, field) in cases)
            await AssertFieldAsync(await PostAsync(tablet.Client, tablet.Token, json), field);

        var notJson = new HttpRequestMessage(HttpMethod.Post, $"/kiosk/{slug}/responses") { Content = new StringContent("booking=5", Encoding.UTF8, "application/x-www-form-urlencoded") };
        notJson.Headers.Add("RequestVerificationToken", tablet.Token);
        await AssertFieldAsync(await tablet.Client.SendAsync(notJson), "body");
        await AssertFieldAsync(await PostAsync(tablet.Client, tablet.Token, $$"""{"id":"{{id}}","version":1,"answers":{"booking":5},"comment":"{{new string('y', 20 * 1024)}}"}"""), "body");
        await AssertFieldAsync(await PostAsync(tablet.Client, tablet.Token, """{"code":"12345"}""", "visit-code"), "code");

        Assert.Equal(0, await DbAsync(db => db.SurveyResponses.CountAsync()));
    }

    [Fact]
    public async Task A_retried_id_is_stored_once_as_a_kiosk_response_of_this_kiosk_and_location()
    {
        var tablet = await EnrolAsync();
        var id = Guid.NewGuid();
        var json = Response(id, """{"booking":5,"reminders":4,"recommend":10}""", ""","comment":"Lovely staff.","partial":true""");

        var first = await PostAsync(tablet.Client, tablet.Token, json);
        var again = await PostAsync(tablet.Client, tablet.Token, json);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("\"stored\"", await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("already-stored", await again.Content.ReadAsStringAsync());
        var stored = await DbAsync(db => db.SurveyResponses.Include(r => r.Answers).SingleAsync());
        var kiosk = await DbAsync(db => db.Kiosks.SingleAsync());
        Assert.Equal(id, stored.Id);
        Assert.Equal(SurveyChannel.Kiosk, stored.Channel);
        Assert.Equal(kiosk.Id, stored.KioskId);
        Assert.Equal(clinic.LocationId, stored.LocationId);
        Assert.Null(stored.AppointmentId);
        Assert.True(stored.IsPartial);
        Assert.Equal("Lovely staff.", stored.Comment);
        Assert.Equal(21, stored.DurationSeconds);
        Assert.Equal(["booking:5", "recommend:10", "reminders:4"], stored.Answers.Select(a => $"{a.QuestionKey}:{a.Score}").Order());
    }

    [Fact]
    public async Task A_visit_code_ties_the_response_to_the_visit_and_a_wrong_one_stores_it_anonymously()
    {
        var tablet = await EnrolAsync();
        var visitId = await SeedVisitWithCodeAsync("482913", DateTimeOffset.UtcNow.AddHours(-1));
        await SeedVisitWithCodeAsync("777777", DateTimeOffset.UtcNow.AddDays(-KioskDevices.VisitCodeDays - 1));

        Assert.Contains("\"found\":true", await (await PostAsync(tablet.Client, tablet.Token, """{"code":"482913"}""", "visit-code")).Content.ReadAsStringAsync());
        Assert.Contains("\"found\":false", await (await PostAsync(tablet.Client, tablet.Token, """{"code":"111111"}""", "visit-code")).Content.ReadAsStringAsync());
        Assert.Contains("\"found\":false", await (await PostAsync(tablet.Client, tablet.Token, """{"code":"777777"}""", "visit-code")).Content.ReadAsStringAsync());

        var linked = Guid.NewGuid();
        var reply = await PostAsync(tablet.Client, tablet.Token, Response(linked, extra: ""","visitCode":"482913" """));
        Assert.Contains("\"visitLinked\":true", await reply.Content.ReadAsStringAsync());
        var response = await DbAsync(db => db.SurveyResponses.SingleAsync(r => r.Id == linked));
        Assert.Equal(visitId, response.AppointmentId);
        Assert.NotNull(response.CustomerId);

        // The visit is answered now: its code finds nothing more, and a second response with it is stored anonymously.
        Assert.Contains("\"found\":false", await (await PostAsync(tablet.Client, tablet.Token, """{"code":"482913"}""", "visit-code")).Content.ReadAsStringAsync());
        var second = Guid.NewGuid();
        Assert.Contains("\"visitLinked\":false", await (await PostAsync(tablet.Client, tablet.Token, Response(second, extra: ""","visitCode":"482913" """))).Content.ReadAsStringAsync());
        Assert.Null((await DbAsync(db => db.SurveyResponses.SingleAsync(r => r.Id == second))).AppointmentId);
    }

    private async Task<Guid> SeedVisitWithCodeAsync(string code, DateTimeOffset completed)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = "Kiosk Customer", Email = MailDev.UniqueAddress("kiosk"),
            DateOfBirth = new DateOnly(1970, 1, 2), CreatedAt = completed,
        };
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = clinic.ServiceId, LocationId = clinic.LocationId,
            ResourceId = clinic.RoomId, CreatedAt = completed.AddDays(-10),
        };
        visit.Schedule(completed.AddMinutes(-30), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
        visit.CheckIn(completed.AddMinutes(-35));
        visit.Complete(completed);
        visit.GiveVisitCode(code);
        db.AddRange(customer, visit);
        await db.SaveChangesAsync();
        return visit.Id;
    }

    [Fact]
    public async Task An_enrolment_link_enrols_the_device_that_opens_it_once_and_a_tampered_one_does_nothing()
    {
        var manager = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);
        var made = await StaffSignIn.PostFormAsync(manager, "/staff/kiosks",
            new() { ["LocationId"] = clinic.LocationId.ToString(), ["Name"] = "Hallway tablet" }, "/staff/kiosks?handler=Link");
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var html = await made.Content.ReadAsStringAsync();
        var link = new Uri(WebUtility.HtmlDecode(Regex.Match(html, "id=\"enrolment-link\" href=\"([^\"]+)\"").Groups[1].Value));
        Assert.Contains("id=\"enrolment-qr\"", html);
        Assert.Equal(0, await DbAsync(db => db.Kiosks.CountAsync()));

        var tablet = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var ask = await tablet.GetStringAsync(link.PathAndQuery);
        Assert.Contains("Use this device as the kiosk of Test Screening Center", ask);
        Assert.Equal(0, await DbAsync(db => db.Kiosks.CountAsync()));
        var enrolled = await StaffSignIn.PostFormAsync(tablet, link.PathAndQuery, new());
        Assert.Equal(HttpStatusCode.Redirect, enrolled.StatusCode);
        Assert.Equal($"/kiosk/{slug}", enrolled.Headers.Location!.OriginalString);
        Assert.Contains("How easy was it to book", await tablet.GetStringAsync($"/kiosk/{slug}"));
        var kiosk = await DbAsync(db => db.Kiosks.SingleAsync());
        Assert.Equal("Hallway tablet", kiosk.Name);
        Assert.Contains("through an enrolment link", (await DbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.KioskEnrolled))).Details);

        // Single use: a second device gets "already used" and no cookie.
        var second = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var used = await second.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, used.StatusCode);
        Assert.Contains("already used", await used.Content.ReadAsStringAsync());
        Assert.Equal(1, await DbAsync(db => db.Kiosks.CountAsync()));

        var tampered = link.PathAndQuery[..^3] + (link.PathAndQuery.EndsWith("AAA") ? "BBB" : "AAA");
        var bad = await second.GetAsync(tampered);
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        Assert.Contains("does not work", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await second.GetAsync("/kiosk-setup/demo-anything")).StatusCode);
    }

    [Fact]
    public async Task Only_managers_and_admins_open_the_kiosks_page()
    {
        var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await anonymous.GetAsync("/staff/kiosks");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith("/signin", signIn.Headers.Location!.OriginalString);

        foreach (var role in new[] { StaffRoles.FrontDesk, StaffRoles.Clinician })
        {
            var client = await StaffSignIn.ClientAsync(app, role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/staff/kiosks")).StatusCode);
            var post = await client.PostAsync("/staff/kiosks?handler=Enrol", new FormUrlEncodedContent(new Dictionary<string, string> { ["LocationId"] = clinic.LocationId.ToString(), ["Name"] = "x" }));
            Assert.NotEqual(HttpStatusCode.Redirect, post.StatusCode);
        }
        foreach (var role in new[] { StaffRoles.Manager, StaffRoles.Admin })
        {
            var client = await StaffSignIn.ClientAsync(app, role);
            var page = await client.GetAsync("/staff/kiosks");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Use this device as the kiosk of Test Screening Center", await page.Content.ReadAsStringAsync());
        }
        Assert.Equal(0, await DbAsync(db => db.Kiosks.CountAsync()));
    }

    [Fact]
    public async Task Enrolment_without_a_name_is_a_400_on_the_page()
    {
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);
        var refused = await StaffSignIn.PostFormAsync(client, "/staff/kiosks",
            new() { ["LocationId"] = clinic.LocationId.ToString(), ["Name"] = "  " }, "/staff/kiosks?handler=Enrol");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Give the kiosk a name", await refused.Content.ReadAsStringAsync());
        var noPlace = await StaffSignIn.PostFormAsync(client, "/staff/kiosks",
            new() { ["LocationId"] = Guid.NewGuid().ToString(), ["Name"] = "Exit" }, "/staff/kiosks?handler=Enrol");
        Assert.Equal(HttpStatusCode.BadRequest, noPlace.StatusCode);
        Assert.Equal(0, await DbAsync(db => db.Kiosks.CountAsync()));
    }

    [Fact]
    public async Task The_endpoint_is_rate_limited_per_client()
    {
        await using var limited = new AppFactory(await TestDatabases.CreateAsync(nameof(KioskTests) + "Limit")).With("RateLimits:KioskPerMinute", "3");
        var client = limited.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await client.PostAsync($"/kiosk/{slug}/responses", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
