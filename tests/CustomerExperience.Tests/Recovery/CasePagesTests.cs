using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.FrontDesk;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Tests.Recovery;

/// <summary>/staff/cases and the case page: who may see them, and every change recorded once, by whom, under one guard.</summary>
public partial class CasePagesTests : IAsyncLifetime
{
    private RecoveryApp recovery = null!;
    private TestClinic clinic = null!;
    private RecoveryApp.Staff owner = null!;
    private HttpClient manager = null!;

    public async Task InitializeAsync()
    {
        recovery = await RecoveryApp.StartAsync(nameof(CasePagesTests));
        clinic = await recovery.ClinicAsync();
        owner = await recovery.OwnerAsync(clinic);
        manager = await recovery.SignInAsync(owner);
    }

    public async Task DisposeAsync() => await recovery.DisposeAsync();

    private async Task<RecoveryCase> OpenCaseAsync(string fullName = "Charlotte Example", string? comment = "Waited 50 minutes, nobody said why.")
    {
        var (_, visit) = await recovery.VisitedAsync(clinic, fullName);
        return Assert.IsType<SubmitOutcome.Stored>(await recovery.SubmitAsync(RecoveryApp.Unhappy(clinic, visit.Id, comment))).Case!;
    }

    private static async Task<uint> VersionAsync(HttpClient client, int number)
    {
        var html = await (await client.GetAsync($"/staff/cases/{number}")).Content.ReadAsStringAsync();
        return uint.Parse(VersionField().Match(html).Groups[1].Value);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, int number, string handler, Dictionary<string, string> fields) =>
        StaffSignIn.PostFormAsync(client, $"/staff/cases/{number}", fields, $"/staff/cases/{number}?handler={handler}");

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();

