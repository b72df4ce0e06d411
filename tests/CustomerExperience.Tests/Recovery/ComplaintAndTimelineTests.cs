using System.Net;
using CustomerExperience.Tests.Customers;
using CustomerExperience.Tests.FrontDesk;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Tests.Recovery;

/// <summary>Complaints logged at the desk, and what the desk and the customer's timeline show of surveys and cases.</summary>
public class ComplaintAndTimelineTests : IAsyncLifetime
{
    private RecoveryApp recovery = null!;
    private TestClinic clinic = null!;
    private RecoveryApp.Staff owner = null!;
    private RecoveryApp.Staff deskPerson = null!;
    private HttpClient desk = null!;

    public async Task InitializeAsync()
    {
        recovery = await RecoveryApp.StartAsync(nameof(ComplaintAndTimelineTests));
        clinic = await recovery.ClinicAsync();
        owner = await recovery.OwnerAsync(clinic);
        deskPerson = await recovery.StaffAsync(StaffRoles.FrontDesk, "Frankie Desk", clinic.LocationId);
        desk = await recovery.SignInAsync(deskPerson);
    }

    public async Task DisposeAsync() => await recovery.DisposeAsync();

    private async Task<Appointment> TodayAsync(Guid customerId) =>
        await FrontDeskSeed.VisitAsync(recovery.App.Services, clinic, customerId, new DateTimeOffset(2026, 11, 30, 10, 0, 0, TestClinic.Eastern), AppointmentStatus.CheckedIn);

