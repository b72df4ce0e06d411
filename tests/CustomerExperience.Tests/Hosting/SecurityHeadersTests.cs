using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CustomerExperience.Tests.Hosting;

/// <summary>
/// Every page and GET endpoint the app maps (read from its routing, so a new page is covered without a new line here),
/// asked in Production behind the TLS proxy, signed out and as an admin: each answer carries the security headers, and
/// no HTML page has an inline script or event handler the CSP would have to allow.
/// </summary>
public partial class SecurityHeadersTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_page_answers_with_the_security_headers_and_no_inline_script()
    {
        await using var app = new AppFactory(await TestDatabases.CreateAsync(nameof(SecurityHeadersTests)))
        {
            Environment = "Production",
            TestServices = TestClientAddress.AddTo,
        };
        await TestClinic.SeedAsync(app.Services);
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.Admin);
        var anonymous = ProxiedClient.Create(app);
        var admin = ProxiedClient.Create(app);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(admin, email, StaffSignIn.Password)).StatusCode);
        var urls = await UrlsAsync(app);

        var problems = new List<string>();
        var statuses = new Dictionary<int, int>();
        foreach (var url in urls)
        {
            foreach (var (who, client) in new[] { ("anonymous", anonymous), ("admin", admin) })
            {
                var response = await client.GetAsync(url);
                statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                problems.AddRange((await CheckAsync(response)).Select(p => $"{who} GET {url} ({(int)response.StatusCode}): {p}"));
            }
        }

        output.WriteLine($"{urls.Count} addresses × 2 clients; by status: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        Assert.True(urls.Count >= 40, $"only {urls.Count} addresses found in the routing");
        Assert.True(statuses.GetValueOrDefault(200) >= 40, "most pages should open for the admin");
        Assert.True(problems.Count == 0, string.Join('\n', problems.Take(40)));
    }

    private static async Task<List<string>> CheckAsync(HttpResponseMessage response)
    {
        var problems = new List<string>();
        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
                ? string.Join(", ", values) : null;
        var csp = Header("Content-Security-Policy");
        if (csp is null) problems.Add("no Content-Security-Policy");
        else if (csp == CustomerExperience.Web.Pages.Staff.Admin.TextsPreviewModel.Policy)
        {
            // The one page framed on purpose: the email preview, inside the texts page (frame-ancestors 'self'). Its
            // policy is stricter than the rest: no script source at all, no requests, a sandbox.
            if (!csp.StartsWith("default-src 'none';", StringComparison.Ordinal) || csp.Contains("script-src") || !csp.EndsWith("; sandbox", StringComparison.Ordinal))
                problems.Add($"the email preview's CSP lets more through than styles: {csp}");
        }
        else
        {
            var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(d => d.Split(' ', 2)).ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");
            var scripts = directives.GetValueOrDefault("script-src") ?? directives.GetValueOrDefault("default-src");
            if (directives.GetValueOrDefault("frame-ancestors") != "'none'") problems.Add($"CSP without frame-ancestors 'none': {csp}");
            if (scripts is null) problems.Add($"CSP without a script source: {csp}");
            else if (scripts.Contains("unsafe-inline") || scripts.Contains("unsafe-eval") || scripts.Contains('*')) problems.Add($"CSP allows inline or any script: {csp}");
        }
        if (Header("X-Content-Type-Options") != "nosniff") problems.Add("no X-Content-Type-Options: nosniff");
        if (Header("Referrer-Policy") is null) problems.Add("no Referrer-Policy");
        if (Header("Strict-Transport-Security") != WebSecurity.StrictTransportSecurity) problems.Add("no HSTS over https");
        if (response.Content.Headers.ContentType?.MediaType == "text/html")
        {
            var html = await response.Content.ReadAsStringAsync();
            foreach (Match script in InlineScript().Matches(html))
                problems.Add($"inline script: {script.Value[..Math.Min(80, script.Value.Length)]}");
            foreach (Match handler in EventHandler().Matches(html))
                problems.Add($"inline event handler: {handler.Value}");
        }
        return problems;
    }

    /// <summary>Every GET route: pages, the API, health; route parameters filled with real or well-formed values.</summary>
    private static async Task<List<string>> UrlsAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var slug = await db.Locations.Select(l => l.Slug).FirstAsync();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return endpoints
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is not { } methods || methods.Contains("GET"))
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(route => route != "/Error" && !route.Contains("{**"))
            .Select(route => Parameter().Replace(route, m => m.Groups["name"].Value switch
            {
                "locationSlug" or "slug" => slug,
                var name when m.Value.Contains(":guid") || name.EndsWith("id", StringComparison.OrdinalIgnoreCase) => Guid.NewGuid().ToString(),
                var name when m.Value.Contains(":int") || name == "code" => "404",
                _ => "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            }))
            .Distinct()
            .Order()
            .ToList();
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)[^}]*\}")]
    private static partial Regex Parameter();

    /// <summary>A script element with content (not one with src that is empty), or a javascript: URL.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>\s*\S[\s\S]*?</script>|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\son[a-z]+\s*=\s*[""']", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();
}
