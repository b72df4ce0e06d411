using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Customers;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Tests.Booking;

/// <summary>
/// Changes of one visit racing each other (issue 11, lost updates), run truly at once: each request waits at a
/// barrier and all are released together. Whatever the order, every committed change has its own email, the
/// calendar SEQUENCE rises with each, and the database ends where the last email says.
/// </summary>
public partial class ConcurrentChangeTests : IAsyncLifetime
{
    private const int Rounds = 4;
    private FrontDeskApp frontDesk = null!;
    private HttpClient dana = null!, sam = null!;

    // No change cut-off: the customer's link can then race the desk on the day of the visit.
    public async Task InitializeAsync()
    {
        frontDesk = await FrontDeskApp.StartAsync(nameof(ConcurrentChangeTests), app => app.With("Booking:ChangeCutoff", "00:00:00"));
        dana = await frontDesk.StaffAsync("Dana Desk");
        sam = await frontDesk.StaffAsync("Sam Desk");
    }

    public async Task DisposeAsync() => await frontDesk.DisposeAsync();

    /// <summary>A staff form as the page showed it: its antiforgery token and the visit version in it.</summary>
    private sealed record ShownForm(HttpClient Client, string Action, string Token, string Version)
    {
        public Task<HttpResponseMessage> PostAsync(Dictionary<string, string> fields) =>
            Client.PostAsync(Action, new FormUrlEncodedContent(new Dictionary<string, string>(fields)
            {
                ["__RequestVerificationToken"] = Token,
                ["version"] = Version,
            }));
    }

    private static async Task<ShownForm> ShowAsync(HttpClient client, string page, string action)
    {
        var html = await (await client.GetAsync(page)).Content.ReadAsStringAsync();
        return new ShownForm(client, action,
            WebUtility.HtmlDecode(TokenField().Match(html).Groups[1].Value),
            Assert.Single(VersionField().Matches(html).Select(m => m.Groups[1].Value).Distinct()));
    }

    /// <summary>Starts every request at the same moment, and waits for all.</summary>
    private static async Task<HttpResponseMessage[]> AtOnceAsync(params Func<Task<HttpResponseMessage>>[] requests)
    {
        var barrier = new Barrier(requests.Length);
        return await Task.WhenAll(requests.Select(request => Task.Run(() =>
        {
            barrier.SignalAndWait();
            return request();
        })));
    }

