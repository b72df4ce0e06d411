using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.Extensions.Configuration;

namespace CustomerExperience.Tests.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy: X-Forwarded-For, -Proto and -Host count only from loopback and the configured
/// proxies (Proxy:KnownNetworks, Proxy:KnownProxies); rate limits then count each real client; in Production every
/// cookie is Secure; page views are not rate limited, sending forms and looking up tokens are.
/// </summary>
public class ForwardedHeadersTests : IAsyncLifetime
{
    private const string BogusToken = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private string connectionString = "";

    public async Task InitializeAsync() => connectionString = await TestDatabases.CreateAsync(nameof(ForwardedHeadersTests));

    public Task DisposeAsync() => Task.CompletedTask;

    private AppFactory App(string environment = "Testing") => new AppFactory(connectionString)
    {
        Environment = environment,
        TestServices = TestClientAddress.AddTo,
    };

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("10.20.30.40", true)]
    [InlineData("192.0.2.10", true)]
    [InlineData("192.0.2.11", false)]
    [InlineData("203.0.113.5", false)]
    public async Task Https_as_the_proxy_saw_it_counts_only_when_the_proxy_is_trusted(string proxy, bool trusted)
    {
        await using var app = App("Production")
            .With("Proxy:KnownNetworks", "10.0.0.0/8, 172.16.0.0/12")
            .With("Proxy:KnownProxies", "192.0.2.10");

        var page = await ProxiedClient.Create(app, proxy).GetAsync("/signin");
        var staff = await ProxiedClient.Create(app, proxy).GetAsync("/staff");

        // The request is https when a trusted proxy says so: HSTS goes out, and the sign-in redirect is relative (the
        // Host header, forwarded or not, is the client's choice). Otherwise it is plain http, sent to the public https address.
        Assert.Equal(trusted ? [WebSecurity.StrictTransportSecurity] : null,
            page.Headers.TryGetValues("Strict-Transport-Security", out var hsts) ? hsts.ToArray() : null);
        if (trusted)
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, staff.StatusCode);
            Assert.Equal("/signin?returnUrl=%2Fstaff", staff.Headers.Location!.ToString());
        }
        else
        {
            Assert.Equal(HttpStatusCode.PermanentRedirect, page.StatusCode);
            Assert.Equal("https://127.0.0.1:5080/signin", page.Headers.Location!.ToString());
            Assert.Equal("https://127.0.0.1:5080/staff", staff.Headers.Location!.ToString());
        }
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_client_has_its_own_rate_limit()
    {
        await using var app = App().With("RateLimits:PublicWritePerMinute", "2");
        var first = ProxiedClient.Create(app, client: "198.51.100.1");
        var second = ProxiedClient.Create(app, client: "198.51.100.2");

        var firstStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            firstStatuses.Add((await first.PostAsync($"/api/v1/bookings/{BogusToken}/cancel", null)).StatusCode);
        var secondStatus = (await second.PostAsync($"/api/v1/bookings/{BogusToken}/cancel", null)).StatusCode;

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], firstStatuses);
        Assert.Equal(HttpStatusCode.NotFound, secondStatus);
    }

    [Fact]
    public async Task An_untrusted_peer_cannot_escape_its_rate_limit_by_claiming_other_clients()
    {
        await using var app = App().With("RateLimits:PublicWritePerMinute", "2");

        var statuses = new List<HttpStatusCode>();
        foreach (var claimed in new[] { "198.51.100.1", "198.51.100.2", "198.51.100.3" })
            statuses.Add((await ProxiedClient.Create(app, proxy: "203.0.113.5", client: claimed)
                .PostAsync($"/api/v1/bookings/{BogusToken}/cancel", null)).StatusCode);
        // Another address is another client.
        var other = await ProxiedClient.Create(app, proxy: "203.0.113.6", client: "198.51.100.1")
            .PostAsync($"/api/v1/bookings/{BogusToken}/cancel", null);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Showing_a_public_form_is_not_rate_limited_sending_it_and_looking_up_a_token_are()
    {
        await using var app = App().With("RateLimits:PublicWritePerMinute", "2");
        var clinic = await TestClinic.SeedAsync(app.Services);
        var client = ProxiedClient.Create(app);
        var details = $"/book/details?serviceId={clinic.ServiceId}&locationId={clinic.LocationId}&start={Uri.EscapeDataString(TestClinic.At(DateTime.UtcNow.Year + 1, 3, 2, 10))}";

        foreach (var page in new[] { "/signin", details })
        {
            for (var i = 0; i < 4; i++)
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(page)).StatusCode);
        }

        // Each send of a form counts (the booking form's did not before: an attribute on a Razor Pages handler limits nothing).
        // The forms share one count per client: each is sent from a client of its own.
        foreach (var (form, from) in new[] { ("/signin", "198.51.100.31"), (details, "198.51.100.32") })
        {
            var sender = ProxiedClient.Create(app, client: from);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
                statuses.Add((await StaffSignIn.PostFormAsync(sender, form, new() { ["email"] = "nobody@staff.example", ["password"] = "wrong" })).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, statuses[2]);
            Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses[..2]);
        }

        // Looking up a manage link counts from the first GET: a guesser's GETs are its guesses.
        var lookups = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            lookups.Add((await client.GetAsync($"/manage/{BogusToken}")).StatusCode);
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], lookups);
    }

    [Fact]
    public async Task In_production_behind_the_tls_proxy_every_cookie_is_secure_and_comes_back()
    {
        await using var app = App("Production");
        var clinic = await TestClinic.SeedAsync(app.Services);
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.Manager);
        var client = ProxiedClient.Create(app);

        var form = await client.GetAsync("/signin");
        var antiforgery = ProxiedClient.SetCookie(form, "cx.af");
        var signedIn = await StaffSignIn.SignInAsync(client, email, StaffSignIn.Password);
        var staff = ProxiedClient.SetCookie(signedIn, "cx.staff");

        Assert.True(antiforgery.Secure, "cx.af must be Secure");
        Assert.True(antiforgery.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, antiforgery.SameSite);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.True(staff.Secure, "cx.staff must be Secure");
        Assert.True(staff.HttpOnly);
        // Both came back over https: the sign-in form's antiforgery check passed, and the staff pages open.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff/kiosks")).StatusCode);

        var enrolled = await StaffSignIn.PostFormAsync(client, "/staff/kiosks",
            new() { ["locationId"] = clinic.LocationId.ToString(), ["name"] = "Exit tablet" }, "/staff/kiosks?handler=Enrol");
        Assert.Equal(HttpStatusCode.Redirect, enrolled.StatusCode);
        var kiosk = ProxiedClient.SetCookie(enrolled, "cx.kiosk");
        Assert.True(kiosk.Secure, "cx.kiosk must be Secure");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(enrolled.Headers.Location!.ToString())).StatusCode);
    }

    [Theory]
    [InlineData("Proxy:KnownNetworks", "10.0.0.0/8, 10.0.0.300/32", "10.0.0.300/32")]
    [InlineData("Proxy:KnownNetworks", "10.0.0.0", "10.0.0.0")]
    [InlineData("Proxy:KnownProxies", "192.0.2.10, proxy.internal", "proxy.internal")]
    public void A_proxy_setting_that_is_not_an_address_stops_start_up_naming_the_setting_and_the_value(string key, string value, string bad)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();

        var problem = Assert.Throws<StartupChecks.ConfigurationProblem>(() => WebSecurity.TrustedProxies.Read(configuration));

        Assert.Contains(key, problem.Message);
        Assert.Contains($"\"{bad}\"", problem.Message);
        Assert.Contains(key.Replace(":", "__"), problem.Message);
    }

    [Fact]
    public void Proxy_settings_are_read_as_comma_separated_networks_and_addresses()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([
            new("Proxy:KnownNetworks", " 10.0.0.0/8,fd00::/8 ,"), new("Proxy:KnownProxies", "192.0.2.10")]).Build();

        var proxies = WebSecurity.TrustedProxies.Read(configuration);

        Assert.Equal(["10.0.0.0/8", "fd00::/8"], proxies.Networks.Select(n => n.ToString()));
        Assert.Equal([IPAddress.Parse("192.0.2.10")], proxies.Proxies);
    }

}
