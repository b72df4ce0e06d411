using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Setup;

/// <summary>The CSV import, run in the test (the job's own work, without waiting for a Hangfire worker).</summary>
public partial class ImportTests : IAsyncLifetime
{
    // Monday 23 November 2026, 07:00 in New York.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private TestClinic clinic = null!;
    private ImportClient admin = null!;

    private const string Header = "Full name,Preferred name,Email,Phone,Date of birth,Last visit Screening mammogram\r\n";

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(ImportTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        clinic = await TestClinic.SeedAsync(app.Services);
        admin = new ImportClient(await StaffSignIn.ClientAsync(app, StaffRoles.Admin));
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static string Row(int i, string? email = null, string dob = "1970-01-02", string visit = "2026-03-01") =>
        $"Customer{i} Tester,C{i},{email ?? $"c{i}@import.example"},+1 212 555 {i:0000},{dob},{visit}\r\n";

    private async Task<CustomerImport> ImportAsync(byte[] file, Dictionary<string, string>? mapping = null)
    {
        var id = await admin.UploadOkAsync(file);
        await admin.StartAsync(id, mapping ?? ImportClient.Mapping(clinic.LocationId, clinic.ServiceId));
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ImportRunner>().RunAsync(id, default);
        await using var db = TestDatabases.Context(app.ConnectionString);
        return await db.CustomerImports.SingleAsync(i => i.Id == id);
    }

    [Fact]
    public async Task Three_bad_rows_are_reported_with_row_column_and_reason_and_the_rest_are_imported()
    {
        var csv = new StringBuilder(Header);
        for (var i = 1; i <= 60; i++)
            csv.Append(i switch
            {
                5 => Row(i, email: "not-an-email"),
                12 => Row(i, dob: ""),
                30 => Row(i, visit: "2027-01-01"),
                _ => Row(i),
            });
        var import = await ImportAsync(Encoding.UTF8.GetBytes(csv.ToString()));

        Assert.Equal(ImportStatus.Completed, import.Status);
        Assert.Equal((60, 60, 57, 3), (import.TotalRows, import.RowsDone, import.Imported, import.Rejected));
        await using var db = TestDatabases.Context(app.ConnectionString);
        Assert.Equal(57, await db.Customers.CountAsync());
        Assert.Equal(57, await db.PastVisits.CountAsync());
        Assert.Empty(await db.CustomerImportChunks.Where(c => c.ImportId == import.Id).ToListAsync());

        var download = await admin.ClientGetAsync($"{ImportClient.Page}/{import.Id}?handler=Rejected");
        await using var reader = CsvReader.Create(new MemoryStream(download));
        var rejected = new List<(string Row, string Column, string Reason, string Email)>();
        while (await reader.ReadAsync())
            rejected.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(5)));
        Assert.Equal(["Row", "Column", "Reason", "Full name"], reader.Headers.Take(4));
        Assert.Equal(["6", "13", "31"], rejected.Select(r => r.Row));
        Assert.Equal(["Email", "Date of birth", "Last visit Screening mammogram"], rejected.Select(r => r.Column));
        Assert.Contains("email address like name@example.com", rejected[0].Reason);
        Assert.Equal("not-an-email", rejected[0].Email);
        Assert.Contains("date of birth is needed", rejected[1].Reason);
        Assert.Contains("cannot be in the future", rejected[2].Reason);
    }

    [Fact]
    public async Task An_imported_last_visit_shows_on_the_customers_timeline_at_its_date_and_a_customer_without_one_shows_none()
    {
        var csv = Header + Row(1, visit: "2026-03-01") + Row(2, visit: "");
        var import = await ImportAsync(Encoding.UTF8.GetBytes(csv));
        Assert.Equal((2, 0), (import.Imported, import.Rejected));
        var (first, second) = ("c1@import.example", "c2@import.example"); // parameters in the SQL, not addresses (log scan)
        var (visited, never) = await DbFor(async db => (
            await db.Customers.Where(c => c.Email == first).Select(c => c.Id).SingleAsync(),
            await db.Customers.Where(c => c.Email == second).Select(c => c.Id).SingleAsync()));
        // A note from before the visit and one from after it, to place the visit among them.
        await DbFor(async db =>
        {
            foreach (var (at, text) in new[] { (new DateTimeOffset(2026, 2, 27, 15, 0, 0, TimeSpan.Zero), "Before"), (new DateTimeOffset(2026, 3, 2, 15, 0, 0, TimeSpan.Zero), "After") })
                db.CustomerNotes.Add(new CustomerNote { Id = Guid.CreateVersion7(), CustomerId = visited, Text = text, CreatedAt = at, CreatedById = "x", CreatedBy = "Test Desk" });
            return await db.SaveChangesAsync();
        });

        var page = WebUtility.HtmlDecode(await admin.ClientGetStringAsync($"/staff/customers/{visited}"));
        var timeline = TimelineItems().Matches(page).Select(m => (Kind: m.Groups["kind"].Value, Title: m.Groups["title"].Value)).ToList();
        Assert.Equal(
            [("note", "Note added"), ("past-visit", "Last Screening mammogram visit on Sun Mar 1, 2026 at Test Screening Center (imported)"), ("note", "Note added")],
            timeline.Where(i => i.Kind is "note" or "past-visit"));
        Assert.Contains("<time datetime=\"2026-03-01\">Sun Mar 1, 2026</time>", page);
        Assert.Contains("From customers.csv, imported by", page);
        Assert.Equal(1, timeline.Count(i => i.Kind == "past-visit"));

        var without = WebUtility.HtmlDecode(await admin.ClientGetStringAsync($"/staff/customers/{never}"));
        Assert.Contains("id=\"timeline-section\"", without);
        Assert.DoesNotContain("data-kind=\"past-visit\"", without);
        Assert.DoesNotContain("(imported)", without);
    }

    [GeneratedRegex("""<li class="timeline-item[^"]*" data-kind="(?<kind>[^"]+)">\s*<p class="meta">.*?</p>\s*<p class="title">(?<title>[^<]*)</p>""", RegexOptions.Singleline)]
    private static partial Regex TimelineItems();

    private async Task<T> DbFor<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var db = TestDatabases.Context(app.ConnectionString);
        return await query(db);
    }

    [Fact]
    public async Task Importing_the_same_file_twice_leaves_the_same_database()
    {
        var csv = new StringBuilder(Header);
        for (var i = 1; i <= 30; i++) csv.Append(Row(i));
        // Twins on one family address: two people, never merged.
        csv.Append("Anna Twin,,family@import.example,,2001-05-05,2026-01-10\r\n");
        csv.Append("Bert Twin,,family@import.example,,2001-05-05,2026-02-10\r\n");
        var file = Encoding.UTF8.GetBytes(csv.ToString());

        var first = await ImportAsync(file);
        var before = await SnapshotAsync();
        var second = await ImportAsync(file);

        Assert.Equal((32, 0), (first.Imported, first.Rejected));
        Assert.Equal((0, 0, 32), (second.Imported, second.Updated, second.Unchanged));
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(2, before.Count(s => s.Contains("family@import.example")));
    }

    private async Task<List<string>> SnapshotAsync()
    {
        await using var db = TestDatabases.Context(app.ConnectionString);
        var customers = await db.Customers.OrderBy(c => c.Id)
            .Select(c => $"{c.Id}|{c.FullName}|{c.PreferredName}|{c.Email}|{c.Phone}|{c.DateOfBirth}|{c.CreatedAt:O}|{c.Version}").ToListAsync();
        var visits = await db.PastVisits.OrderBy(v => v.Id).Select(v => $"{v.Id}|{v.CustomerId}|{v.ServiceId}|{v.VisitedOn}|{v.ImportId}").ToListAsync();
        return [.. customers, .. visits];
    }

    [Fact]
    public async Task Quotes_commas_line_breaks_in_quoted_fields_and_non_ascii_names_survive()
    {
        var csv = "\uFEFFFull name,Preferred name,Email,Phone,Date of birth,Last visit,Notes\r\n"
            + "\"Nuñez, María José\",\"Zoë \"\"Z\"\"\",maria@import.example,+1 212 555 0101,1980-02-03,2026-04-05,\"line one\r\nline two, with comma\"\r\n"
            + "Søren Ødegård-Łukasiewicz,,soren@import.example,,1975-06-07,,plain\r\n"
            + "王 秀英,秀英,wang@import.example,,1990-01-01,2025-12-24,\"\"\r\n";
        var import = await ImportAsync(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv[1..])).ToArray());

        Assert.Equal((3, 0), (import.Imported, import.Rejected));
        Assert.Equal("Full name", import.Headers[0]);
        await using var db = TestDatabases.Context(app.ConnectionString);
        var customers = await db.Customers.OrderBy(c => c.Email).ToListAsync();
        Assert.Equal(["Nuñez, María José", "Søren Ødegård-Łukasiewicz", "王 秀英"], customers.Select(c => c.FullName));
        Assert.Equal("Zoë \"Z\"", customers[0].PreferredName);
        Assert.Equal(new DateOnly(1975, 6, 7), customers[1].DateOfBirth);
        Assert.Equal([new DateOnly(2025, 12, 24), new DateOnly(2026, 4, 5)], await db.PastVisits.OrderBy(v => v.VisitedOn).Select(v => v.VisitedOn).ToListAsync());
    }

    [Fact]
    public async Task A_windows_1252_file_with_semicolons_is_read_and_its_columns_guessed()
    {
        var csv = "Name;E-mail;Telephone;DOB;Screening mammogram\r\nRenée Müller;renee@import.example;+49 30 1234567;02/01/1970;15/03/2026\r\n";
        var id = await admin.UploadOkAsync(ImportFiles.Windows1252.GetBytes(csv));
        var page = await admin.ClientGetStringAsync($"{ImportClient.Page}/{id}");
        Assert.Contains("read as windows-1252", page);
        Assert.Matches("<select id=\"email\"[^>]*>(?:(?!</select>).)*<option value=\"1\" selected=\"selected\">", page.Replace("\n", " "));
        Assert.Matches("<select id=\"dateOfBirth\"[^>]*>(?:(?!</select>).)*<option value=\"3\" selected=\"selected\">", page.Replace("\n", " "));
        Assert.Matches($"<select id=\"service-{clinic.ServiceId}\"[^>]*>(?:(?!</select>).)*<option value=\"4\" selected=\"selected\">", page.Replace("\n", " "));

        var mapping = new Dictionary<string, string>
        {
            ["FullName"] = "0", ["Email"] = "1", ["Phone"] = "2", ["DateOfBirth"] = "3", ["DateFormat"] = "dd/MM/yyyy",
            ["LocationId"] = clinic.LocationId.ToString(), [$"service-{clinic.ServiceId}"] = "4",
        };
        var preview = await admin.PostAsync(id, "Preview", mapping);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("Renée Müller", WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync()));

        await admin.StartAsync(id, mapping);
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ImportRunner>().RunAsync(id, default);
        await using var db = TestDatabases.Context(app.ConnectionString);
        var customer = await db.Customers.SingleAsync();
        Assert.Equal(("Renée Müller", new DateOnly(1970, 1, 2)), (customer.FullName, customer.DateOfBirth));
        Assert.Equal(new DateOnly(2026, 3, 15), (await db.PastVisits.SingleAsync()).VisitedOn);
    }

    [Fact]
    public async Task A_mapping_without_the_email_column_is_a_400_naming_it_and_starts_nothing()
    {
        var id = await admin.UploadOkAsync(Encoding.UTF8.GetBytes(Header + Row(1)));
        var mapping = ImportClient.Mapping(clinic.LocationId, clinic.ServiceId);
        mapping["Email"] = "";
        var response = await admin.PostAsync(id, "Start", mapping);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Choose the column that holds the email address", await response.Content.ReadAsStringAsync());
        await using var db = TestDatabases.Context(app.ConnectionString);
        Assert.Equal(ImportStatus.Uploaded, (await db.CustomerImports.SingleAsync(i => i.Id == id)).Status);
    }

    [Fact]
    public async Task A_file_over_the_limit_and_a_binary_file_are_refused_with_a_clear_message()
    {
        var big = new byte[50 * 1024 * 1024];
        Array.Fill(big, (byte)'a');
        var tooLarge = await admin.UploadAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("The file is 50.0 MB; the limit is 20 MB", await tooLarge.Content.ReadAsStringAsync());

        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, .. Encoding.ASCII.GetBytes("name,email,dob")];
        var binary = await admin.UploadAsync(png, "photo.csv");
        Assert.Equal(HttpStatusCode.BadRequest, binary.StatusCode);
        Assert.Contains("This is not a CSV text file", await binary.Content.ReadAsStringAsync());

        await using var db = TestDatabases.Context(app.ConnectionString);
        Assert.Equal(0, await db.CustomerImports.CountAsync());
        Assert.Equal(0, await db.CustomerImportChunks.CountAsync());
    }

    [Fact]
    public async Task An_imported_last_visit_sets_the_coverage_date_and_the_recall_at_once()
    {
        // Last screening 18 December 2025: covered again from 18 December 2026, the first recall due on 18 November.
        var import = await ImportAsync(Encoding.UTF8.GetBytes(Header + "Rita Returning,Rita,rita@import.example,,1961-05-06,2025-12-18\r\n"));
        Assert.Equal(1, import.Imported);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customer = await db.Customers.SingleAsync();
        var service = await db.Services.SingleAsync(s => s.Id == clinic.ServiceId);
        Assert.Equal(new DateOnly(2026, 12, 18), await scope.ServiceProvider.GetRequiredService<Eligibility>().CoveredFromAsync(customer.Id, service, default));
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<EligibilityRecalls>().QueueDueAsync(default));
        Assert.Equal($"recall:{customer.Id}:{clinic.ServiceId}:2026-12-18:0",
            await db.OutboundEmails.Where(e => e.CustomerId == customer.Id).Select(e => e.IdempotencyKey).SingleAsync());
        // A later completed visit in the app wins over the imported one.
        var otherEmail = "other@import.example"; // a variable, so the SQL carries a parameter, not the address (log scan)
        await clinic.SeedCompletedVisitAsync(app.Services, otherEmail, new DateOnly(1961, 5, 6), new DateTimeOffset(2026, 2, 1, 15, 0, 0, TimeSpan.Zero));
        var other = await db.Customers.SingleAsync(c => c.Email == otherEmail);
        db.PastVisits.Add(new PastVisit { Id = Guid.CreateVersion7(), CustomerId = other.Id, ServiceId = service.Id, LocationId = clinic.LocationId, VisitedOn = new DateOnly(2025, 6, 1) });
        await db.SaveChangesAsync();
        Assert.Equal(new DateOnly(2027, 2, 1), await scope.ServiceProvider.GetRequiredService<Eligibility>().CoveredFromAsync(other.Id, service, default));
    }

    [Theory]
    [InlineData(StaffRoles.Manager)]
    [InlineData(StaffRoles.FrontDesk)]
    public async Task Only_admins_may_import(string role)
    {
        var client = await StaffSignIn.ClientAsync(app, role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(ImportClient.Page)).StatusCode);
        var id = await admin.UploadOkAsync(Encoding.UTF8.GetBytes(Header + Row(1)));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"{ImportClient.Page}/{id}?handler=Rejected")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"{ImportClient.Page}/{id}?handler=Progress")).StatusCode);
    }
}