    [Theory]
    [InlineData(StaffRoles.FrontDesk)]
    [InlineData(StaffRoles.Clinician)]
    public async Task Front_desk_and_clinicians_cannot_open_the_cases(string role)
    {
        var opened = await OpenCaseAsync();
        var client = await StaffSignIn.ClientAsync(recovery.App, role);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/staff/cases")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/staff/cases/{opened.Number}")).StatusCode);
        Assert.DoesNotContain("href=\"/staff/cases\"", await (await client.GetAsync("/staff/schedule")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var response = await recovery.App.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/staff/cases");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_list_counts_open_overdue_mine_and_resolved_and_filters_by_location()
    {
        var first = await OpenCaseAsync("First Unhappy");
        var second = await OpenCaseAsync("Second Unhappy");
        var otherClinic = await recovery.ClinicAsync();
        var (_, otherVisit) = await recovery.VisitedAsync(otherClinic, "Other Place");
        var other = Assert.IsType<SubmitOutcome.Stored>(await recovery.SubmitAsync(RecoveryApp.Unhappy(otherClinic, otherVisit.Id))).Case!;
        // Overdue by its due time, not by moving the clock (which would also end the manager's sign-in).
        await recovery.DbAsync(db => db.RecoveryCases.Where(c => c.Id == first.Id)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.DueAt, recovery.Clock.GetUtcNow().AddMinutes(-1))));
        var version = await VersionAsync(manager, second.Number);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(manager, second.Number, "Contact", new() { ["version"] = $"{version}" })).StatusCode);

        var slug = await recovery.DbAsync(db => db.Locations.Where(l => l.Id == clinic.LocationId).Select(l => l.Slug).SingleAsync());
        var html = await FrontDeskSeed.TextAsync(await manager.GetAsync($"/staff/cases?location={slug}"));

        Assert.Contains("Open <span class=\"count\">2</span>", html);
        Assert.Contains("Overdue <span class=\"count\">1</span>", html);
        Assert.Contains("Mine <span class=\"count\">2</span>", html);
        Assert.Contains("Resolved <span class=\"count\">0</span>", html);
        Assert.Contains($"id=\"case-{first.Number}\"", html);
        Assert.DoesNotContain($"id=\"case-{other.Number}\"", html);
        Assert.Contains("First Unhappy", html);

        var overdue = await FrontDeskSeed.TextAsync(await manager.GetAsync($"/staff/cases?view=overdue&location={slug}"));
        Assert.Contains($"id=\"case-{first.Number}\"", overdue);
        Assert.DoesNotContain($"id=\"case-{second.Number}\"", overdue);

        var everywhere = await FrontDeskSeed.TextAsync(await manager.GetAsync("/staff/cases"));
        Assert.Contains($"id=\"case-{other.Number}\"", everywhere);
        Assert.Matches("id=\"nav-cases\">Cases\\s+<span class=\"nav-count\">\\d+<span class=\"visually-hidden\"> open</span>", everywhere);

        var bad = await manager.GetAsync("/staff/cases?view=everything");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"everything\" is not a list", await FrontDeskSeed.TextAsync(bad));
    }

    [Fact]
    public async Task The_case_page_shows_the_customer_visit_scores_comment_owner_and_due_time()
    {
        var opened = await OpenCaseAsync(comment: "My results were never explained and it hurt.");

        var html = await FrontDeskSeed.TextAsync(await manager.GetAsync($"/staff/cases/{opened.Number}"));

        Assert.Contains($"href=\"/staff/customers/{opened.CustomerId}\">Charlotte Example</a>", html);
        Assert.Contains($"href=\"/staff/visits/{opened.AppointmentId}\">Screening mammogram, Fri Nov 27, 2026 10:00 AM</a>", html);
        Assert.Contains("id=\"clinical-flag\"", html);
        Assert.Contains("My results were never explained and it hurt.", FrontDeskSeed.Element(html, "case-comment", "p"));
        Assert.Contains("<li class=\"low\"><span>How was the wait, and how well was it explained?</span> <span>Very poor</span></li>", html);
        Assert.Contains("<span>3 of 10</span>", html);
        Assert.Contains("Olivia Owner", FrontDeskSeed.Element(html, "case-owner", "dd"));
        Assert.Contains("Tue Dec 1, 2026 8:30 AM", FrontDeskSeed.Element(html, "case-due", "dd"));
        Assert.DoesNotContain("id=\"case-overdue\"", html);
    }

    [Fact]
    public async Task First_contact_checklist_notes_and_resolution_are_recorded_with_who_and_when()
    {
        var opened = await OpenCaseAsync();
        var version = await VersionAsync(manager, opened.Number);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(manager, opened.Number, "Contact",
            new() { ["version"] = $"{version}", ["contactNote"] = "Called her back at 9." })).StatusCode);
        var contacted = await recovery.CaseAsync(opened.Number);
        Assert.Equal((CaseStatus.Contacted, recovery.Clock.GetUtcNow()), (contacted.Status, contacted.FirstContactAt));

        var checklist = new FormUrlEncodedContent([
            new("version", $"{await VersionAsync(manager, opened.Number)}"), new("heard", "Hear"), new("heard", "Apologise"),
            new("__RequestVerificationToken", await StaffSignIn.AntiforgeryTokenAsync(manager, $"/staff/cases/{opened.Number}"))]);
        Assert.Equal(HttpStatusCode.Redirect, (await manager.PostAsync($"/staff/cases/{opened.Number}?handler=Checklist", checklist)).StatusCode);
        Assert.Equal(HeardSteps.Hear | HeardSteps.Apologise, (await recovery.CaseAsync(opened.Number)).Heard);

        recovery.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(manager, opened.Number, "Note", new() { ["noteText"] = "Booked her an early slot." })).StatusCode);

        recovery.Clock.Advance(TimeSpan.FromMinutes(10));
        var resolvedAt = recovery.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(manager, opened.Number, "Resolve", new()
        {
            ["version"] = $"{await VersionAsync(manager, opened.Number)}", ["rootCause"] = "WaitTime", ["outcome"] = "Called, apologised.",
        })).StatusCode);

        var resolved = await recovery.CaseAsync(opened.Number);
        Assert.Equal((CaseStatus.Resolved, resolvedAt, owner.Id, RootCause.WaitTime, "Called, apologised."),
            (resolved.Status, resolved.ResolvedAt, resolved.ResolvedById, resolved.RootCause, resolved.Outcome));
        Assert.Equal(["First contact: Called her back at 9.", "Booked her an early slot."], resolved.Notes.OrderBy(n => n.At).Select(n => n.Text));
        Assert.All(resolved.Notes, n => Assert.Equal((owner.Id, "Olivia Owner"), (n.AuthorId, n.AuthorName)));
        var audit = await recovery.DbAsync(db => db.AuditEntries.Where(e => e.AppointmentId == opened.AppointmentId).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal([AuditActions.CaseContacted, AuditActions.CaseChecklist, AuditActions.CaseNoteAdded, AuditActions.CaseResolved], audit);

        var html = await FrontDeskSeed.TextAsync(await manager.GetAsync($"/staff/cases/{opened.Number}"));
        Assert.Contains("Wait time", FrontDeskSeed.Element(html, "case-root-cause", "dd"));
        Assert.Contains("by Olivia Owner", FrontDeskSeed.Element(html, "case-resolved", "dd"));
        Assert.DoesNotContain("handler=Resolve", html);
    }

    [Theory]
    [InlineData("", "Called.", "rootCause", "Choose the root cause.")]
    [InlineData("Weather", "Called.", "rootCause", "Choose the root cause.")]
    [InlineData("Billing", "  ", "outcome", "Write the outcome of the contact.")]
    public async Task Resolving_without_a_root_cause_or_outcome_is_a_400_naming_the_field(string rootCause, string outcome, string field, string message)
    {
        var opened = await OpenCaseAsync();

        var response = await PostAsync(manager, opened.Number, "Resolve", new()
        {
            ["version"] = $"{await VersionAsync(manager, opened.Number)}", ["rootCause"] = rootCause, ["outcome"] = outcome,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await FrontDeskSeed.TextAsync(response);
        Assert.Contains($"<p class=\"field-error\" id=\"{field}-error\">{message}</p>", html);
        Assert.Contains($"<a href=\"#{field}\">{message}</a>", html);
        Assert.Equal(CaseStatus.Open, (await recovery.CaseAsync(opened.Number)).Status);
    }

    [Fact]
    public async Task A_form_without_its_version_or_antiforgery_token_changes_nothing()
    {
        var opened = await OpenCaseAsync();

        var noVersion = await PostAsync(manager, opened.Number, "Contact", []);
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
        Assert.Contains("This form is out of date", await FrontDeskSeed.TextAsync(noVersion));

        var forged = await manager.PostAsync($"/staff/cases/{opened.Number}?handler=Contact",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["version"] = $"{opened.Version}" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null((await recovery.CaseAsync(opened.Number)).FirstContactAt);
    }

    [Fact]
    public async Task Two_managers_acting_at_once_one_wins_and_the_other_is_told_it_changed_meanwhile()
    {
        var opened = await OpenCaseAsync();
        var colleague = await recovery.StaffAsync(StaffRoles.Manager, "Colleague Manager", clinic.LocationId);
        var other = await recovery.SignInAsync(colleague);
        var version = await VersionAsync(manager, opened.Number);
        var resolveToken = await StaffSignIn.AntiforgeryTokenAsync(manager, $"/staff/cases/{opened.Number}");
        var reassignToken = await StaffSignIn.AntiforgeryTokenAsync(other, $"/staff/cases/{opened.Number}");

        var responses = await Task.WhenAll(
            manager.PostAsync($"/staff/cases/{opened.Number}?handler=Resolve", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["version"] = $"{version}", ["rootCause"] = "Communication", ["outcome"] = "Explained the delay.", ["__RequestVerificationToken"] = resolveToken,
            })),
            other.PostAsync($"/staff/cases/{opened.Number}?handler=Reassign", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["version"] = $"{version}", ["ownerId"] = colleague.Id, ["__RequestVerificationToken"] = reassignToken,
            })));

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("Someone else changed this case meanwhile", await FrontDeskSeed.TextAsync(loser));
        var saved = await recovery.CaseAsync(opened.Number);
        var resolveWon = responses[0].StatusCode == HttpStatusCode.Redirect;
        Assert.Equal(resolveWon ? (CaseStatus.Resolved, owner.Id) : (CaseStatus.Open, colleague.Id), (saved.Status, saved.OwnerId));

        // The page the loser got carries the current version: acting on it again works (or is refused for a resolved case).
        var retry = await PostAsync(other, opened.Number, "Reassign", new() { ["version"] = $"{await VersionAsync(other, opened.Number)}", ["ownerId"] = colleague.Id });
        Assert.Equal(resolveWon ? HttpStatusCode.Conflict : HttpStatusCode.Redirect, retry.StatusCode);
        if (resolveWon) Assert.Contains("This case is resolved", await FrontDeskSeed.TextAsync(retry));
    }

    [Fact]
    public async Task A_case_can_be_given_to_another_manager_but_not_to_the_front_desk()
    {
        var opened = await OpenCaseAsync();
        var colleague = await recovery.StaffAsync(StaffRoles.Manager, "Colleague Manager");
        var desk = await recovery.StaffAsync(StaffRoles.FrontDesk, "Desk Person");

        var refused = await PostAsync(manager, opened.Number, "Reassign", new() { ["version"] = $"{await VersionAsync(manager, opened.Number)}", ["ownerId"] = desk.Id });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"ownerId-error\">Choose a manager from the list.", await FrontDeskSeed.TextAsync(refused));

        var given = await PostAsync(manager, opened.Number, "Reassign", new() { ["version"] = $"{await VersionAsync(manager, opened.Number)}", ["ownerId"] = colleague.Id });
        Assert.Equal(HttpStatusCode.Redirect, given.StatusCode);
        Assert.Equal(colleague.Id, (await recovery.CaseAsync(opened.Number)).OwnerId);
    }
}
