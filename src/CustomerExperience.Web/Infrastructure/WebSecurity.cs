using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.HttpOverrides;

namespace CustomerExperience.Web.Infrastructure;

public static class WebSecurity
{
    /// <summary>Rate-limit policy for public endpoints that write or look up tokens: every request, per client address.</summary>
    public const string PublicWritePolicy = "public-write";
    /// <summary>For public pages with a form: sending the form counts (as <see cref="PublicWritePolicy"/> does), showing it does not.</summary>
    public const string PublicFormPolicy = "public-form";
    public const string PublicReadPolicy = "public-read";

    public const string ProxySection = "Proxy";

    /// <summary>
    /// The proxies whose X-Forwarded-For, -Proto and -Host are believed, besides loopback (trusted as ASP.NET Core does
    /// by default): <c>Proxy:KnownNetworks</c> (CIDRs) and <c>Proxy:KnownProxies</c> (addresses), each comma separated.
    /// </summary>
    public sealed record TrustedProxies(IReadOnlyList<System.Net.IPNetwork> Networks, IReadOnlyList<IPAddress> Proxies)
    {
        public static TrustedProxies Read(IConfiguration configuration) => new(
            Split(configuration, "KnownNetworks").Select(text => System.Net.IPNetwork.TryParse(text, out var network)
                ? network
                : throw new StartupChecks.ConfigurationProblem(
                    $"{ProxySection}:KnownNetworks has \"{text}\", which is not a network in CIDR notation such as 10.0.0.0/8 (environment variable {ProxySection}__KnownNetworks, comma separated).")).ToList(),
            Split(configuration, "KnownProxies").Select(text => IPAddress.TryParse(text, out var address)
                ? address
                : throw new StartupChecks.ConfigurationProblem(
                    $"{ProxySection}:KnownProxies has \"{text}\", which is not an IP address (environment variable {ProxySection}__KnownProxies, comma separated).")).ToList());

        private static string[] Split(IConfiguration configuration, string key) =>
            (configuration[$"{ProxySection}:{key}"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// Development (run.sh) and Testing (the test hosts) serve plain http on 127.0.0.1, where a Secure cookie would never
    /// come back; everywhere else the app sits behind TLS and its cookies are Secure whatever the request says.
    /// </summary>
    public static bool ServesPlainHttp(IHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment("Testing");

    public static CookieSecurePolicy CookieSecurePolicyFor(IHostEnvironment environment) =>
        ServesPlainHttp(environment) ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    /// <summary>Whether a cookie the app writes itself must be Secure (see <see cref="ServesPlainHttp"/>).</summary>
    public static bool SecureCookie(HttpContext http) =>
        http.Request.IsHttps || !ServesPlainHttp(http.RequestServices.GetRequiredService<IHostEnvironment>());

    /// <param name="keyCertificate">Encrypts the Data Protection keys at rest; see <see cref="KeyStorage"/>.</param>
    public static void AddWebSecurity(this WebApplicationBuilder builder, X509Certificate2? keyCertificate, TrustedProxies proxies)
    {
        builder.AddKeyStorage(keyCertificate);

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Loopback (127.0.0.0/8, ::1) stays trusted. Every hop that is a trusted proxy is walked back, so the client is
            // the first address from the right that is not one; a client cannot forge past that.
            o.ForwardLimit = null;
            foreach (var network in proxies.Networks)
                o.KnownIPNetworks.Add(network);
            foreach (var proxy in proxies.Proxies)
                o.KnownProxies.Add(proxy);
        });

        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "cx.af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicyFor(builder.Environment);
        });

        var limits = builder.Configuration.GetSection("RateLimits");
        var writesPerMinute = limits.GetValue("PublicWritePerMinute", 30);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                if (context.HttpContext.Request.Path.StartsWithSegments("/api"))
                    await Results.Problem(title: "Too many requests", detail: "Please wait a minute and try again.",
                        statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
            o.AddPolicy(PublicWritePolicy, context => PerClient(context, writesPerMinute));
            o.AddPolicy(PublicFormPolicy, context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("page view")
                : PerClient(context, writesPerMinute));
            // Computed reads a script could hammer (availability): generous for a person paging through days.
            o.AddPolicy(PublicReadPolicy, context => PerClient(context, limits.GetValue("PublicReadPerMinute", 300)));
        });
    }

    /// <summary>
    /// A fixed one-minute window per client address (an IPv6 address by its /64), the real client's behind a trusted
    /// proxy since the forwarded headers middleware runs first.
    /// </summary>
    public static RateLimitPartition<string> PerClient(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(SignInThrottle.ClientOf(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    /// <summary>
    /// Outside Development and the test hosts every request must be https (as the TLS proxy reports it, see the forwarded
    /// headers): the cookies are Secure, so a form over plain http could not work. A page view over http is sent to the same
    /// path on the public https address (App:PublicBaseUrl's host, not the Host header, which the client chooses);
    /// anything else is a 400. The health checks and metrics stay on plain http for the proxy and the monitoring.
    /// </summary>
    public static void UseHttpsOnly(this WebApplication app)
    {
        if (ServesPlainHttp(app.Environment))
            return;
        var publicHost = new Uri(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AppOptions>>().Value.PublicBaseUrl).Authority;
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.IsHttps || request.Path.StartsWithSegments("/healthz") || request.Path.StartsWithSegments("/metrics"))
            {
                await next();
                return;
            }
            if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
                context.Response.Headers.Location = $"https://{publicHost}{request.PathBase}{request.Path}{request.QueryString}";
                return;
            }
            await Results.Problem(title: "Use https", detail: $"This site is served over https: https://{publicHost}/",
                statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
        });
    }

    /// <summary>Server-Timing on API responses and the public booking pages: how long the app itself took (a page's
    /// rendering included: Razor buffers it), visible in browser tools and used by bench/.</summary>
    public static void UseServerTiming(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/book"))
        {
            await next();
            return;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var ms = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            context.Response.Headers["Server-Timing"] = $"app;dur={ms.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}";
            return Task.CompletedTask;
        });
        await next();
    });

    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

    /// <summary>HSTS: a year, this host only (the clinic's other hosts are not ours to decide).</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>
    /// Security headers on every response, pages that set their own (a stricter Referrer-Policy, the framed email
    /// preview's CSP) keep theirs. Written as the response starts, so a response the exception handler cleared (the
    /// API's problem+json 500) gets them too. HSTS outside Development, on https responses only (a browser ignores it
    /// over http); not UseHsts, whose header that clearing would lose.
    /// </summary>
    public static void UseSecurityHeaders(this WebApplication app)
    {
        var hsts = !app.Environment.IsDevelopment();
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                void Default(string name, string value)
                {
                    if (!headers.ContainsKey(name)) headers[name] = value;
                }
                Default("X-Content-Type-Options", "nosniff");
                Default("X-Frame-Options", "DENY");
                Default("Referrer-Policy", "strict-origin-when-cross-origin");
                Default("Content-Security-Policy", ContentSecurityPolicy);
                Default("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
                if (hsts && context.Request.IsHttps)
                    headers.StrictTransportSecurity = StrictTransportSecurity;
                return Task.CompletedTask;
            });
            await next();
        });
    }
}