    [Fact]
    public async Task A_complaint_logged_from_the_visit_panel_opens_a_case_and_alerts_its_owner()
    {
        var (customer, _) = await recovery.VisitedAsync(clinic, "Grace Complainer");
        var today = await TodayAsync(customer.Id);
        var panel = await FrontDeskSeed.TextAsync(await desk.GetAsync($"/staff/visits/{today.Id}"));
        Assert.Contains("<summary>Log a complaint</summary>", panel);
        Assert.DoesNotContain("id=\"unhappy-last-time\"", panel);

        var response = await StaffSignIn.PostFormAsync(desk, $"/staff/visits/{today.Id}", new()
        {
            ["customerId"] = $"{customer.Id}", ["visitId"] = $"{today.Id}", ["whatHappened"] = "Waited an hour in the gown; nobody came.", ["category"] = "WaitTime",
        }, "/staff/complaints");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/visits/{today.Id}", response.Headers.Location!.OriginalString);
        var opened = Assert.Single(await recovery.DbAsync(db => db.RecoveryCases.AsNoTracking().Where(c => c.CustomerId == customer.Id).ToListAsync()));
        Assert.Equal((CaseSource.Complaint, deskPerson.Id, today.Id, owner.Id, clinic.LocationId),
            (opened.Source, opened.OpenedById, opened.AppointmentId, opened.OwnerId, opened.LocationId));
        Assert.Equal(("Complaint at the desk: wait time", "Waited an hour in the gown; nobody came."), (opened.Summary, opened.Comment));
        Assert.Single(await recovery.DbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.CaseOpened && e.AppointmentId == today.Id).ToListAsync()));

        var after = await FrontDeskSeed.TextAsync(await desk.GetAsync($"/staff/visits/{today.Id}"));
        Assert.Contains($"Complaint logged as case {opened.Number}; Olivia Owner has been emailed.", after);
        Assert.Contains($"This visit: unhappy — open case {opened.Number}, owner Olivia Owner", FrontDeskSeed.Element(after, "unhappy-last-time", "div"));
        // The front desk cannot open the case page, so it gets no link to it.
        Assert.DoesNotContain($"href=\"/staff/cases/{opened.Number}\"", after);

        await recovery.DeliverAsync();
        var alert = Assert.Single(await MailDev.WaitForAsync(owner.Email));
        Assert.Contains("From: a complaint logged by staff", alert.GetProperty("text").GetString());
        Assert.DoesNotContain("gown", await MailDev.SourceAsync(alert));
    }

    [Fact]
    public async Task A_complaint_without_what_happened_is_a_400_naming_the_field_and_opens_nothing()
    {
        var (customer, _) = await recovery.VisitedAsync(clinic);

        var response = await StaffSignIn.PostFormAsync(desk, $"/staff/customers/{customer.Id}", new()
        {
            ["customerId"] = $"{customer.Id}", ["whatHappened"] = "   ", ["category"] = "Nonsense",
        }, "/staff/complaints");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"whatHappened-error\">Write what happened", await FrontDeskSeed.TextAsync(response));
        Assert.Equal(0, await recovery.DbAsync(db => db.RecoveryCases.CountAsync(c => c.CustomerId == customer.Id)));
    }

    [Fact]
    public async Task A_complaint_from_the_customer_page_belongs_to_the_location_of_their_last_visit()
    {
        var (customer, _) = await recovery.VisitedAsync(clinic);

        var response = await StaffSignIn.PostFormAsync(desk, $"/staff/customers/{customer.Id}", new()
        {
            ["customerId"] = $"{customer.Id}", ["whatHappened"] = "The bill was wrong twice.",
        }, "/staff/complaints");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/customers/{customer.Id}", response.Headers.Location!.OriginalString);
        var opened = Assert.Single(await recovery.DbAsync(db => db.RecoveryCases.AsNoTracking().Where(c => c.CustomerId == customer.Id).ToListAsync()));
        Assert.Equal((clinic.LocationId, (Guid?)null, "Complaint at the desk"), (opened.LocationId, opened.AppointmentId, opened.Summary));
    }

    [Fact]
    public async Task Next_visit_the_desk_reads_how_last_times_unhappiness_was_resolved_and_the_timeline_shows_it_all()
    {
        var (customer, visit) = await recovery.VisitedAsync(clinic, "Rita Returning");
        var stored = Assert.IsType<SubmitOutcome.Stored>(await recovery.SubmitAsync(RecoveryApp.Unhappy(clinic, visit.Id, "Nobody told me why I waited.")));
        var number = stored.Case!.Number;
        var manager = await recovery.SignInAsync(owner);
        var today = await TodayAsync(customer.Id);

        var open = await FrontDeskSeed.TextAsync(await desk.GetAsync($"/staff/visits/{today.Id}"));
        Assert.Contains($"Last visit: unhappy — open case {number}, owner Olivia Owner", FrontDeskSeed.Element(open, "unhappy-last-time", "div"));

        recovery.Clock.Advance(TimeSpan.FromHours(1));
        await Resolve(manager, number, "Contact", []);
        recovery.Clock.Advance(TimeSpan.FromMinutes(5));
        await Resolve(manager, number, "Resolve", new() { ["rootCause"] = "WaitTime", ["outcome"] = "called, apologised" });

        var resolved = await FrontDeskSeed.TextAsync(await desk.GetAsync($"/staff/visits/{today.Id}"));
        Assert.Contains("Last visit: unhappy about the wait — called, apologised", FrontDeskSeed.Element(resolved, "unhappy-last-time", "div"));
        var forManager = await FrontDeskSeed.TextAsync(await manager.GetAsync($"/staff/visits/{today.Id}"));
        Assert.Contains($"(<a href=\"/staff/cases/{number}\">case {number}</a>)", forManager);

        var page = await FrontDeskSeed.TextAsync(await desk.GetAsync($"/staff/customers/{customer.Id}"));
        var kinds = FrontDeskApp.TimelineKinds(page);
        // Newest first: resolved, contacted, then the case opening and the survey answer that opened it.
        Assert.Equal(["case-resolved", "case-contacted", "case-opened", "survey"], kinds.Where(k => k.StartsWith("case-") || k == "survey"));
        var timeline = FrontDeskSeed.Element(page, "timeline", "ol");
        Assert.Contains("Survey answered by email", timeline);
        Assert.Contains("Booking 5/5 · Reminders 4/5 · Welcome 5/5 · Wait 1/5 · Explaining 4/5 · Comfort 5/5 · Recommend 3/10", timeline);
        Assert.Contains("Comment: “Nobody told me why I waited.”", timeline);
        Assert.Contains($"Follow-up case opened: case {number}", timeline);
        Assert.Contains($"Case {number} resolved: wait time", timeline);
        // The case's audit entries do not show a second time as staff changes.
        Assert.DoesNotContain("case.", timeline);
    }

    private async Task Resolve(HttpClient manager, int number, string handler, Dictionary<string, string> fields)
    {
        var html = await (await manager.GetAsync($"/staff/cases/{number}")).Content.ReadAsStringAsync();
        var version = System.Text.RegularExpressions.Regex.Match(html, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        var response = await StaffSignIn.PostFormAsync(manager, $"/staff/cases/{number}", new(fields) { ["version"] = version },
            $"/staff/cases/{number}?handler={handler}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
