using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Staff;

/// <summary>
/// Crawls every route under /staff as the app itself lists them, so a page added later is covered without
/// editing this test: anonymous → sign-in, front desk and clinicians → 403 on manager and admin pages, no antiforgery → 400.
/// </summary>
public class StaffAuthorizationTests : IAsyncLifetime
{
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(StaffAuthorizationTests)));
        app.With("RateLimits:PublicWritePerMinute", "1000");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private sealed record StaffRoute(string Url, string Policy);

    private List<StaffRoute> StaffRoutes()
    {
        var sample = Guid.CreateVersion7().ToString();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && ("/" + raw.TrimStart('/')).StartsWith("/staff", StringComparison.OrdinalIgnoreCase))
            .Select(e =>
            {
                var url = "/" + string.Join('/', e.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternParameterPart { IsOptional: true } or RoutePatternParameterPart { IsCatchAll: true } => "",
                    // An {id:int} route (case numbers) would not match a GUID at all and answer 404 before any authorization.
                    RoutePatternParameterPart p when e.RoutePattern.ParameterPolicies.TryGetValue(p.Name, out var constraints)
                        && constraints.Any(c => c.Content == "int") => "1",
                    RoutePatternParameterPart => sample,
                    _ => "",
                })))).TrimEnd('/');
                var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
                var policy = policies.Contains(StaffPolicies.Admin) ? StaffPolicies.Admin
                    : policies.Contains(StaffPolicies.Manager) ? StaffPolicies.Manager
                    : policies.Contains(StaffPolicies.Staff) ? StaffPolicies.Staff : "none";
                return new StaffRoute(url, policy);
            })
            .DistinctBy(r => r.Url.ToLowerInvariant())
            .ToList();
        Assert.True(routes.Count >= 3, $"expected the staff pages, found {routes.Count}");
        return routes;
    }

    [Fact]
    public void Every_staff_route_requires_at_least_a_signed_in_staff_member()
    {
        var open = StaffRoutes().Where(r => r.Policy == "none").Select(r => r.Url).ToList();
        Assert.Empty(open);
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_from_every_staff_route()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var route in StaffRoutes())
        {
            var response = await client.GetAsync(route.Url);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{route.Url}: {(int)response.StatusCode}");
            Assert.Contains("/signin?returnUrl=" + Uri.EscapeDataString(route.Url), response.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData(StaffRoles.FrontDesk)]
    [InlineData(StaffRoles.Clinician)]
    public async Task Front_desk_and_clinicians_get_a_403_page_on_manager_and_admin_routes_and_reach_the_rest(string role)
    {
        var client = await StaffSignIn.ClientAsync(app, role);
        var routes = StaffRoutes();
        Assert.Contains(routes, r => r.Policy == StaffPolicies.Admin);
        foreach (var route in routes)
        {
            var response = await client.GetAsync(route.Url);
            var body = await response.Content.ReadAsStringAsync();
            if (route.Policy is StaffPolicies.Manager or StaffPolicies.Admin)
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route.Url}: {(int)response.StatusCode}");
                Assert.Contains("You do not have access to this page", body);
            }
            else
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.Redirect or HttpStatusCode.BadRequest,
                    $"{route.Url}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Managers_reach_manager_pages_but_not_admin_pages()
    {
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);
        foreach (var route in StaffRoutes().Where(r => r.Policy != StaffPolicies.Staff))
        {
            var response = await client.GetAsync(route.Url);
            if (route.Policy == StaffPolicies.Admin)
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route.Url}: {(int)response.StatusCode}");
            else
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{route.Url}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Every_staff_form_post_without_an_antiforgery_token_is_refused_with_400()
    {
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        foreach (var route in StaffRoutes())
        {
            var response = await client.PostAsync(route.Url, new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {route.Url}: {(int)response.StatusCode}");
        }
        // Sign-out too: a forged form cannot sign staff out.
        var signOut = await client.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
    }

    [Fact]
    public async Task Each_staff_page_states_who_may_use_it()
    {
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        var home = await client.GetStringAsync("/staff");
        Assert.Contains("Access: Front desk, clinicians, managers and admins", home);
        var accounts = await client.GetStringAsync("/staff/accounts");
        Assert.Contains("Access: Admins", accounts);
    }
}
