using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Pages.Account;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Staff;

/// <summary>Staff sign-in through the real form: disabled accounts, two-factor, cookies, redirects (refusals and lockout: SignInRefusalTests).</summary>
public partial class StaffSignInTests : IAsyncLifetime
{
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(StaffSignInTests)));
        app.With("RateLimits:PublicWritePerMinute", "1000");
        // Every request re-checks the account, so a disabled account's open session ends at once.
        app.With("Staff:SessionCheckSeconds", "0");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private HttpClient NewClient() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task Signing_in_issues_a_new_http_only_same_site_session_cookie_and_goes_to_the_staff_home()
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        var client = NewClient();
        var response = await StaffSignIn.SignInAsync(client, email, StaffSignIn.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/staff", response.Headers.Location!.OriginalString);
        var cookie = SessionCookie(response);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff")).StatusCode);

        // A second sign-in replaces the session rather than keeping the old cookie.
        var again = await StaffSignIn.SignInAsync(client, email, StaffSignIn.Password);
        var second = SessionCookie(again);
        Assert.NotEqual(cookie.Split(';')[0], second.Split(';')[0]);
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    [InlineData("/\\evil.example")]
    public async Task Sign_in_only_returns_to_this_sites_own_pages(string returnUrl)
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        var response = await StaffSignIn.SignInAsync(NewClient(), email, StaffSignIn.Password, returnUrl);
        Assert.Equal("/staff", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_wrong_password_is_a_400_with_a_message_and_no_session()
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        var client = NewClient();
        var response = await StaffSignIn.SignInAsync(client, email, "Not-The-Password-1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(SignInModel.Refused), await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).StatusCode);

        var empty = await StaffSignIn.SignInAsync(client, "", "");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Enter your email and password", await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_admin_creates_an_account_whose_owner_signs_in_and_chooses_a_password_and_a_disabled_account_cannot_and_loses_its_session()
    {
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        var email = $"new-{Guid.NewGuid():N}@staff.example";
        var weak = await StaffSignIn.PostFormAsync(admin, "/staff/accounts",
            new() { ["email"] = email, ["displayName"] = "Nina New", ["role"] = StaffRoles.FrontDesk, ["password"] = "short" },
            "/staff/accounts?handler=Create");
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("at least 12 characters", await weak.Content.ReadAsStringAsync());

        var created = await StaffSignIn.PostFormAsync(admin, "/staff/accounts",
            new() { ["email"] = email, ["displayName"] = "Nina New", ["role"] = StaffRoles.FrontDesk, ["password"] = "Nina-Password-2026" },
            "/staff/accounts?handler=Create");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        var nina = NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(nina, email, "Nina-Password-2026")).StatusCode);
        // The first password is the admin's: Nina chooses her own before anything else opens.
        Assert.Equal("/staff/account/password", (await nina.GetAsync("/staff")).Headers.Location!.OriginalString);
        var own = await StaffSignIn.PostFormAsync(nina, "/staff/account/password", new()
            { ["currentPassword"] = "Nina-Password-2026", ["newPassword"] = "Nina-Own-Password-2026", ["confirmPassword"] = "Nina-Own-Password-2026" });
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        Assert.Contains("Nina New", await nina.GetStringAsync("/staff"));

        var id = UserIdOf(await admin.GetStringAsync("/staff/accounts"), email, "Disable");
        var disabled = await StaffSignIn.PostFormAsync(admin, "/staff/accounts", new(), $"/staff/accounts?handler=Disable&id={id}");
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);

        var open = await nina.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Contains("/signin", open.Headers.Location!.ToString());
        var again = await StaffSignIn.SignInAsync(NewClient(), email, "Nina-Own-Password-2026");
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(SignInModel.Refused), await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_admin_cannot_disable_their_own_account()
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.Admin);
        var admin = NewClient();
        await StaffSignIn.SignInAsync(admin, email, StaffSignIn.Password);
        var id = UserIdOf(await admin.GetStringAsync("/staff/accounts"), email, "Disable");
        var response = await StaffSignIn.PostFormAsync(admin, "/staff/accounts", new(), $"/staff/accounts?handler=Disable&id={id}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/staff")).StatusCode);
    }

    [Fact]
    public async Task With_an_authenticator_app_sign_in_asks_for_the_current_code()
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.Manager);
        var client = NewClient();
        await StaffSignIn.SignInAsync(client, email, StaffSignIn.Password);
        var setup = await client.GetStringAsync("/staff/account/two-factor");
        var key = SharedKey().Match(setup).Groups[1].Value.Replace(" ", "").ToUpperInvariant();

        var wrong = await StaffSignIn.PostFormAsync(client, "/staff/account/two-factor", new() { ["code"] = "000000" }, "/staff/account/two-factor?handler=Enable");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var enabled = await StaffSignIn.PostFormAsync(client, "/staff/account/two-factor", new() { ["code"] = Totp.Code(key) }, "/staff/account/two-factor?handler=Enable");
        var page = await enabled.Content.ReadAsStringAsync();
        Assert.Contains("Two-factor sign-in is on", page);
        Assert.Equal(10, Regex.Matches(page[page.IndexOf("recovery-codes")..], "<li>").Count);

        var fresh = NewClient();
        var first = await StaffSignIn.SignInAsync(fresh, email, StaffSignIn.Password);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith("/signin/two-factor", first.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.GetAsync("/staff")).StatusCode);

        var bad = await StaffSignIn.PostFormAsync(fresh, "/signin/two-factor", new() { ["code"] = "123456" == Totp.Code(key) ? "654321" : "123456" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var good = await StaffSignIn.PostFormAsync(fresh, "/signin/two-factor", new() { ["code"] = Totp.Code(key) });
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/staff")).StatusCode);
    }

    [Fact]
    public async Task The_demo_logins_that_run_sh_prints_sign_in_with_their_roles()
    {
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<StaffAccounts>().SeedDemoAsync(default);
        var printed = await File.ReadAllTextAsync(Path.Combine(TestSettings.RepositoryRoot, "run.sh"));
        foreach (var (email, _, role, _) in StaffAccounts.Demo)
        {
            var line = Regex.Match(printed, $@"{Regex.Escape(email)}\s+(\S+)");
            Assert.True(line.Success, $"run.sh does not print {email}");
            var client = NewClient();
            Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(client, email, line.Groups[1].Value)).StatusCode);
            var accounts = await client.GetAsync("/staff/accounts");
            Assert.Equal(role == StaffRoles.Admin ? HttpStatusCode.OK : HttpStatusCode.Forbidden, accounts.StatusCode);
        }
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.FrontDesk);
        var response = await StaffSignIn.PostFormAsync(client, "/staff", new(), "/signout");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).StatusCode);
    }

    /// <summary>The new session cookie (sign-in first expires whatever cookie came with the request).</summary>
    private static string SessionCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Last(c => c.StartsWith("cx.staff=") && !c.StartsWith("cx.staff=;"));

    private static string UserIdOf(string accountsPage, string email, string handler)
    {
        var row = accountsPage[accountsPage.IndexOf($"data-email=\"{email}\"", StringComparison.Ordinal)..];
        return Regex.Match(row, $"id=([0-9a-f-]{{36}})&amp;handler={handler}").Groups[1].Value;
    }

    [GeneratedRegex("id=\"shared-key\">([a-z0-9 ]+)<")]
    private static partial Regex SharedKey();
}