    private Task<Appointment> VisitAsync(Guid id) =>
        frontDesk.DbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id));

    [Theory]
    [InlineData("link and link")]
    [InlineData("link and desk")]
    public async Task Two_concurrent_moves_leave_the_visit_where_the_last_email_says_each_with_a_higher_SEQUENCE(string who)
    {
        var customer = frontDesk.App.CreateClient();
        for (var round = 0; round < Rounds; round++)
        {
            var email = MailDev.UniqueAddress("race-move");
            var day = 1 + round; // Tuesday to Friday, December 2026
            var (id, token) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, day, 9), email);
            var (first, second) = (TestClinic.At(2026, 12, day, 11), TestClinic.At(2026, 12, day, 14));
            var staffPage = $"/staff/visits/{id}/reschedule?start={Uri.EscapeDataString(second)}";
            var form = who == "link and desk" ? await ShowAsync(dana, staffPage, staffPage) : null;

            var responses = await AtOnceAsync(
                () => customer.PostAsJsonAsync($"/api/v1/bookings/{token}/reschedule", new { start = first }),
                () => form is null
                    ? customer.PostAsJsonAsync($"/api/v1/bookings/{token}/reschedule", new { start = second })
                    : form.PostAsync(new() { ["start"] = second }));

            var moved = responses.Count(r => r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect);
            Assert.True(moved >= 1, string.Join(", ", responses.Select(r => r.StatusCode)));
            // The desk acted on the time its page showed: if the link moved the visit first, the desk is told, not obeyed.
            foreach (var refused in responses.Where(r => r.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Redirect)))
            {
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
                Assert.Contains("This visit was changed meanwhile", await FrontDeskApp.HtmlAsync(refused));
            }

            var visit = await VisitAsync(id);
            Assert.Equal(moved, visit.CalendarSequence);
            await frontDesk.DeliverEmailsAsync();
            var messages = await MailDev.WaitForAsync(email, 1 + moved);
            var invites = new List<(int Sequence, string Start)>();
            foreach (var message in messages)
            {
                var ics = await MailDev.AttachmentAsync(message, "invite.ics");
                invites.Add((int.Parse(Sequence().Match(ics).Groups[1].Value), Start().Match(ics).Groups[1].Value));
            }
            Assert.Equal(Enumerable.Range(0, 1 + moved), invites.Select(i => i.Sequence).Order());
            Assert.Equal(visit.Start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'"), invites.MaxBy(i => i.Sequence).Start);
            Assert.Equal(1 + moved, await frontDesk.DbAsync(db => db.OutboundEmails.CountAsync(e => e.AppointmentId == id)));
        }
    }

    [Theory]
    [InlineData("link")]
    [InlineData("desk")]
    public async Task A_cancel_racing_a_check_in_one_wins_the_other_gets_409_with_how_the_visit_stands(string canceller)
    {
        var customerClient = frontDesk.App.CreateClient();
        for (var round = 0; round < Rounds; round++)
        {
            var email = MailDev.UniqueAddress("race-cancel");
            // Today (Monday, November 23; the clock is at 07:00), one visit per round.
            var (id, token) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 11, 23, new[] { 10, 11, 13, 14 }[round]), email);
            var visitPage = $"/staff/visits/{id}";
            var checkIn = await ShowAsync(sam, visitPage, $"{visitPage}?handler=CheckIn");
            var reschedulePage = $"/staff/visits/{id}/reschedule";
            var cancel = canceller == "desk" ? await ShowAsync(dana, reschedulePage, $"{reschedulePage}?handler=Cancel") : null;

            var responses = await AtOnceAsync(
                () => checkIn.PostAsync([]),
                () => cancel is null
                    ? customerClient.PostAsync($"/api/v1/bookings/{token}/cancel", null)
                    : cancel.PostAsync(new() { ["reason"] = "Customer called" }));
            var (checkInResponse, cancelResponse) = (responses[0], responses[1]);

            var visit = await VisitAsync(id);
            if (visit.Status == AppointmentStatus.CheckedIn)
            {
                Assert.Equal(HttpStatusCode.Redirect, checkInResponse.StatusCode);
                Assert.Equal(HttpStatusCode.Conflict, cancelResponse.StatusCode);
                if (cancel is null)
                {
                    Assert.Equal("application/problem+json", cancelResponse.Content.Headers.ContentType!.MediaType);
                    var problem = await cancelResponse.Content.ReadFromJsonAsync<JsonElement>();
                    var current = problem.GetProperty("visit");
                    Assert.Equal("CheckedIn", current.GetProperty("status").GetString());
                    Assert.Equal(visit.Start, current.GetProperty("start").GetDateTimeOffset());
                }
                else
                {
                    var html = await FrontDeskApp.HtmlAsync(cancelResponse);
                    Assert.Contains("This visit was changed meanwhile, so nothing was done. Here is how it stands now: checked in", html);
                }
                Assert.Equal(0, await frontDesk.DbAsync(db => db.OutboundEmails.CountAsync(e => e.AppointmentId == id && e.Kind == "cancelled")));
            }
            else
            {
                Assert.Equal(AppointmentStatus.Cancelled, visit.Status);
                Assert.Null(visit.CheckedInAt);
                Assert.Contains(cancelResponse.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Redirect });
                Assert.Equal(HttpStatusCode.Conflict, checkInResponse.StatusCode);
                Assert.Contains("cancelled", await FrontDeskApp.HtmlAsync(checkInResponse));
                Assert.Equal(1, await frontDesk.DbAsync(db => db.OutboundEmails.CountAsync(e => e.AppointmentId == id && e.Kind == "cancelled")));
            }
        }
    }

    [Fact]
    public async Task A_staff_form_showing_an_older_state_is_refused_with_how_the_visit_stands_now()
    {
        var email = MailDev.UniqueAddress("stale-form");
        var (id, token) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 8, 9), email);
        var page = $"/staff/visits/{id}/reschedule";
        var move = await ShowAsync(dana, $"{page}?start={Uri.EscapeDataString(TestClinic.At(2026, 12, 8, 14))}", page);
        var cancel = await ShowAsync(dana, page, $"{page}?handler=Cancel");

        // Meanwhile the customer moves the visit from the link in their email.
        var moved = await frontDesk.App.CreateClient().PostAsJsonAsync($"/api/v1/bookings/{token}/reschedule",
            new { start = TestClinic.At(2026, 12, 8, 11) });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        var staleMove = await move.PostAsync(new() { ["start"] = TestClinic.At(2026, 12, 8, 14) });
        var staleCancel = await cancel.PostAsync(new() { ["reason"] = "Customer called" });
        foreach (var response in new[] { staleMove, staleCancel })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("This visit was changed meanwhile, so nothing was done. Here is how it stands now: booked, Tuesday, December 8, 2026 at 11:00 AM.",
                await FrontDeskApp.HtmlAsync(response));
        }
        var visit = await VisitAsync(id);
        Assert.Equal((AppointmentStatus.Booked, 1), (visit.Status, visit.CalendarSequence));
        Assert.Equal(DateTimeOffset.Parse(TestClinic.At(2026, 12, 8, 11)), visit.Start);

        // The refusal page shows the current version, so acting on it again works.
        var again = await ShowAsync(dana, $"{page}?start={Uri.EscapeDataString(TestClinic.At(2026, 12, 8, 14))}", page);
        Assert.NotEqual(move.Version, again.Version);
        Assert.Equal(HttpStatusCode.Redirect, (await again.PostAsync(new() { ["start"] = TestClinic.At(2026, 12, 8, 14) })).StatusCode);
        Assert.Equal(2, (await VisitAsync(id)).CalendarSequence);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();

    [GeneratedRegex(@"SEQUENCE:(\d+)")]
    private static partial Regex Sequence();

    [GeneratedRegex(@"DTSTART:(\d{8}T\d{6}Z)")]
    private static partial Regex Start();
}
