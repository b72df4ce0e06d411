using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;

namespace CustomerExperience.Web.Infrastructure;

public static class WebSecurity
{
    /// <summary>Rate-limit policy for public endpoints that write or look up tokens: per client address.</summary>
    public const string PublicWritePolicy = "public-write";
    public const string PublicReadPolicy = "public-read";

    /// <param name="keyCertificate">Encrypts the Data Protection keys at rest; see <see cref="KeyStorage"/>.</param>
    public static void AddWebSecurity(this WebApplicationBuilder builder, X509Certificate2? keyCertificate)
    {
        builder.AddKeyStorage(keyCertificate);

        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "cx.af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        var limits = builder.Configuration.GetSection("RateLimits");
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
            o.AddPolicy(PublicWritePolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.GetValue("PublicWritePerMinute", 30),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            // Computed reads a script could hammer (availability): generous for a person paging through days.
            o.AddPolicy(PublicReadPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.GetValue("PublicReadPerMinute", 300),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
    }

    /// <summary>Server-Timing on API responses: how long the app itself took, visible in browser tools and used by bench/.</summary>
    public static void UseServerTiming(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
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

    public static void UseSecurityHeaders(this WebApplication app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        await next();
    });
}
