using CustomerExperience.Web.Staff;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Customers;

/// <summary>/staff/visits/{id}/reschedule: staff move and cancel any visit; the customer's calendar follows.</summary>
public partial class StaffRescheduleTests : IAsyncLifetime
{
    private FrontDeskApp frontDesk = null!;
    private HttpClient dana = null!;

    public async Task InitializeAsync()
    {
        frontDesk = await FrontDeskApp.StartAsync(nameof(StaffRescheduleTests));
        dana = await frontDesk.StaffAsync("Dana Desk");
    }

    public async Task DisposeAsync() => await frontDesk.DisposeAsync();

    private static string Page(Guid id) => $"/staff/visits/{id}/reschedule";

    private Task<HttpResponseMessage> MoveAsync(Guid id, string start) =>
        StaffSignIn.PostFormAsync(dana, $"{Page(id)}?start={Uri.EscapeDataString(start)}", new() { ["start"] = start }, Page(id));

    private Task<HttpResponseMessage> CancelAsync(Guid id, string reason) =>
        StaffSignIn.PostFormAsync(dana, Page(id), new() { ["reason"] = reason }, $"{Page(id)}?handler=Cancel");

    private Task<Appointment> VisitAsync(Guid id) =>
        frontDesk.DbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id));

    private static async Task<JsonElement> InviteAsync(JsonElement message, string file = "invite.ics") =>
        await IcalJs.ParseAsync(await MailDev.AttachmentAsync(message, file));

    [Fact]
    public async Task Reschedule_by_staff_sends_the_updated_invite_same_UID_higher_SEQUENCE()
    {
        var email = MailDev.UniqueAddress("moved");
        var (id, token) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), email);

        var confirm = await FrontDeskApp.HtmlAsync(await dana.GetAsync($"{Page(id)}?start={Uri.EscapeDataString(TestClinic.At(2026, 12, 3, 14))}"));
        Assert.Contains("Move the visit to <strong id=\"new-time\">Thursday, December 3, 2026 at 2:00 PM</strong>?", confirm);
        var response = await MoveAsync(id, TestClinic.At(2026, 12, 3, 14));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var visit = await VisitAsync(id);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 19, 0, 0, TimeSpan.Zero), visit.Start);
        Assert.Equal($"/staff/customers/{visit.CustomerId}", response.Headers.Location!.ToString());
        var entry = Assert.Single(await frontDesk.AuditAsync(AuditActions.VisitRescheduled));
        Assert.Equal(("Dana Desk", id, visit.CustomerId), (entry.StaffName, entry.AppointmentId!.Value, entry.CustomerId!.Value));
        Assert.Equal("Moved from Tuesday, December 1, 2026 at 9:00 AM to Thursday, December 3, 2026 at 2:00 PM", entry.Details);

        Assert.Equal(2, await frontDesk.DeliverEmailsAsync());
        var messages = await MailDev.WaitForAsync(email, 2);
        var bySubject = messages.ToDictionary(m => m.GetProperty("subject").GetString()!.Split(':')[0]);
        var first = (await InviteAsync(bySubject["Booked"])).GetProperty("events")[0];
        var update = await InviteAsync(bySubject["New time"]);
        var updated = update.GetProperty("events")[0];
        Assert.Equal("REQUEST", update.GetProperty("method").GetString());
        Assert.Equal(first.GetProperty("uid").GetString(), updated.GetProperty("uid").GetString());
        Assert.True(updated.GetProperty("sequence").GetInt32() > first.GetProperty("sequence").GetInt32());
        Assert.Equal("2026-12-03T19:00:00.000Z", updated.GetProperty("dtstart").GetString());
        // The new email carries a fresh link; the one from the confirmation keeps working.
        var link = ManageLink().Match(bySubject["New time"].GetProperty("text").GetString()!).Groups[1].Value;
        Assert.NotEqual(token, link);
        var customer = frontDesk.App.CreateClient();
        Assert.Contains("December 3, 2026 at 2:00 PM", await FrontDeskApp.HtmlAsync(await customer.GetAsync($"/manage/{link}")));
        Assert.Contains("December 3, 2026 at 2:00 PM", await FrontDeskApp.HtmlAsync(await customer.GetAsync($"/manage/{token}")));
    }

    [Fact]
    public async Task Staff_reschedule_inside_the_24_hour_cut_off_works_where_the_customer_cannot()
    {
        var (id, token) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 11, 24, 9), MailDev.UniqueAddress("soon"));
        frontDesk.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero)); // 22 hours before

        var byCustomer = await frontDesk.App.CreateClient().PostAsJsonAsync($"/api/v1/bookings/{token}/reschedule", new { start = TestClinic.At(2026, 11, 25, 9) });
        Assert.False(byCustomer.IsSuccessStatusCode);
        Assert.Contains("inside-cutoff", await byCustomer.Content.ReadAsStringAsync());

        var page = await FrontDeskApp.HtmlAsync(await dana.GetAsync(Page(id)));
        Assert.Contains("the customer can no longer change it online, but you can", page);
        var byStaff = await MoveAsync(id, TestClinic.At(2026, 11, 25, 9));

        Assert.Equal(HttpStatusCode.Redirect, byStaff.StatusCode);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.Zero), (await VisitAsync(id)).Start);
        Assert.Contains("inside the change cut-off", Assert.Single(await frontDesk.AuditAsync(AuditActions.VisitRescheduled)).Details);
    }

    [Fact]
    public async Task Staff_cannot_move_a_visit_onto_a_taken_time_and_see_the_nearest_free_ones()
    {
        var (id, _) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("mover"));
        await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 2, 10), MailDev.UniqueAddress("holder"));

        var response = await MoveAsync(id, TestClinic.At(2026, 12, 2, 10));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await FrontDeskApp.HtmlAsync(response);
        Assert.Contains("That time is taken. These are the nearest free times:", html);
        Assert.Equal(3, AlternativeLink().Matches(html).Count);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 14, 0, 0, TimeSpan.Zero), (await VisitAsync(id)).Start);
        Assert.Empty(await frontDesk.AuditAsync(AuditActions.VisitRescheduled));
        Assert.Equal(2, await frontDesk.DbAsync(db => db.OutboundEmails.CountAsync()));
    }

    [Fact]
    public async Task Staff_cancel_sends_METHOD_CANCEL_and_audits_the_reason_with_the_staff_name()
    {
        var email = MailDev.UniqueAddress("cancelled");
        var (id, _) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), email);
        var form = await FrontDeskApp.HtmlAsync(await dana.GetAsync($"{Page(id)}?returnUrl=%2Fstaff%2Fschedule"));
        var action = Regex.Match(form, "action=\"([^\"]*handler=Cancel[^\"]*)\"").Groups[1].Value;
        Assert.StartsWith($"{Page(id)}?", action);
        Assert.Contains("returnUrl=%2Fstaff%2Fschedule", action);

        var response = await CancelAsync(id, "Called: moving to Boston.");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var visit = await VisitAsync(id);
        Assert.Equal((AppointmentStatus.Cancelled, "Called: moving to Boston."), (visit.Status, visit.CancellationReason));
        var entry = Assert.Single(await frontDesk.AuditAsync(AuditActions.VisitCancelled));
        Assert.Equal(("Dana Desk", id), (entry.StaffName, entry.AppointmentId!.Value));
        Assert.Equal("Cancelled the visit of Tuesday, December 1, 2026 at 9:00 AM: Called: moving to Boston.", entry.Details);

        Assert.Equal(2, await frontDesk.DeliverEmailsAsync());
        var messages = await MailDev.WaitForAsync(email, 2);
        var cancellation = messages.Single(m => m.GetProperty("subject").GetString()!.StartsWith("Cancelled:"));
        Assert.Matches("text/calendar;[^\r\n]*method=CANCEL", await MailDev.SourceAsync(cancellation));
        var ics = await InviteAsync(cancellation, "cancel.ics");
        Assert.Equal("CANCEL", ics.GetProperty("method").GetString());
        Assert.Equal(1, ics.GetProperty("events")[0].GetProperty("sequence").GetInt32());

        var page = await FrontDeskApp.HtmlAsync(await dana.GetAsync(Page(id)));
        Assert.Contains("This visit is cancelled and can no longer be moved.", page);
        Assert.DoesNotContain("id=\"cancel-visit\"", page);
    }

    [Theory]
    [InlineData("", "Say why the visit is cancelled")]
    [InlineData("line\r\nbreak", "cannot contain line breaks")]
    public async Task A_cancel_without_a_usable_reason_gets_a_message_and_keeps_the_visit(string reason, string message)
    {
        var (id, _) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("kept"));

        var response = await CancelAsync(id, reason);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await FrontDeskApp.HtmlAsync(response));
        Assert.Equal(AppointmentStatus.Booked, (await VisitAsync(id)).Status);
        Assert.Empty(await frontDesk.AuditAsync(AuditActions.VisitCancelled));
    }

    [Fact]
    public async Task A_visit_with_no_manage_link_yet_gets_a_working_one_in_the_email()
    {
        var email = MailDev.UniqueAddress("legacy");
        var customer = await frontDesk.SeedCustomerAsync("Legacy Visit", email: email);
        var visit = await frontDesk.SeedVisitAsync(customer.Id, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TestClinic.Eastern));

        Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(visit.Id, TestClinic.At(2026, 12, 1, 10))).StatusCode);

        Assert.Equal(1, await frontDesk.DeliverEmailsAsync());
        var text = Assert.Single(await MailDev.WaitForAsync(email)).GetProperty("text").GetString()!;
        var link = ManageLink().Match(text).Groups[1].Value;
        var manage = await frontDesk.App.CreateClient().GetAsync($"/manage/{link}");
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
        Assert.Contains("December 1, 2026 at 10:00 AM", await FrontDeskApp.HtmlAsync(manage));
    }

    [Fact]
    public async Task The_audit_entry_commits_with_the_change_or_not_at_all()
    {
        var (id, _) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("atomic"));
        var before = await frontDesk.DbAsync(db => db.OutboundEmails.CountAsync());

        await using (var scope = frontDesk.App.Services.CreateAsyncScope())
        {
            var booking = scope.ServiceProvider.GetRequiredService<BookingService>();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await Assert.ThrowsAsync<InvalidOperationException>(() => booking.RescheduleAsync(id, new DateTimeOffset(2026, 12, 2, 9, 0, 0, TestClinic.Eastern), default,
                staffOverride: true, audit: visit =>
                {
                    db.AuditEntries.Add(new AuditEntry { StaffUserId = "x", StaffName = "Failing", Action = "visit.rescheduled", Details = "never", AppointmentId = visit.Id });
                    throw new InvalidOperationException("audit failed");
                }));
        }

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 14, 0, 0, TimeSpan.Zero), (await VisitAsync(id)).Start);
        Assert.Equal(0, (await VisitAsync(id)).CalendarSequence);
        Assert.Equal(0, await frontDesk.DbAsync(db => db.AuditEntries.CountAsync()));
        Assert.Equal(before, await frontDesk.DbAsync(db => db.OutboundEmails.CountAsync()));
    }

    [Theory]
    [InlineData("/staff/schedule?date=2026-12-01", "/staff/schedule?date=2026-12-01")]
    [InlineData("https://evil.example/staff/", null)]
    [InlineData("//evil.example/staff/", null)]
    [InlineData("/manage/abc", null)]
    public async Task Afterwards_staff_return_to_the_staff_page_they_came_from_and_nowhere_else(string returnUrl, string? expected)
    {
        var (id, _) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("return"));
        var customerId = (await VisitAsync(id)).CustomerId;

        var response = await StaffSignIn.PostFormAsync(dana, Page(id), new() { ["reason"] = "Called.", ["returnUrl"] = returnUrl }, $"{Page(id)}?handler=Cancel");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected ?? $"/staff/customers/{customerId}", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task An_unknown_visit_is_a_404_and_forms_without_antiforgery_are_refused()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await dana.GetAsync(Page(Guid.CreateVersion7()))).StatusCode);
        var (id, _) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("forged"));
        Assert.Equal(HttpStatusCode.BadRequest, (await dana.GetAsync($"{Page(id)}?start=soon")).StatusCode);

        foreach (var action in new[] { Page(id), $"{Page(id)}?handler=Cancel" })
        {
            var response = await dana.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["start"] = TestClinic.At(2026, 12, 2, 9), ["reason"] = "Forged.",
            }));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        var visit = await VisitAsync(id);
        Assert.Equal((AppointmentStatus.Booked, new DateTimeOffset(2026, 12, 1, 14, 0, 0, TimeSpan.Zero)), (visit.Status, visit.Start));
    }

    [GeneratedRegex("class=\"time alternative\" href=\"/staff/visits/[0-9a-f-]+/reschedule\\?start=")]
    private static partial Regex AlternativeLink();

    [GeneratedRegex("/manage/([A-Za-z0-9_-]{43})")]
    private static partial Regex ManageLink();
}
