using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Staff;

/// <summary>What admins and staff do to accounts, and the audit trail it leaves: who did it, to whom, never a secret.</summary>
public partial class StaffAccountTests : IAsyncLifetime
{
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(StaffAccountTests)));
        app.With("RateLimits:PublicWritePerMinute", "1000");
        app.With("Staff:SessionCheckSeconds", "0");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private HttpClient NewClient() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<(HttpClient Client, string Email, string Id)> SignedInAsync(string role)
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, role);
        var client = NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(client, email, StaffSignIn.Password)).StatusCode);
        return (client, email, await IdOfAsync(email));
    }

    private async Task<string> IdOfAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Where(u => u.UserName == email).Select(u => u.Id).SingleAsync();
    }

    private async Task<List<AuditEntry>> AccountEventsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEntries
            .Where(e => e.Action.StartsWith("account.")).OrderBy(e => e.Id).ToListAsync();
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string handler, Dictionary<string, string>? fields = null, string? query = null) =>
        await StaffSignIn.PostFormAsync(client, page, fields ?? new(), $"{page}?handler={handler}{query}");

    [Fact]
    public async Task An_admin_changes_a_role_which_signs_the_person_out_and_cannot_change_their_own()
    {
        var (admin, _, adminId) = await SignedInAsync(StaffRoles.Admin);
        var (desk, _, deskId) = await SignedInAsync(StaffRoles.FrontDesk);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.GetAsync("/staff/messages")).StatusCode);

        var page = await admin.GetStringAsync($"/staff/accounts/{deskId}");
        Assert.Contains("Access: Admins", page);
        var changed = await PostAsync(admin, $"/staff/accounts/{deskId}", "Role", new() { ["role"] = StaffRoles.Manager });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await desk.GetAsync("/staff")).StatusCode);

        var again = await SignedInAsync(StaffRoles.FrontDesk);
        var unknown = await PostAsync(admin, $"/staff/accounts/{again.Id}", "Role", new() { ["role"] = "Owner" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Unknown role", await unknown.Content.ReadAsStringAsync());
        var own = await PostAsync(admin, $"/staff/accounts/{adminId}", "Role", new() { ["role"] = StaffRoles.FrontDesk });
        Assert.Equal(HttpStatusCode.BadRequest, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/staff/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/staff/accounts/{Guid.NewGuid()}")).StatusCode);

        var role = Assert.Single(await AccountEventsAsync(), e => e.Action == AuditActions.RoleChanged);
        Assert.Equal(adminId, role.StaffUserId);
        Assert.Contains("FrontDesk → Manager", role.Details);
    }

    [Fact]
    public async Task Creating_disabling_enabling_and_unlocking_are_audited_with_who_and_to_whom_and_listed_for_admins()
    {
        var (admin, _, adminId) = await SignedInAsync(StaffRoles.Admin);
        var email = $"nina-{Guid.NewGuid():N}@staff.example";
        const string firstPassword = "Nina-Password-2026";
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin, "/staff/accounts", "Create",
            new() { ["email"] = email, ["displayName"] = "Nina New", ["role"] = StaffRoles.FrontDesk, ["password"] = firstPassword })).StatusCode);
        var id = await IdOfAsync(email);
        foreach (var handler in new[] { "Disable", "Enable", "Unlock" })
            Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin, "/staff/accounts", handler, query: $"&id={id}")).StatusCode);

        var events = await AccountEventsAsync();
        Assert.Equal([AuditActions.AccountCreated, AuditActions.AccountDisabled, AuditActions.AccountEnabled, AuditActions.AccountUnlocked],
            events.Select(e => e.Action));
        Assert.All(events, e =>
        {
            Assert.Equal(adminId, e.StaffUserId);
            Assert.Contains($"Nina New <{email}>", e.Details);
            Assert.DoesNotContain(firstPassword, e.Details);
        });

        var page = await admin.GetStringAsync("/staff/accounts");
        var list = page[page.IndexOf("id=\"account-events\"", StringComparison.Ordinal)..];
        Assert.Contains("Account created", list);
        Assert.Contains("Account unlocked", list);
        Assert.Contains(WebUtility.HtmlEncode($"Nina New <{email}>"), list);
    }

    private static Dictionary<string, string> PasswordForm(string current, string next, string? confirm = null) =>
        new() { ["currentPassword"] = current, ["newPassword"] = next, ["confirmPassword"] = confirm ?? next };

    [Fact]
    public async Task Staff_change_their_own_password_with_the_current_one()
    {
        var (client, email, id) = await SignedInAsync(StaffRoles.FrontDesk);
        Assert.Contains("href=\"/staff/account/password\"", await client.GetStringAsync("/staff"));
        const string next = "Brand-New-Password-2027";

        foreach (var (form, message) in new[]
        {
            (PasswordForm("Not-My-Password-1", next), "not your current password"),
            (PasswordForm(StaffSignIn.Password, next, "Brand-New-Password-2028"), "differ"),
            (PasswordForm(StaffSignIn.Password, "short"), "at least 12 characters"),
            (PasswordForm("", ""), "Enter your current password"),
        })
        {
            var refused = await StaffSignIn.PostFormAsync(client, "/staff/account/password", form);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(message, await refused.Content.ReadAsStringAsync());
        }

        var changed = await StaffSignIn.PostFormAsync(client, "/staff/account/password", PasswordForm(StaffSignIn.Password, next));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Contains("Your password is changed", await client.GetStringAsync("/staff/account/password"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await StaffSignIn.SignInAsync(NewClient(), email, StaffSignIn.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(NewClient(), email, next)).StatusCode);

        var audited = Assert.Single(await AccountEventsAsync());
        Assert.Equal((AuditActions.PasswordChanged, id), (audited.Action, audited.StaffUserId));
        Assert.DoesNotContain(next, audited.Details);
        Assert.DoesNotContain(StaffSignIn.Password, audited.Details);
    }

    [Fact]
    public async Task After_signing_in_with_a_temporary_password_nothing_but_the_password_page_opens_until_it_is_changed()
    {
        var (admin, _, adminId) = await SignedInAsync(StaffRoles.Admin);
        var (desk, email, deskId) = await SignedInAsync(StaffRoles.Manager);
        const string temporary = "Temporary-Password-2026";

        Assert.Equal(HttpStatusCode.BadRequest,
            (await PostAsync(admin, $"/staff/accounts/{deskId}", "TemporaryPassword", new() { ["temporaryPassword"] = "short" })).StatusCode);
        var set = await PostAsync(admin, $"/staff/accounts/{deskId}", "TemporaryPassword", new() { ["temporaryPassword"] = temporary });
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        // Their open session ends, and the old password no longer works.
        Assert.Equal(HttpStatusCode.Redirect, (await desk.GetAsync("/staff")).StatusCode);
        Assert.Contains("/signin", (await desk.GetAsync("/staff")).Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, (await StaffSignIn.SignInAsync(NewClient(), email, StaffSignIn.Password)).StatusCode);

        var client = NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(client, email, temporary)).StatusCode);
        foreach (var url in new[] { "/staff", "/staff/schedule", "/staff/customers", "/staff/messages", "/staff/account/two-factor", $"/staff/accounts/{deskId}" })
        {
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url}: {(int)response.StatusCode}");
            Assert.Equal("/staff/account/password", response.Headers.Location!.OriginalString);
        }
        var post = await client.PostAsync("/staff/delays", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal("/staff/account/password", post.Headers.Location!.OriginalString);
        var page = await client.GetStringAsync("/staff/account/password");
        Assert.Contains("temporary password", page);

        var changed = await StaffSignIn.PostFormAsync(client, "/staff/account/password", PasswordForm(temporary, "My-Own-Password-2026"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff/messages")).StatusCode);
        var again = NewClient();
        await StaffSignIn.SignInAsync(again, email, "My-Own-Password-2026");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/staff")).StatusCode);

        var events = await AccountEventsAsync();
        Assert.Equal([(AuditActions.TemporaryPasswordSet, adminId), (AuditActions.PasswordChanged, deskId)],
            events.Select(e => (e.Action, e.StaffUserId)));
        Assert.All(events, e => Assert.DoesNotContain(temporary, e.Details));
    }

    private static async Task<string> EnableTwoFactorAsync(HttpClient client)
    {
        var setup = await client.GetStringAsync("/staff/account/two-factor");
        var key = SharedKey().Match(setup).Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        var enabled = await PostAsync(client, "/staff/account/two-factor", "Enable", new() { ["code"] = Totp.Code(key) });
        Assert.Contains("Two-factor sign-in is on", await enabled.Content.ReadAsStringAsync());
        return key;
    }

    [Fact]
    public async Task Turning_two_factor_off_needs_the_password_or_a_current_code_and_both_changes_are_audited()
    {
        var (client, _, id) = await SignedInAsync(StaffRoles.FrontDesk);
        var key = await EnableTwoFactorAsync(client);

        var wrongCode = Totp.Code(key) == "123456" ? "654321" : "123456";
        foreach (var proof in new[] { "", "Not-My-Password-1", wrongCode })
        {
            var refused = await PostAsync(client, "/staff/account/two-factor", "Disable", new() { ["confirmation"] = proof });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("two-factor-error", await refused.Content.ReadAsStringAsync());
            Assert.Contains("asks for a code", await client.GetStringAsync("/staff/account/two-factor"));
        }

        var byPassword = await PostAsync(client, "/staff/account/two-factor", "Disable", new() { ["confirmation"] = StaffSignIn.Password });
        Assert.Contains("Two-factor sign-in is off", await byPassword.Content.ReadAsStringAsync());
        key = await EnableTwoFactorAsync(client);
        var byCode = await PostAsync(client, "/staff/account/two-factor", "Disable", new() { ["confirmation"] = Totp.Code(key) });
        Assert.Contains("Two-factor sign-in is off", await byCode.Content.ReadAsStringAsync());

        var events = await AccountEventsAsync();
        Assert.Equal([AuditActions.TwoFactorOn, AuditActions.TwoFactorOff, AuditActions.TwoFactorOn, AuditActions.TwoFactorOff], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(id, e.StaffUserId));
        Assert.EndsWith("confirmed with the password", events[1].Details);
        Assert.EndsWith("confirmed with a code from the app", events[3].Details);
        Assert.All(events, e => Assert.DoesNotContain(StaffSignIn.Password, e.Details));
    }

    [GeneratedRegex("id=\"shared-key\">([a-z0-9 ]+)<")]
    private static partial Regex SharedKey();
}
