using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>Staff accounts and signed-in HTTP clients for tests of /staff pages, through the real sign-in form.</summary>
public static partial class StaffSignIn
{
    public const string Password = "Test-Password-2026";

    /// <summary>Creates an account with <paramref name="role"/> (FrontDesk, Manager or Admin); returns its email.</summary>
    public static async Task<string> CreateAccountAsync(IServiceProvider services, string role, string? email = null, string? name = null)
    {
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@staff.example";
        await using var scope = services.CreateAsyncScope();
        var (user, errors) = await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
            .CreateAsync(email, name ?? $"Test {role}", role, Password);
        if (user is null)
            throw new InvalidOperationException(string.Join("; ", errors));
        return email;
    }

    /// <summary>Creates an account named <paramref name="name"/>; returns its id (what visits and goals name).</summary>
    public static async Task<string> CreateAccountIdAsync(IServiceProvider services, string role, string name)
    {
        var email = await CreateAccountAsync(services, role, name: name);
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(email))!.Id;
    }

    /// <summary>A client (cookies kept, redirects not followed) signed in as a new account with <paramref name="role"/>.</summary>
    public static async Task<HttpClient> ClientAsync(AppFactory app, string role)
    {
        var email = await CreateAccountAsync(app.Services, role);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await SignInAsync(client, email, Password);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {role} answered {(int)response.StatusCode}.");
        return client;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string? returnUrl = null) =>
        await PostFormAsync(client, "/signin", new() { ["email"] = email, ["password"] = password, ["returnUrl"] = returnUrl ?? "" });

    /// <summary>GETs <paramref name="url"/> for its antiforgery token, then POSTs the form to <paramref name="action"/> (default: the same URL).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, Dictionary<string, string> fields, string? action = null)
    {
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client, url) };
        return await client.PostAsync(action ?? url, new FormUrlEncodedContent(form));
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        var match = TokenField().Match(html);
        if (!match.Success)
            throw new InvalidOperationException($"No antiforgery token on {url} ({(int)response.StatusCode}).");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
