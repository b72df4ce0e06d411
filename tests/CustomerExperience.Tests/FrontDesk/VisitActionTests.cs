using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.FrontDesk;

/// <summary>Check-in, complete and no-show: each changes the visit and writes an audit entry naming who did it; nonsense is refused.</summary>
public class VisitActionTests : IAsyncLifetime
{
    // Monday 30 November 2026, 08:30 in New York (13:30Z).
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 13, 30, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Now);
    private AppFactory app = null!;
    private TestClinic clinic = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(VisitActionTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        clinic = await TestClinic.SeedAsync(app.Services);
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk, name: "Frankie Desk");
        client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(client, email, StaffSignIn.Password)).StatusCode);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static DateTimeOffset Eastern(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.FromHours(-5));

    private async Task<Appointment> VisitAsync(DateTimeOffset start, AppointmentStatus status = AppointmentStatus.Booked)
    {
        var customer = await FrontDeskSeed.CustomerAsync(app.Services, "Charlotte Example", "Lotte");
        return await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, start, status);
    }

    /// <summary>Posts like the visit's button would (the antiforgery token is the user's, from any staff page).</summary>
    private Task<HttpResponseMessage> PostAsync(Guid visit, string handler, string? from = null) =>
        StaffSignIn.PostFormAsync(client, "/staff/schedule", from is null ? [] : new() { ["from"] = from },
            action: $"/staff/visits/{visit}?handler={handler}");

    private Task<Appointment> ReloadAsync(Guid id) =>
        FrontDeskSeed.QueryAsync(app.Services, db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id));

    private Task<List<AuditEntry>> AuditAsync(Guid id) =>
        FrontDeskSeed.QueryAsync(app.Services, db => db.AuditEntries.AsNoTracking().Where(e => e.AppointmentId == id).ToListAsync());

    [Fact]
    public async Task Check_in_from_the_schedule_changes_the_status_records_who_did_it_and_goes_back_to_the_schedule()
    {
        var visit = await VisitAsync(Eastern(30, 9));

        var response = await PostAsync(visit.Id, "CheckIn", from: "schedule");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/staff/schedule?location=", response.Headers.Location!.OriginalString);
        Assert.EndsWith($"&date=2026-11-30#visit-{visit.Id}", response.Headers.Location.OriginalString);
        var saved = await ReloadAsync(visit.Id);
        Assert.Equal(AppointmentStatus.CheckedIn, saved.Status);
        Assert.Equal(Now, saved.CheckedInAt);
        var entry = Assert.Single(await AuditAsync(visit.Id));
        Assert.Equal("visit.checked-in", entry.Action);
        Assert.Equal("Frankie Desk", entry.StaffName);
        Assert.Equal(visit.CustomerId, entry.CustomerId);
        Assert.Equal(Now, entry.At);
        Assert.Contains("Checked in: Screening mammogram, Monday, November 30, 2026 at 9:00 AM, Room 1", entry.Details);

        var schedule = await FrontDeskSeed.TextAsync(await client.GetAsync(response.Headers.Location.OriginalString));
        Assert.Contains("Checked in Lotte.", schedule);
        Assert.Contains(">Checked in</span>", FrontDeskSeed.Element(schedule, $"visit-{visit.Id}", "li"));
    }

    [Fact]
    public async Task Completing_a_recurring_visit_goes_on_to_booking_next_year_and_is_audited()
    {
        var visit = await VisitAsync(Eastern(30, 8), AppointmentStatus.CheckedIn);

        var response = await PostAsync(visit.Id, "Complete");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/visits/{visit.Id}/next", response.Headers.Location!.OriginalString);
        var saved = await ReloadAsync(visit.Id);
        Assert.Equal(AppointmentStatus.Completed, saved.Status);
        Assert.Equal(Now, saved.CompletedAt);
        var entry = Assert.Single(await AuditAsync(visit.Id));
        Assert.Equal(("visit.completed", "Frankie Desk"), (entry.Action, entry.StaffName));
    }

    [Fact]
    public async Task A_no_show_after_the_start_time_is_recorded_and_audited()
    {
        var visit = await VisitAsync(Eastern(30, 8));

        var response = await PostAsync(visit.Id, "NoShow");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/visits/{visit.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal(AppointmentStatus.NoShow, (await ReloadAsync(visit.Id)).Status);
        var entry = Assert.Single(await AuditAsync(visit.Id));
        Assert.Equal(("visit.no-show", "Frankie Desk"), (entry.Action, entry.StaffName));
        var page = await FrontDeskSeed.TextAsync(await client.GetAsync(response.Headers.Location.OriginalString));
        Assert.Contains("Marked Lotte as a no-show.", page);
        Assert.Contains("Marked as a no-show: Screening mammogram", page);
    }

    [Theory]
    [InlineData(AppointmentStatus.Cancelled, 30, 9, "Complete", "This visit was cancelled, so it cannot be completed.")]
    [InlineData(AppointmentStatus.Cancelled, 30, 9, "CheckIn", "This visit was cancelled, so it cannot be checked in.")]
    [InlineData(AppointmentStatus.Completed, 30, 8, "Complete", "This visit is already completed.")]
    [InlineData(AppointmentStatus.Completed, 30, 8, "NoShow", "This visit is already completed.")]
    [InlineData(AppointmentStatus.NoShow, 30, 8, "CheckIn", "This visit was marked as a no-show, so it cannot be checked in.")]
    [InlineData(AppointmentStatus.CheckedIn, 30, 8, "NoShow", "This customer is checked in, so the visit cannot be a no-show.")]
    [InlineData(AppointmentStatus.Booked, 30, 9, "NoShow", "This visit starts at 9:00 AM; mark a no-show only after that.")]
    [InlineData(AppointmentStatus.Booked, 1, 9, "CheckIn", "Only today's visits can be checked in; this one is on Tuesday, December 1.")]
    [InlineData(AppointmentStatus.Booked, 1, 9, "Complete", "This visit is on Tuesday, December 1; it can be completed on the day.")]
    public async Task Invalid_transitions_are_refused_with_a_409_and_a_message_and_change_nothing(
        AppointmentStatus status, int day, int hour, string handler, string message)
    {
        var start = day == 1 ? new DateTimeOffset(2026, 12, 1, hour, 0, 0, TimeSpan.FromHours(-5)) : Eastern(day, hour);
        var visit = await VisitAsync(start, status);

        var response = await PostAsync(visit.Id, handler);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await FrontDeskSeed.TextAsync(response);
        Assert.Contains(message, FrontDeskSeed.Element(html, "visit-problem", "div"));
        Assert.Equal(status, (await ReloadAsync(visit.Id)).Status);
        Assert.Empty(await AuditAsync(visit.Id));
    }

    [Fact]
    public async Task Checking_in_twice_is_refused_the_second_time_with_the_time_of_the_first()
    {
        var visit = await VisitAsync(Eastern(30, 9));
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(visit.Id, "CheckIn")).StatusCode);

        var again = await PostAsync(visit.Id, "CheckIn");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Already checked in at 8:30 AM.", await FrontDeskSeed.TextAsync(again));
        Assert.Single(await AuditAsync(visit.Id));
    }

    [Fact]
    public async Task Two_desks_checking_in_at_once_make_one_change()
    {
        var visit = await VisitAsync(Eastern(30, 9));
        var other = await StaffSignIn.ClientAsync(app, StaffRoles.FrontDesk);
        var url = $"/staff/visits/{visit.Id}";
        async Task<HttpResponseMessage> Post(HttpClient c) =>
            await c.PostAsync(url + "?handler=CheckIn", new FormUrlEncodedContent(new Dictionary<string, string>
                { ["__RequestVerificationToken"] = await StaffSignIn.AntiforgeryTokenAsync(c, url) }));

        var responses = await Task.WhenAll(Post(client), Post(other));

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        Assert.Single(await AuditAsync(visit.Id));
    }

    [Fact]
    public async Task Action_forms_without_an_antiforgery_token_are_refused_with_400()
    {
        var visit = await VisitAsync(Eastern(30, 8), AppointmentStatus.CheckedIn);
        foreach (var handler in new[] { "CheckIn", "Complete", "NoShow" })
        {
            var response = await client.PostAsync($"/staff/visits/{visit.Id}?handler={handler}",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["from"] = "schedule" }));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{handler}: {(int)response.StatusCode}");
        }
        Assert.Equal(AppointmentStatus.CheckedIn, (await ReloadAsync(visit.Id)).Status);
        Assert.Empty(await AuditAsync(visit.Id));
    }

    [Fact]
    public async Task An_unknown_visit_is_a_404()
    {
        var response = await PostAsync(Guid.NewGuid(), "CheckIn");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/staff/visits/{Guid.NewGuid()}")).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?handler=Explode")]
    public async Task A_post_to_no_known_handler_is_a_4xx_not_a_500(string query)
    {
        var visit = await VisitAsync(Eastern(30, 9));
        var tokenPage = $"/staff/visits/{visit.Id}";
        var onVisit = await StaffSignIn.PostFormAsync(client, tokenPage, [], action: $"/staff/visits/{visit.Id}{query}");
        var onNext = await StaffSignIn.PostFormAsync(client, tokenPage, [], action: $"/staff/visits/{visit.Id}/next{query}");
        Assert.True((int)onVisit.StatusCode is >= 400 and < 500, $"visit: {(int)onVisit.StatusCode}");
        Assert.True((int)onNext.StatusCode is >= 400 and < 500, $"next: {(int)onNext.StatusCode}");
        var onSchedule = await StaffSignIn.PostFormAsync(client, tokenPage, [], action: $"/staff/schedule{query}");
        Assert.Equal(HttpStatusCode.BadRequest, onSchedule.StatusCode);
    }
}
