using System.Text;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Tests.Setup;

/// <summary>An import run by the real Hangfire job, its progress read the way the page's script reads it.</summary>
public class ImportJobTests : IAsyncLifetime
{
    private AppFactory app = null!;

    public async Task InitializeAsync() =>
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(ImportJobTests))).With("App:RunJobs", "true");

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Five_thousand_rows_run_in_the_background_reporting_progress_until_complete()
    {
        var clinic = await TestClinic.SeedAsync(app.Services);
        var admin = new ImportClient(await StaffSignIn.ClientAsync(app, StaffRoles.Admin));
        var csv = new StringBuilder("Full name,Preferred name,Email,Phone,Date of birth,Last visit\n");
        for (var i = 0; i < 5000; i++)
            csv.Append($"Customer{i} Tester,,c{i}@bulk.example,,1970-01-{i % 28 + 1:00},{(i == 77 ? "soon" : "2026-01-15")}\n");
        var id = await admin.UploadOkAsync(Encoding.UTF8.GetBytes(csv.ToString()));
        await admin.StartAsync(id, ImportClient.Mapping(clinic.LocationId, clinic.ServiceId));

        var seen = new List<int>();
        await Eventually.TrueAsync(async () =>
        {
            var progress = await admin.ProgressAsync(id);
            seen.Add(progress.GetProperty("done").GetInt32());
            Assert.NotEqual("Failed", progress.GetProperty("status").GetString());
            return progress.GetProperty("status").GetString() == "Completed";
        }, TimeSpan.FromSeconds(120), "the import to complete");

        Assert.Equal(seen.Order(), seen);
        Assert.Equal(5000, seen[^1]);
        Assert.Contains(seen, done => done is > 0 and < 5000);
        var final = await admin.ProgressAsync(id);
        Assert.Equal((5000, 4999, 1), (final.GetProperty("total").GetInt32(), final.GetProperty("imported").GetInt32(), final.GetProperty("rejected").GetInt32()));
        await using var db = TestDatabases.Context(app.ConnectionString);
        Assert.Equal(4999, await db.Customers.CountAsync());
        var page = await admin.ClientGetStringAsync($"{ImportClient.Page}/{id}");
        Assert.Contains("Import complete", page);
        Assert.Contains("id=\"download-rejected\"", page);
    }
}
