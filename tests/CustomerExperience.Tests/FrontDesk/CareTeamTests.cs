using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.FrontDesk;

/// <summary>
/// The care team on a visit: check-in records who did it, the performer is the signed-in user unless another of the
/// location's staff is picked, a pick from elsewhere or of a disabled account changes nothing, and the performer can be
/// corrected on the day. Clinicians use the front-desk pages and nothing more.
/// </summary>
public partial class CareTeamTests : IAsyncLifetime
{
    // Monday 30 November 2026, 08:30 in New York (13:30Z).
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 13, 30, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Now);
    private AppFactory app = null!;
    private TestClinic clinic = null!;
    private TestClinic elsewhere = null!;
    private HttpClient desk = null!;
    private string deskId = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(CareTeamTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        clinic = await TestClinic.SeedAsync(app.Services);
        elsewhere = await TestClinic.SeedAsync(app.Services);
        (desk, deskId) = await SignedInAsync(StaffRoles.FrontDesk, "Frankie Desk", clinic.LocationId);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static DateTimeOffset Eastern(int hour, int minute = 0) => new(2026, 11, 30, hour, minute, 0, TimeSpan.FromHours(-5));

    /// <summary>A staff account working at <paramref name="locations"/>; returns its id.</summary>
    private async Task<string> StaffAsync(string role, string name, params Guid[] locations)
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, role, name: name);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        db.StaffLocations.AddRange(locations.Select(l => new StaffLocation { StaffUserId = id, LocationId = l }));
        await db.SaveChangesAsync();
        return id;
    }

    private async Task<(HttpClient Client, string Id)> SignedInAsync(string role, string name, params Guid[] locations)
    {
        var id = await StaffAsync(role, name, locations);
        var email = await FrontDeskSeed.QueryAsync(app.Services, db => db.Users.Where(u => u.Id == id).Select(u => u.Email!).SingleAsync());
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(client, email, StaffSignIn.Password)).StatusCode);
        return (client, id);
    }

    private async Task<Appointment> VisitAsync(DateTimeOffset start, AppointmentStatus status = AppointmentStatus.Booked)
    {
        var customer = await FrontDeskSeed.CustomerAsync(app.Services, "Charlotte Example", "Lotte");
        return await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, start, status);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, Guid visit, string handler, Dictionary<string, string>? fields = null) =>
        StaffSignIn.PostFormAsync(client, "/staff/schedule", fields ?? [], action: $"/staff/visits/{visit}?handler={handler}");

    private Task<Appointment> ReloadAsync(Guid id) =>
        FrontDeskSeed.QueryAsync(app.Services, db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id));

    private Task<List<AuditEntry>> AuditAsync(Guid id) =>
        FrontDeskSeed.QueryAsync(app.Services, db => db.AuditEntries.AsNoTracking().Where(e => e.AppointmentId == id).OrderBy(e => e.Id).ToListAsync());

    [GeneratedRegex(@"Survey code for the exit kiosk: <strong>(\d{3} \d{3})</strong>")]
    private static partial Regex ShownCode();

    [Fact]
    public async Task Check_in_records_who_did_it_names_them_as_performer_and_gives_a_six_digit_code_shown_on_the_panel()
    {
        var visit = await VisitAsync(Eastern(9));

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(desk, visit.Id, "CheckIn")).StatusCode);

        var saved = await ReloadAsync(visit.Id);
        Assert.Equal((deskId, deskId), (saved.CheckedInById, saved.PerformedById));
        Assert.Matches("^[0-9]{6}$", saved.VisitCode);
        var panel = await FrontDeskSeed.TextAsync(await desk.GetAsync($"/staff/visits/{visit.Id}"));
        Assert.Contains("Checked in by Frankie Desk · Performed by Frankie Desk", FrontDeskSeed.Element(panel, "care-team", "dd"));
        Assert.Equal($"{saved.VisitCode![..3]} {saved.VisitCode[3..]}", ShownCode().Match(panel).Groups[1].Value);
        Assert.DoesNotContain(saved.VisitCode, (await AuditAsync(visit.Id)).Single().Details);
    }

    [Fact]
    public async Task The_schedule_offers_the_locations_staff_clinicians_first_and_a_picked_performer_is_stored_and_kept_at_completion()
    {
        var clinician = await StaffAsync(StaffRoles.Clinician, "Casey Clinician", clinic.LocationId);
        await StaffAsync(StaffRoles.Clinician, "Otto Elsewhere", elsewhere.LocationId);
        var visit = await VisitAsync(Eastern(9));

        var schedule = await FrontDeskSeed.TextAsync(await desk.GetAsync($"/staff/schedule?location={clinic.LocationId}"));
        var picker = FrontDeskSeed.Element(schedule, $"performer-{visit.Id}", "select");
        Assert.Matches("Casey Clinician.*Frankie Desk", picker.ReplaceLineEndings(" "));
        Assert.DoesNotContain("Otto Elsewhere", picker);
        Assert.Contains($"value=\"{deskId}\" selected", picker);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(desk, visit.Id, "CheckIn", new() { ["performer"] = clinician })).StatusCode);
        var checkedIn = await ReloadAsync(visit.Id);
        Assert.Equal((deskId, clinician), (checkedIn.CheckedInById, checkedIn.PerformedById));

        var complete = await PostAsync(desk, visit.Id, "Complete");
        Assert.Equal($"/staff/visits/{visit.Id}/next", complete.Headers.Location!.OriginalString);
        var completed = await ReloadAsync(visit.Id);
        Assert.Equal((AppointmentStatus.Completed, clinician, checkedIn.VisitCode), (completed.Status, completed.PerformedById, completed.VisitCode));
        var checkout = await FrontDeskSeed.TextAsync(await desk.GetAsync(complete.Headers.Location.OriginalString));
        Assert.Equal($"{completed.VisitCode![..3]} {completed.VisitCode[3..]}", ShownCode().Match(checkout).Groups[1].Value);
    }

    [Fact]
    public async Task Completion_gives_a_code_when_the_visit_has_none_and_names_the_performer_picked_then()
    {
        var clinician = await StaffAsync(StaffRoles.Clinician, "Casey Clinician", clinic.LocationId);
        var visit = await VisitAsync(Eastern(8), AppointmentStatus.CheckedIn);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(desk, visit.Id, "Complete", new() { ["performer"] = clinician })).StatusCode);

        var saved = await ReloadAsync(visit.Id);
        Assert.Equal(clinician, saved.PerformedById);
        Assert.Matches("^[0-9]{6}$", saved.VisitCode);
    }

    [Fact]
    public async Task A_performer_from_another_location_or_a_disabled_account_is_a_400_and_changes_nothing()
    {
        var other = await StaffAsync(StaffRoles.Clinician, "Otto Elsewhere", elsewhere.LocationId);
        var disabled = await StaffAsync(StaffRoles.Clinician, "Dora Disabled", clinic.LocationId);
        await FrontDeskSeed.QueryAsync(app.Services, db => db.Users.Where(u => u.Id == disabled)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.DisabledAt, Now.AddDays(-1))));
        var visit = await VisitAsync(Eastern(9));

        foreach (var (performer, handler) in new[] { (other, "CheckIn"), (disabled, "CheckIn"), ("no-such-account", "Complete") })
        {
            var response = await PostAsync(desk, visit.Id, handler, new() { ["performer"] = performer });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("The performer must be an active staff member of Test Screening Center",
                FrontDeskSeed.Element(await FrontDeskSeed.TextAsync(response), "visit-problem", "div"));
        }
        var saved = await ReloadAsync(visit.Id);
        Assert.Equal((AppointmentStatus.Booked, null, null, null), (saved.Status, saved.CheckedInById, saved.PerformedById, saved.VisitCode));
        Assert.Empty(await AuditAsync(visit.Id));
    }

    [Fact]
    public async Task The_performer_is_corrected_on_the_panel_while_checked_in_and_on_the_day_of_completion_and_the_change_is_audited()
    {
        var clinician = await StaffAsync(StaffRoles.Clinician, "Casey Clinician", clinic.LocationId);
        var visit = await VisitAsync(Eastern(9));
        await PostAsync(desk, visit.Id, "CheckIn");
        var panel = await FrontDeskSeed.TextAsync(await desk.GetAsync($"/staff/visits/{visit.Id}"));
        Assert.Contains("id=\"performer-correct\"", panel);
        Assert.DoesNotContain($"id=\"performer-{visit.Id}\"", panel);

        var corrected = await PostAsync(desk, visit.Id, "Performer", new() { ["performer"] = clinician });

        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
        Assert.Equal(clinician, (await ReloadAsync(visit.Id)).PerformedById);
        var entry = (await AuditAsync(visit.Id)).Last();
        Assert.Equal((AuditActions.VisitPerformerChanged, "Performed by Casey Clinician (was Frankie Desk)", "Frankie Desk"),
            (entry.Action, entry.Details, entry.StaffName));
        panel = await FrontDeskSeed.TextAsync(await desk.GetAsync($"/staff/visits/{visit.Id}"));
        Assert.Contains("Checked in by Frankie Desk · Performed by Casey Clinician", panel);

        await PostAsync(desk, visit.Id, "Complete");
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(desk, visit.Id, "Performer", new() { ["performer"] = deskId })).StatusCode);
        Assert.Equal(deskId, (await ReloadAsync(visit.Id)).PerformedById);

        var yesterday = await VisitAsync(Eastern(9).AddDays(-1), AppointmentStatus.Completed);
        var late = await PostAsync(desk, yesterday.Id, "Performer", new() { ["performer"] = clinician });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("The performer can be corrected while the visit is checked in, or on the day it was completed.", await FrontDeskSeed.TextAsync(late));
        Assert.Null((await ReloadAsync(yesterday.Id)).PerformedById);
        Assert.DoesNotContain("id=\"performer-correct\"", await FrontDeskSeed.TextAsync(await desk.GetAsync($"/staff/visits/{yesterday.Id}")));
    }

    [Fact]
    public async Task Correcting_to_someone_from_another_location_is_a_400_and_changes_nothing()
    {
        var other = await StaffAsync(StaffRoles.Clinician, "Otto Elsewhere", elsewhere.LocationId);
        var visit = await VisitAsync(Eastern(9));
        await PostAsync(desk, visit.Id, "CheckIn");

        var response = await PostAsync(desk, visit.Id, "Performer", new() { ["performer"] = other });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(deskId, (await ReloadAsync(visit.Id)).PerformedById);
        Assert.DoesNotContain(await AuditAsync(visit.Id), e => e.Action == AuditActions.VisitPerformerChanged);
    }

    [Fact]
    public async Task A_clinician_uses_the_schedule_and_the_visit_panel_but_gets_403_on_manager_and_admin_pages()
    {
        var (clinician, clinicianId) = await SignedInAsync(StaffRoles.Clinician, "Casey Clinician", clinic.LocationId);
        var visit = await VisitAsync(Eastern(9));

        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync($"/staff/schedule?location={clinic.LocationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync($"/staff/visits/{visit.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(clinician, visit.Id, "CheckIn")).StatusCode);
        Assert.Equal((clinicianId, clinicianId), ((await ReloadAsync(visit.Id)).CheckedInById, (await ReloadAsync(visit.Id)).PerformedById));
        foreach (var page in new[] { "/staff/accounts", "/staff/messages", $"/staff/accounts/{clinicianId}" })
            Assert.Equal(HttpStatusCode.Forbidden, (await clinician.GetAsync(page)).StatusCode);
        var home = await clinician.GetStringAsync("/staff");
        Assert.DoesNotContain("/staff/accounts", home);
    }

    [Fact]
    public async Task Codes_are_distinct_among_the_locations_visits_of_the_last_30_days_only()
    {
        var customer = await FrontDeskSeed.CustomerAsync(app.Services);
        await WithCodeAsync(await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Now.AddDays(-5), AppointmentStatus.Completed), "111111");
        await WithCodeAsync(await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Now.AddDays(-40), AppointmentStatus.Completed), "333333");
        await WithCodeAsync(await FrontDeskSeed.VisitAsync(app.Services, elsewhere, customer.Id, Now.AddDays(-2), AppointmentStatus.Completed), "222222");
        await using var scripted = ScriptedCodes(["111111", "333333"], ["333333", "222222"]);
        var first = await VisitAsync(Eastern(9));
        var second = await VisitAsync(Eastern(10));

        var client = await SignedInClientAsync(scripted);
        await PostAsync(client, first.Id, "CheckIn");
        await PostAsync(client, second.Id, "CheckIn");

        Assert.Equal("333333", (await ReloadAsync(first.Id)).VisitCode);
        Assert.Equal("222222", (await ReloadAsync(second.Id)).VisitCode);
    }

    [Fact]
    public async Task Two_desks_giving_codes_at_once_at_one_location_get_different_codes()
    {
        await using var scripted = ScriptedCodes(["444444", "555555"], ["444444", "555555"]);
        var first = await VisitAsync(Eastern(9));
        var second = await VisitAsync(Eastern(10));
        var one = await SignedInClientAsync(scripted);
        var two = await SignedInClientAsync(scripted);
        var tokens = await Task.WhenAll(StaffSignIn.AntiforgeryTokenAsync(one, "/staff/schedule"), StaffSignIn.AntiforgeryTokenAsync(two, "/staff/schedule"));

        Task<HttpResponseMessage> CheckIn(HttpClient c, string token, Guid id) => c.PostAsync($"/staff/visits/{id}?handler=CheckIn",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var responses = await Task.WhenAll(CheckIn(one, tokens[0], first.Id), CheckIn(two, tokens[1], second.Id));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(["444444", "555555"], new[] { (await ReloadAsync(first.Id)).VisitCode, (await ReloadAsync(second.Id)).VisitCode }.Order());
    }

    private async Task WithCodeAsync(Appointment visit, string code) =>
        await FrontDeskSeed.QueryAsync(app.Services, db => db.Appointments.Where(a => a.Id == visit.Id)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.VisitCode, code)));

    /// <summary>The same app with <see cref="Web.FrontDesk.VisitCodes"/> drawing from scripts: the nth request's codes come from the nth script.</summary>
    private WebApplicationFactory<Program> ScriptedCodes(params string[][] scripts)
    {
        var queue = new Queue<string[]>(scripts);
        return app.WithWebHostBuilder(b => b.ConfigureServices(services =>
            services.Replace(ServiceDescriptor.Scoped<Web.FrontDesk.VisitCodes>(p => new ScriptedVisitCodes(
                p.GetRequiredService<AppDbContext>(), p.GetRequiredService<TimeProvider>(), () => { lock (queue) return queue.Dequeue(); })))));
    }

    private async Task<HttpClient> SignedInClientAsync(WebApplicationFactory<Program> factory)
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(client, email, StaffSignIn.Password)).StatusCode);
        return client;
    }

    /// <summary>Candidates from a script instead of chance: the script is taken when the first candidate is asked for.</summary>
    private sealed class ScriptedVisitCodes(AppDbContext db, TimeProvider clock, Func<string[]> script) : Web.FrontDesk.VisitCodes(db, clock)
    {
        private Queue<string>? candidates;

        protected override string Candidate() => (candidates ??= new Queue<string>(script())).Dequeue();
    }
}
