using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Booking;

/// <summary>The server-rendered booking and manage pages, as a browser without JavaScript uses them.</summary>
public partial class BookingPagesTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private HttpClient client = null!;
    private TestClinic clinic = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(BookingPagesTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        app.With("RateLimits:PublicWritePerMinute", "1000");
        client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        clinic = await TestClinic.SeedAsync(app.Services);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private string DetailsUrl(string start) =>
        $"/book/details?serviceId={clinic.ServiceId}&locationId={clinic.LocationId}&start={Uri.EscapeDataString(start)}";

    private async Task<string> AntiforgeryTokenAsync(string url)
    {
        var html = await client.GetStringAsync(url);
        return TokenField().Match(html).Groups[1].Value;
    }

    private async Task<HttpResponseMessage> PostDetailsAsync(string start, Dictionary<string, string> fields, bool withToken = true)
    {
        var url = DetailsUrl(start);
        var form = new Dictionary<string, string>(fields)
        {
            ["serviceId"] = clinic.ServiceId.ToString(),
            ["locationId"] = clinic.LocationId.ToString(),
            ["start"] = start,
        };
        if (withToken) form["__RequestVerificationToken"] = await AntiforgeryTokenAsync(url);
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    private static Dictionary<string, string> Details(string email, string fullName = "Zoë Test") => new()
    {
        ["fullName"] = fullName, ["preferredName"] = "Zo", ["email"] = email, ["phone"] = "(212) 555-0101", ["dateOfBirth"] = "1975-06-07",
    };

    private async Task<(int Appointments, int Emails)> CountsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (await db.Appointments.CountAsync(), await db.OutboundEmails.CountAsync());
    }

    [Fact]
    public async Task The_time_page_marks_days_without_times_and_links_each_time_to_the_details_step()
    {
        var html = await client.GetStringAsync($"/book/time?serviceId={clinic.ServiceId}&locationId={clinic.LocationId}&from=2026-11-28");

        Assert.Contains("Sat Nov 28<span class=\"count\">No times</span>", html);
        Assert.Contains("Sun Nov 29<span class=\"count\">No times</span>", html);
        Assert.Contains("Times on Monday, November 30", html);
        Assert.Contains("start=2026-11-30T08%3A00%3A00-05%3A00", html);
    }

    [Fact]
    public async Task Booking_through_the_form_redirects_to_the_manage_page_and_queues_one_confirmation()
    {
        var response = await PostDetailsAsync("2026-12-01T09:00:00-05:00", Details(MailDev.UniqueAddress("form")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Matches("^/manage/[A-Za-z0-9_-]{43}\\?booked=1$", location);
        var manage = await client.GetAsync(location);
        var html = WebUtility.HtmlDecode(await manage.Content.ReadAsStringAsync());
        Assert.Contains("You're booked", html);
        Assert.Contains("Tuesday, December 1, 2026 at 9:00 AM", html);
        Assert.Equal("no-referrer", manage.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(manage.Headers.CacheControl!.NoStore);
        Assert.Equal((1, 1), await CountsAsync());
    }

    [Fact]
    public async Task A_daughter_booking_with_her_mothers_email_sees_nothing_of_the_mother_and_changes_nothing()
    {
        var email = MailDev.UniqueAddress("family");
        var mother = await clinic.SeedCompletedVisitAsync(app.Services, email, new DateOnly(1958, 2, 3), new DateTimeOffset(2026, 1, 15, 14, 0, 0, TimeSpan.Zero));

        // Before the mother's coverage date (2027-01-15): nothing says "not covered", nothing names the mother.
        var response = await PostDetailsAsync("2026-12-01T09:00:00-05:00", Details(email, "Daisy Customer"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = WebUtility.HtmlDecode(await (await client.GetAsync(response.Headers.Location!.ToString())).Content.ReadAsStringAsync());
        Assert.Contains("You're booked", html);
        Assert.DoesNotContain("Rita", html);
        Assert.DoesNotContain("Returning Customer", html);
        Assert.DoesNotContain("2027", html);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var mum = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == mother);
        Assert.Equal(("Returning Customer", "Rita", null, new DateOnly(1958, 2, 3)), (mum.FullName, mum.PreferredName, mum.Phone, mum.DateOfBirth));
        var daughter = await db.Customers.AsNoTracking().SingleAsync(c => c.NormalizedEmail == email && c.Id != mother);
        Assert.Equal(daughter.Id, (await db.Appointments.AsNoTracking().SingleAsync(a => a.Status == AppointmentStatus.Booked)).CustomerId);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_rejected()
    {
        var response = await PostDetailsAsync("2026-12-01T09:00:00-05:00", Details(MailDev.UniqueAddress("csrf")), withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Theory]
    [InlineData("fullName", "Zoë\r\nBcc: someone@example.com", "cannot contain line breaks")]
    [InlineData("fullName", "", "Enter your full name")]
    [InlineData("email", "not-an-email", "Enter an email address like")]
    [InlineData("dateOfBirth", "31/12/1970", "Enter your date of birth")]
    [InlineData("phone", "12", "at least 7 digits")]
    public async Task Bad_details_come_back_with_a_clear_message_and_the_other_fields_kept(string field, string value, string message)
    {
        var fields = Details(MailDev.UniqueAddress("badform"));
        fields[field] = value;
        fields["fullName"] = field == "fullName" ? value : "Kept Name";

        var response = await PostDetailsAsync("2026-12-01T09:00:00-05:00", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, WebUtility.HtmlDecode(html));
        Assert.Contains("aria-invalid=\"true\"", html);
        if (field != "fullName") Assert.Contains("value=\"Kept Name\"", html);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task A_taken_time_shows_the_nearest_alternatives_and_keeps_the_details()
    {
        await PostDetailsAsync("2026-12-01T09:00:00-05:00", Details(MailDev.UniqueAddress("first")));

        var response = await PostDetailsAsync("2026-12-01T09:00:00-05:00", Details(MailDev.UniqueAddress("second"), "Second Person"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("That time was just taken", html);
        Assert.Equal(3, AlternativeButton().Matches(html).Count);
        Assert.Contains("value=\"Second Person\"", html);
        Assert.Equal((1, 1), await CountsAsync());
    }

    [Fact]
    public async Task A_get_never_cancels_and_the_cancel_post_does()
    {
        var booked = await PostDetailsAsync("2026-12-01T09:00:00-05:00", Details(MailDev.UniqueAddress("cancel")));
        var manage = booked.Headers.Location!.ToString().Split('?')[0];

        var get = await client.GetAsync($"{manage}?handler=Cancel");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(AppointmentStatus.Booked, await StatusAsync());

        var token = TokenField().Match(await get.Content.ReadAsStringAsync()).Groups[1].Value;
        var post = await client.PostAsync($"{manage}?handler=Cancel",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal(AppointmentStatus.Cancelled, await StatusAsync());
        Assert.Contains("This visit is cancelled", await client.GetStringAsync(manage));
        Assert.Equal((1, 2), await CountsAsync());
    }

    [Fact]
    public async Task Rescheduling_from_the_manage_page_moves_the_visit_and_sends_the_update()
    {
        var booked = await PostDetailsAsync("2026-12-01T09:00:00-05:00", Details(MailDev.UniqueAddress("move")));
        var manage = booked.Headers.Location!.ToString().Split('?')[0];

        var picker = await client.GetStringAsync($"{manage}/reschedule?from=2026-12-03&date=2026-12-03");
        Assert.Contains("Times on Thursday, December 3", picker);
        var confirmUrl = $"{manage}/reschedule?start={Uri.EscapeDataString("2026-12-03T13:00:00-05:00")}";
        var confirm = await client.GetStringAsync(confirmUrl);
        Assert.Contains("Thursday, December 3, 2026 at 1:00 PM", confirm);

        var post = await client.PostAsync(confirmUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["start"] = "2026-12-03T13:00:00-05:00",
            ["__RequestVerificationToken"] = TokenField().Match(confirm).Groups[1].Value,
        }));

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains("Thursday, December 3, 2026 at 1:00 PM", await client.GetStringAsync(manage));
        Assert.Equal((1, 2), await CountsAsync());
    }

    [Fact]
    public async Task The_manage_page_offers_the_invite_as_a_file_and_a_google_link_both_without_the_manage_link()
    {
        var booked = await PostDetailsAsync("2026-12-01T09:00:00-05:00", Details(MailDev.UniqueAddress("ics")));
        var manage = booked.Headers.Location!.ToString().Split('?')[0];
        Guid id;
        await using (var scope = app.Services.CreateAsyncScope())
            id = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Appointments.Select(a => a.Id).SingleAsync();

        var token = manage.Split('/')[^1];
        var file = await client.GetAsync($"{manage}?handler=calendar");
        Assert.Equal("text/calendar; charset=utf-8; method=REQUEST", file.Content.Headers.ContentType!.ToString());
        var ics = await file.Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, ics.Replace("\r\n ", ""));
        Assert.DoesNotContain("/manage/", ics.Replace("\r\n ", ""));
        var invite = await IcalJs.ParseAsync(ics);
        Assert.Equal("REQUEST", invite.GetProperty("method").GetString());
        var visit = invite.GetProperty("events")[0];
        Assert.Equal($"{id}@127.0.0.1", visit.GetProperty("uid").GetString());
        Assert.Equal("2026-12-01T14:00:00.000Z", visit.GetProperty("dtstart").GetString());
        Assert.Equal("2026-11-23T12:00:00.000Z", visit.GetProperty("dtstamp").GetString());

        var page = WebUtility.HtmlDecode(await client.GetStringAsync(manage));
        Assert.Contains("https://calendar.google.com/calendar/render?action=TEMPLATE&text=Clinic%20appointment", page);
        Assert.Contains("&dates=20261201T140000Z/20261201T143000Z", page);
        var google = Uri.UnescapeDataString(GoogleLink().Match(page).Groups[1].Value);
        Assert.DoesNotContain(token, google);
        Assert.DoesNotContain("/manage/", google);
        Assert.Contains("use the link in your confirmation email, or call Test Screening Center on +1 212 555 0100.", google);

        var antiforgery = TokenField().Match(page).Groups[1].Value;
        await client.PostAsync($"{manage}?handler=Cancel", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = antiforgery }));
        var cancelled = await client.GetAsync($"{manage}?handler=calendar");
        Assert.Equal("text/calendar; charset=utf-8; method=CANCEL", cancelled.Content.Headers.ContentType!.ToString());
        var cancel = await IcalJs.ParseAsync(await cancelled.Content.ReadAsStringAsync());
        Assert.Equal("CANCEL", cancel.GetProperty("method").GetString());
        Assert.Equal($"{id}@127.0.0.1", cancel.GetProperty("events")[0].GetProperty("uid").GetString());
        Assert.Equal(1, cancel.GetProperty("events")[0].GetProperty("sequence").GetInt32());
    }

    [Theory]
    [InlineData("/book/details?serviceId=x&locationId=y&start=z", HttpStatusCode.NotFound)]
    [InlineData("/book/time?serviceId=not-a-guid&locationId=also-not", HttpStatusCode.BadRequest)]
    [InlineData("/manage/not-a-token", HttpStatusCode.NotFound)]
    [InlineData("/manage/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/reschedule", HttpStatusCode.NotFound)]
    public async Task Bad_links_are_4xx_pages(string url, HttpStatusCode expected)
    {
        var response = await client.GetAsync(url);

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("<h1>", await response.Content.ReadAsStringAsync());
    }

    private async Task<AppointmentStatus> StatusAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Appointments.Select(a => a.Status).SingleAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("href=\"(https://calendar\\.google\\.com/[^\"]+)\"")]
    private static partial Regex GoogleLink();

    [GeneratedRegex("<button type=\"submit\" name=\"alternative\"")]
    private static partial Regex AlternativeButton();
}
