using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.FrontDesk;

/// <summary>
/// "Book next year" at checkout: the first covered time at the usual weekday, time and room, or another covered
/// time the desk picks; one confirmation with an invite; and never both this and the automatic rebooking job.
/// </summary>
public class NextVisitCheckoutTests : IAsyncLifetime
{
    // Wednesday 25 November 2026, 09:00 in New York (14:00Z); checkout at 09:31. Covered again from Thursday 25 November 2027.
    private static readonly DateTimeOffset VisitStart = new(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Est = TimeSpan.FromHours(-5);
    private readonly FakeTimeProvider clock = new(VisitStart.AddMinutes(31));
    private AppFactory app = null!;
    private TestClinic clinic = null!;
    private HttpClient client = null!;
    private Customer customer = null!;
    private Appointment visit = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(NextVisitCheckoutTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        clinic = await TestClinic.SeedAsync(app.Services, rooms: 2);
        var staff = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk, name: "Frankie Desk");
        client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(client, staff, StaffSignIn.Password)).StatusCode);
        customer = await FrontDeskSeed.CustomerAsync(app.Services, "Rita Returning", "Rita", email: MailDev.UniqueAddress("checkout"));
        visit = await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, VisitStart, AppointmentStatus.CheckedIn);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private string NextUrl => $"/staff/visits/{visit.Id}/next";

    private async Task CompleteAsync()
    {
        var response = await StaffSignIn.PostFormAsync(client, $"/staff/visits/{visit.Id}", [], action: $"/staff/visits/{visit.Id}?handler=Complete");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(NextUrl, response.Headers.Location!.OriginalString);
    }

    private Task<HttpResponseMessage> BookAsync(DateTimeOffset start, string? tokenPage = null) =>
        StaffSignIn.PostFormAsync(client, tokenPage ?? NextUrl, new() { ["start"] = start.ToString("yyyy-MM-dd'T'HH:mm:ssK") }, action: NextUrl);

    private Task<List<Appointment>> LaterVisitsAsync() =>
        FrontDeskSeed.QueryAsync(app.Services, db => db.Appointments.AsNoTracking().Include(a => a.Location)
            .Where(a => a.CustomerId == customer.Id && a.Start > VisitStart).ToListAsync());

    private async Task<int> RunRebookingJobAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NextVisitRebooking>().BookDueAsync(default);
    }

    [Fact]
    public async Task Book_next_year_at_checkout_lands_on_a_covered_date_and_sends_one_confirmation()
    {
        await CompleteAsync();

        var page = await client.GetAsync(NextUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await FrontDeskSeed.TextAsync(page);
        Assert.Contains("Covered from <strong>Thursday, November 25, 2027</strong>", html);
        Assert.Contains("Proposed time", html);
        // The first Wednesday on or after the covered date, at 09:00 as today, in the same room.
        Assert.Contains("<strong id=\"chosen-time\">Wednesday, December 1, 2027 at 9:00 AM</strong>, Room 1 as today", html);
        Assert.Contains("value=\"2027-12-01T09:00:00-05:00\"", html);

        var booked = await BookAsync(new DateTimeOffset(2027, 12, 1, 9, 0, 0, Est));

        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        Assert.Equal($"/staff/visits/{visit.Id}", booked.Headers.Location!.OriginalString);
        var next = Assert.Single(await LaterVisitsAsync());
        var local = AppointmentEmails.ToLocal(next.Start, next.Location!);
        Assert.True(DateOnly.FromDateTime(local.DateTime) >= new DateOnly(2027, 11, 25), $"{local} is before coverage starts");
        Assert.Equal(new DateTimeOffset(2027, 12, 1, 9, 0, 0, Est), local);
        Assert.Equal(visit.Start.DayOfWeek, local.DayOfWeek);
        Assert.Equal((BookingSource.FrontDesk, AppointmentStatus.Booked, clinic.RoomId), (next.Source, next.Status, next.ResourceId));
        var audit = await FrontDeskSeed.QueryAsync(app.Services, db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.AppointmentId == next.Id));
        Assert.Equal(("visit.next-booked", "Frankie Desk", customer.Id), (audit.Action, audit.StaffName, audit.CustomerId!.Value));

        var after = await FrontDeskSeed.TextAsync(await client.GetAsync(booked.Headers.Location.OriginalString));
        Assert.Contains($"Booked Rita's next visit: Wednesday, December 1, 2027 at 9:00 AM. The confirmation with a calendar invite is on its way to {customer.Email}.", after);
        Assert.Contains($"href=\"/staff/visits/{next.Id}\">Wednesday, December 1, 2027 at 9:00 AM</a>", FrontDeskSeed.Element(after, "next-visit", "dd"));

        // The rebooking job sees the desk's booking and books nothing more.
        Assert.Equal(0, await RunRebookingJobAsync());
        Assert.Single(await LaterVisitsAsync());

        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        await dispatcher.DeliverBatchAsync(default);
        var message = Assert.Single(await MailDev.WaitForAsync(customer.Email));
        Assert.Equal("Booked: Clinic appointment, Wednesday, December 1, 2027 at 9:00 AM", message.GetProperty("subject").GetString());
        var ics = await IcalJs.ParseAsync(await MailDev.AttachmentAsync(message, "invite.ics"));
        Assert.Equal("REQUEST", ics.GetProperty("method").GetString());
        Assert.Equal("2027-12-01T14:00:00.000Z", ics.GetProperty("events")[0].GetProperty("dtstart").GetString());
        Assert.Equal(0, (await dispatcher.DeliverBatchAsync(default)).Claimed);
        Assert.Single(await MailDev.MessagesToAsync(customer.Email));
    }

    [Fact]
    public async Task Picking_another_covered_time_books_that_one()
    {
        await CompleteAsync();

        var day = await FrontDeskSeed.TextAsync(await client.GetAsync($"{NextUrl}?from=2027-11-25&date=2027-11-29"));
        Assert.Contains("Times on Monday, November 29", day);
        var pick = $"{NextUrl}?from=2027-11-25&date=2027-11-29&start=2027-11-29T13%3A00%3A00-05%3A00#confirm";
        Assert.Contains($"href=\"{pick}\"", day);

        var chosen = await FrontDeskSeed.TextAsync(await client.GetAsync(pick));
        Assert.Contains("Chosen time", chosen);
        Assert.Contains("<strong id=\"chosen-time\">Monday, November 29, 2027 at 1:00 PM</strong>", chosen);
        Assert.Contains("id=\"back-to-proposal\"", chosen);

        var booked = await BookAsync(new DateTimeOffset(2027, 11, 29, 13, 0, 0, Est), tokenPage: pick);

        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        var next = Assert.Single(await LaterVisitsAsync());
        Assert.Equal(new DateTimeOffset(2027, 11, 29, 13, 0, 0, Est), AppointmentEmails.ToLocal(next.Start, next.Location!));
        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);
        Assert.Equal("Booked: Clinic appointment, Monday, November 29, 2027 at 1:00 PM",
            Assert.Single(await MailDev.WaitForAsync(customer.Email)).GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_time_before_the_covered_date_is_refused()
    {
        await CompleteAsync();
        var early = new DateTimeOffset(2027, 11, 24, 9, 0, 0, Est);

        var shown = await client.GetAsync($"{NextUrl}?start={Uri.EscapeDataString(early.ToString("yyyy-MM-dd'T'HH:mm:ssK"))}");
        Assert.Equal(HttpStatusCode.BadRequest, shown.StatusCode);
        Assert.Contains("That time is before the next visit is covered (Thursday, November 25, 2027)", await FrontDeskSeed.TextAsync(shown));

        var posted = await BookAsync(early);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("That time is before the next visit is covered", await FrontDeskSeed.TextAsync(posted));
        Assert.Empty(await LaterVisitsAsync());
    }

    [Fact]
    public async Task A_second_attempt_is_refused_and_the_page_shows_the_booked_visit()
    {
        await CompleteAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await BookAsync(new DateTimeOffset(2027, 12, 1, 9, 0, 0, Est))).StatusCode);

        var again = await BookAsync(new DateTimeOffset(2027, 12, 2, 9, 0, 0, Est), tokenPage: "/staff/schedule");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var html = await FrontDeskSeed.TextAsync(again);
        Assert.Contains("Not booked: a next visit is already booked", html);
        Assert.Contains("Rita's next Screening mammogram is already booked: <strong>Wednesday, December 1, 2027 at 9:00 AM</strong>", html);
        Assert.Single(await LaterVisitsAsync());

        var page = await FrontDeskSeed.TextAsync(await client.GetAsync(NextUrl));
        Assert.Contains("id=\"already-booked\"", page);
        Assert.DoesNotContain("id=\"book-next\"", page);
    }

    [Fact]
    public async Task After_the_rebooking_job_booked_it_checkout_says_so_instead_of_offering_another()
    {
        await CompleteAsync();
        Assert.Equal(1, await RunRebookingJobAsync());

        var page = await client.GetAsync(NextUrl);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await FrontDeskSeed.TextAsync(page);
        Assert.Contains("Rita's next Screening mammogram is already booked: <strong>Wednesday, December 1, 2027 at 9:00 AM</strong>", html);
        Assert.DoesNotContain("id=\"book-next\"", html);
    }

    [Fact]
    public async Task A_cancelled_checkout_booking_still_keeps_the_job_from_booking_another()
    {
        await CompleteAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await BookAsync(new DateTimeOffset(2027, 12, 1, 9, 0, 0, Est))).StatusCode);
        await FrontDeskSeed.QueryAsync(app.Services, async db =>
        {
            var next = await db.Appointments.SingleAsync(a => a.CustomerId == customer.Id && a.Status == AppointmentStatus.Booked);
            next.Cancel("Customer will call", clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });

        Assert.Equal(0, await RunRebookingJobAsync());
    }

    [Fact]
    public async Task Checkout_and_the_job_at_the_same_moment_book_one_next_visit()
    {
        await CompleteAsync();
        var token = await StaffSignIn.AntiforgeryTokenAsync(client, NextUrl);
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
            { ["start"] = "2027-12-01T09:00:00-05:00", ["__RequestVerificationToken"] = token });

        // Both want the same time, which has two free rooms: only the lock keeps them from taking one each.
        var desk = client.PostAsync(NextUrl, form);
        var job = RunRebookingJobAsync();
        await Task.WhenAll(desk, job);

        Assert.Single(await LaterVisitsAsync());
        Assert.True((await desk).StatusCode == HttpStatusCode.Redirect ^ await job == 1, "exactly one of desk and job booked");
    }

    [Fact]
    public async Task Before_completion_or_for_a_one_off_service_nothing_is_offered()
    {
        var notYet = await client.GetAsync(NextUrl);
        Assert.Equal(HttpStatusCode.Conflict, notYet.StatusCode);
        Assert.Contains("Next year's visit is booked at checkout, once this visit is completed.", await FrontDeskSeed.TextAsync(notYet));

        await FrontDeskSeed.QueryAsync(app.Services, async db =>
        {
            var service = await db.Services.SingleAsync(s => s.Id == clinic.ServiceId);
            (service.RecallIntervalDays, service.CoverageIntervalDays) = (null, null);
            return await db.SaveChangesAsync();
        });
        var complete = await StaffSignIn.PostFormAsync(client, $"/staff/visits/{visit.Id}", [], action: $"/staff/visits/{visit.Id}?handler=Complete");
        Assert.Equal($"/staff/visits/{visit.Id}", complete.Headers.Location!.OriginalString);
        var oneOff = await client.GetAsync(NextUrl);
        Assert.Equal(HttpStatusCode.Conflict, oneOff.StatusCode);
        Assert.Contains("Screening mammogram is not a recurring service", await FrontDeskSeed.TextAsync(oneOff));
        Assert.Equal(HttpStatusCode.Conflict, (await BookAsync(new DateTimeOffset(2027, 12, 1, 9, 0, 0, Est), tokenPage: "/staff/schedule")).StatusCode);
        Assert.Empty(await LaterVisitsAsync());
    }

    [Fact]
    public async Task Malformed_times_and_days_get_a_400_and_unknown_visits_a_404()
    {
        await CompleteAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"{NextUrl}?start=next-tuesday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"{NextUrl}?from=2027-13-45")).StatusCode);
        var posted = await StaffSignIn.PostFormAsync(client, NextUrl, new() { ["start"] = "soon" });
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("Choose a time from the list.", await FrontDeskSeed.TextAsync(posted));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/staff/visits/{Guid.NewGuid()}/next")).StatusCode);
        Assert.Empty(await LaterVisitsAsync());
    }

    [Fact]
    public async Task The_booking_form_without_an_antiforgery_token_is_refused_with_400()
    {
        await CompleteAsync();
        var response = await client.PostAsync(NextUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["start"] = "2027-12-01T09:00:00-05:00" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await LaterVisitsAsync());
    }
}
