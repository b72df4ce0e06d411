using System.Net;
using CsvHelper;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using static CustomerExperience.Tests.Insights.InsightsSeed;

namespace CustomerExperience.Tests.Insights;

/// <summary>The CSV downloads of the dashboard: columns, rows, who gets customers' details, filters, formulas defused.</summary>
public class InsightsExportTests : IAsyncLifetime
{
    private static readonly TimeSpan Edt = TimeSpan.FromHours(-4);
    private static readonly string[] Formulas = ["=HYPERLINK(\"http://x.example\")", "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"];
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private InsightsSeed seed = null!;
    private string performer = "", desk = "";
    private string customerEmail = "";
    private int caseNumber;

    private string June => $"period=custom&from=2026-06-01&to=2026-06-30&location={seed.Clinic.LocationId}";

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(InsightsExportTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        seed = new InsightsSeed(app.Services, await TestClinic.SeedAsync(app.Services));
        performer = await StaffSignIn.CreateAccountIdAsync(app.Services, StaffRoles.Clinician, "Pat Performer");
        desk = await StaffSignIn.CreateAccountIdAsync(app.Services, StaffRoles.FrontDesk, "Dee Desk");

        var ada = await seed.CustomerAsync("Ada Lovelace");
        customerEmail = await seed.WithDbAsync(db => db.Customers.Where(c => c.Id == ada).Select(c => c.Email).SingleAsync());
        var visit = await seed.VisitAsync(ada, new DateTimeOffset(2026, 6, 10, 7, 20, 0, Edt), performedBy: performer, checkedInBy: desk);
        await seed.ResponseAsync(new DateTimeOffset(2026, 6, 10, 8, 0, 0, Edt), Scores(booking: 5, wait: 2, recommend: 10), visit, ada,
            comment: "Lovely, thank you");

        var unhappy = await seed.AnsweredVisitAsync(new DateTimeOffset(2026, 6, 12, 9, 0, 0, Edt),
            Scores(booking: 4, reminders: 4, welcome: 4, wait: 1, explained: 4, comfort: 4, recommend: 6), channel: SurveyChannel.Email, comment: "Too long a wait");
        await seed.CaseAsync(new DateTimeOffset(2026, 6, 12, 9, 0, 0, Edt), CaseStatus.Resolved, TimeSpan.FromHours(3), RootCause.WaitTime, responseId: unhappy);
        caseNumber = await seed.WithDbAsync(db => db.RecoveryCases.Where(c => c.ResponseId == unhappy).Select(c => c.Number).SingleAsync());

        foreach (var (formula, i) in Formulas.Select((f, i) => (f, i)))
            await seed.ResponseAsync(new DateTimeOffset(2026, 6, 20, 9, 0, 0, Edt).AddMinutes(i), Scores(recommend: 8), comment: formula);

        // Outside the period: in no export.
        await seed.AnsweredVisitAsync(new DateTimeOffset(2026, 5, 20, 9, 0, 0, Edt), Scores(recommend: 3), comment: "May comment");
        await seed.CaseAsync(new DateTimeOffset(2026, 5, 20, 9, 0, 0, Edt), CaseStatus.Open);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private sealed record Csv(HttpResponseMessage Response, IReadOnlyList<string> Header, IReadOnlyList<Dictionary<string, string>> Rows, string Text);

    private async Task<Csv> GetCsvAsync(string role, string query)
    {
        var client = await StaffSignIn.ClientAsync(app, role);
        var response = await client.GetAsync("/staff/insights?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        using var reader = CsvReader.FromText(text.TrimStart('\uFEFF'));
        var rows = new List<Dictionary<string, string>>();
        var header = reader.Headers.ToList();
        while (reader.Read())
            rows.Add(header.Select((h, i) => (h, i)).ToDictionary(c => c.h, c => reader.GetString(c.i)));
        return new Csv(response, header, rows, text);
    }

    [Fact]
    public async Task Admins_get_one_row_per_response_of_the_period_with_each_answer_in_its_question_column_and_the_customers_details()
    {
        var csv = await GetCsvAsync(StaffRoles.Admin, "handler=responses&" + June);

        Assert.Equal("text/csv; charset=utf-8", csv.Response.Content.Headers.ContentType?.ToString());
        Assert.Equal("attachment; filename=\"responses-2026-06-01-to-2026-06-30.csv\"", csv.Response.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("no-store", csv.Response.Headers.CacheControl?.ToString());
        Assert.StartsWith("\uFEFF", csv.Text);
        Assert.Equal(
            ["day", "time", "location", "service", "channel", "partial", "seconds", "performed_by", "checked_in_by",
             "booking", "reminders", "welcome", "wait", "explained", "comfort", "recommend", "nps_category", "comment", "contact_requested", "case",
             "customer", "email", "phone"], csv.Header);
        Assert.Equal(2 + Formulas.Length, csv.Rows.Count);
        Assert.DoesNotContain(csv.Rows, r => r["comment"] == "May comment");

        var ada = csv.Rows[0];
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["day"] = "2026-06-10", ["time"] = "2026-06-10 08:00", ["location"] = "Test Screening Center", ["service"] = "Screening mammogram",
                ["channel"] = "Kiosk", ["partial"] = "no", ["seconds"] = "30", ["performed_by"] = "Pat Performer", ["checked_in_by"] = "Dee Desk",
                ["booking"] = "5", ["reminders"] = "", ["welcome"] = "", ["wait"] = "2", ["explained"] = "", ["comfort"] = "", ["recommend"] = "10",
                ["nps_category"] = "promoter", ["comment"] = "Lovely, thank you", ["contact_requested"] = "no", ["case"] = "",
                ["customer"] = "Ada Lovelace", ["email"] = customerEmail,
                // Escaped like any cell starting with +: a spreadsheet shows the number as text instead of computing it.
                ["phone"] = "'+1 212 555 0199",
            }.Select(c => $"{c.Key}={c.Value}"), csv.Header.Select(h => $"{h}={ada[h]}"));
        var unhappy = csv.Rows[1];
        Assert.Equal(("Email", "1", "detractor", caseNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (unhappy["channel"], unhappy["wait"], unhappy["nps_category"], unhappy["case"]));
        var anonymous = csv.Rows[2];
        Assert.Equal(("", "", "", "", "passive"), (anonymous["service"], anonymous["performed_by"], anonymous["customer"], anonymous["email"], anonymous["nps_category"]));
    }

    [Fact]
    public async Task Managers_get_the_same_rows_without_the_customers_names_and_contact_details()
    {
        var csv = await GetCsvAsync(StaffRoles.Manager, "handler=responses&" + June);

        Assert.DoesNotContain("customer", csv.Header);
        Assert.DoesNotContain("email", csv.Header);
        Assert.DoesNotContain("phone", csv.Header);
        Assert.Equal(2 + Formulas.Length, csv.Rows.Count);
        Assert.DoesNotContain("Ada Lovelace", csv.Text);
        Assert.DoesNotContain(customerEmail, csv.Text);
        Assert.DoesNotContain("555 0199", csv.Text);
        Assert.Equal("Lovely, thank you", csv.Rows[0]["comment"]);
    }

    [Fact]
    public async Task A_cell_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text()
    {
        var csv = await GetCsvAsync(StaffRoles.Manager, "handler=responses&channel=Kiosk&" + June);

        var comments = csv.Rows.Select(r => r["comment"]).Where(c => c != "Lovely, thank you").ToList();
        Assert.Equal(Formulas.Select(f => "'" + f), comments);
    }

    [Fact]
    public async Task The_filters_in_force_choose_the_rows()
    {
        var email = await GetCsvAsync(StaffRoles.Manager, "handler=responses&channel=Email&" + June);
        Assert.Equal(["Too long a wait"], email.Rows.Select(r => r["comment"]));

        var staff = await GetCsvAsync(StaffRoles.Manager, $"handler=responses&staff={desk}&" + June);
        Assert.Equal(["Lovely, thank you"], staff.Rows.Select(r => r["comment"]));

        var may = await GetCsvAsync(StaffRoles.Manager, "handler=responses&period=custom&from=2026-05-01&to=2026-05-31");
        Assert.Equal(["May comment"], may.Rows.Select(r => r["comment"]));
        Assert.Equal("attachment; filename=\"responses-2026-05-01-to-2026-05-31.csv\"", may.Response.Content.Headers.ContentDisposition?.ToString());
    }

    [Fact]
    public async Task Cases_opened_in_the_period_come_with_their_times_at_the_location_and_customers_only_for_admins()
    {
        var admin = await GetCsvAsync(StaffRoles.Admin, "handler=cases&" + June);
        Assert.Equal(
            ["case", "source", "opened", "due", "first_contact", "resolved", "status", "owner", "root_cause", "outcome", "location", "customer", "email", "phone"],
            admin.Header);
        var row = Assert.Single(admin.Rows);
        Assert.Equal(
            (caseNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), "Survey", "2026-06-12 09:00", "2026-06-13 09:00", "2026-06-12 12:00",
             "2026-06-14 09:00", "Resolved", "Wait time", "Test Screening Center"),
            (row["case"], row["source"], row["opened"], row["due"], row["first_contact"], row["resolved"], row["status"], row["root_cause"], row["location"]));
        Assert.Equal("attachment; filename=\"cases-2026-06-01-to-2026-06-30.csv\"", admin.Response.Content.Headers.ContentDisposition?.ToString());

        var manager = await GetCsvAsync(StaffRoles.Manager, "handler=cases&" + June);
        Assert.Equal(admin.Header.Take(11), manager.Header);
        Assert.Equal(row["case"], Assert.Single(manager.Rows)["case"]);
    }

    [Theory]
    [InlineData(StaffRoles.FrontDesk, "responses")]
    [InlineData(StaffRoles.FrontDesk, "cases")]
    [InlineData(StaffRoles.Clinician, "responses")]
    [InlineData(StaffRoles.Clinician, "cases")]
    public async Task Front_desk_and_clinicians_get_403(string role, string what)
    {
        var client = await StaffSignIn.ClientAsync(app, role);
        var response = await client.GetAsync($"/staff/insights?handler={what}&" + June);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("Ada Lovelace", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("period=custom&from=2026-13-01&to=2026-06-30", "from:")]
    [InlineData("period=custom&from=2026-06-30&to=2026-06-01", "to:")]
    [InlineData("period=decade", "period:")]
    [InlineData("channel=fax", "channel:")]
    [InlineData("location=0197a000-0000-7000-8000-000000000000", "location:")]
    public async Task A_bad_filter_is_a_400_naming_the_field(string query, string field)
    {
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);
        foreach (var what in new[] { "responses", "cases" })
        {
            var response = await client.GetAsync($"/staff/insights?handler={what}&{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_dashboard_and_the_cases_list_link_to_the_downloads_with_the_filters_in_force()
    {
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);
        var dashboard = await client.GetStringAsync("/staff/insights?" + June + "&channel=Email");
        var location = seed.Clinic.LocationId;
        Assert.Contains($"href=\"/staff/insights?period=custom&amp;from=2026-06-01&amp;to=2026-06-30&amp;location={location}&amp;channel=Email&amp;handler=responses\"", dashboard);
        Assert.Contains("handler=cases\"", dashboard);
        Assert.Contains("left out (admins only)", dashboard);

        var cases = await client.GetStringAsync("/staff/cases");
        Assert.Contains("href=\"/staff/insights?handler=cases&amp;period=year\"", cases);
    }
}
