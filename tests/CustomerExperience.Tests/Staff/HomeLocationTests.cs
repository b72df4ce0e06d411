using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Staff;

/// <summary>Admins give accounts a role (clinician included), a name and home locations, on create and later; audited; nonsense refused.</summary>
public class HomeLocationTests : IAsyncLifetime
{
    private AppFactory app = null!;
    private TestClinic riverside = null!;
    private TestClinic midtown = null!;
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(HomeLocationTests)));
        riverside = await TestClinic.SeedAsync(app.Services);
        midtown = await TestClinic.SeedAsync(app.Services);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Locations.Where(l => l.Id == riverside.LocationId).ExecuteUpdateAsync(l => l.SetProperty(x => x.Name, "Riverside"));
            await db.Locations.Where(l => l.Id == midtown.LocationId).ExecuteUpdateAsync(l => l.SetProperty(x => x.Name, "Midtown"));
        }
        admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>Posts the create form; several home locations are several values of one field.</summary>
    private async Task<HttpResponseMessage> CreateAsync(string email, params string[] locations)
    {
        var token = await StaffSignIn.AntiforgeryTokenAsync(admin, "/staff/accounts");
        var fields = new Dictionary<string, string>
        {
            ["email"] = email, ["displayName"] = "Casey Clinician", ["role"] = StaffRoles.Clinician, ["password"] = "Casey-Password-2026",
            ["__RequestVerificationToken"] = token,
        }.Concat(locations.Select(l => KeyValuePair.Create("homeLocations", l)));
        return await admin.PostAsync("/staff/accounts?handler=Create", new FormUrlEncodedContent(fields));
    }

    private Task<List<Guid>> HomesAsync(string email) =>
        QueryAsync(db => db.StaffLocations.Where(s => db.Users.Any(u => u.Id == s.StaffUserId && u.Email == email)).Select(s => s.LocationId).ToListAsync());

    [Fact]
    public async Task A_clinician_created_with_two_home_locations_has_them_and_the_audit_entry_names_them()
    {
        var email = $"casey-{Guid.NewGuid():N}@staff.example";

        var response = await CreateAsync(email, riverside.LocationId.ToString(), midtown.LocationId.ToString());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal([riverside.LocationId, midtown.LocationId], (await HomesAsync(email)).Order());
        var roles = await QueryAsync(db => db.UserRoles.Where(r => db.Users.Any(u => u.Id == r.UserId && u.Email == email)).Select(r => r.RoleId).ToListAsync());
        Assert.Equal(["clinician"], roles);
        var entry = await QueryAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.AccountCreated));
        Assert.Equal($"Casey Clinician <{email}>, role Clinician, works at Midtown, Riverside", entry.Details);
        var list = WebUtility.HtmlDecode(await admin.GetStringAsync("/staff/accounts"));
        var row = list[list.IndexOf($"data-email=\"{email}\"", StringComparison.Ordinal)..];
        Assert.Contains("<td>Clinician (technologist)</td>", row[..row.IndexOf("</tr>", StringComparison.Ordinal)]);
        Assert.Contains("<td>Midtown, Riverside</td>", row[..row.IndexOf("</tr>", StringComparison.Ordinal)]);
    }

    [Theory]
    [InlineData("none", "Choose at least one home location")]
    [InlineData("unknown", "Choose home locations from the list.")]
    [InlineData("garbage", "Choose home locations from the list.")]
    public async Task Creating_without_a_real_home_location_is_a_400_and_creates_nothing(string kind, string message)
    {
        var email = $"casey-{Guid.NewGuid():N}@staff.example";
        string[] locations = kind switch { "none" => [], "unknown" => [Guid.NewGuid().ToString()], _ => ["riverside"] };

        var response = await CreateAsync(email, locations);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.False(await QueryAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task The_account_page_changes_name_and_home_locations_audited_and_refuses_an_unknown_location()
    {
        var email = $"casey-{Guid.NewGuid():N}@staff.example";
        Assert.Equal(HttpStatusCode.Redirect, (await CreateAsync(email, riverside.LocationId.ToString())).StatusCode);
        var id = await QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var page = $"/staff/accounts/{id}";
        Assert.Contains($"value=\"{riverside.LocationId}\" checked", await admin.GetStringAsync(page));

        var saved = await StaffSignIn.PostFormAsync(admin, page, new() { ["displayName"] = "Casey Jones", ["homeLocations"] = midtown.LocationId.ToString() },
            $"{page}?handler=Details");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal([midtown.LocationId], await HomesAsync(email));
        Assert.Equal("Casey Jones", await QueryAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.DisplayName).SingleAsync()));
        var entry = await QueryAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.AccountDetailsChanged));
        Assert.Equal($"Casey Clinician <{email}>: name Casey Clinician → Casey Jones; works at Riverside → Midtown", entry.Details);

        var refused = await StaffSignIn.PostFormAsync(admin, page, new() { ["displayName"] = "Casey Jones", ["homeLocations"] = Guid.NewGuid().ToString() },
            $"{page}?handler=Details");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Choose home locations from the list.", await refused.Content.ReadAsStringAsync());
        Assert.Equal([midtown.LocationId], await HomesAsync(email));
        Assert.Single(await QueryAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.AccountDetailsChanged).ToListAsync()));
    }

    [Fact]
    public async Task Clinician_is_a_role_admins_can_give()
    {
        var deskEmail = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        var id = await QueryAsync(db => db.Users.Where(u => u.Email == deskEmail).Select(u => u.Id).SingleAsync());
        var page = $"/staff/accounts/{id}";
        Assert.Contains($"<option value=\"{StaffRoles.Clinician}\">Clinician (technologist)</option>", await admin.GetStringAsync(page));

        var changed = await StaffSignIn.PostFormAsync(admin, page, new() { ["role"] = StaffRoles.Clinician }, $"{page}?handler=Role");

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(["clinician"], await QueryAsync(db => db.UserRoles.Where(r => r.UserId == id).Select(r => r.RoleId).ToListAsync()));
    }
}
