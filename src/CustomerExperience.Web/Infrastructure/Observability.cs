using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace CustomerExperience.Web.Infrastructure;

public sealed class MetricsOptions : IValidatableObject
{
    public const string Section = "Metrics";

    /// <summary>Comma-separated networks in CIDR notation (<c>10.0.0.0/8, fd00::/8</c>) whose machines may read /metrics
    /// besides this one: the Prometheus server's. Empty: loopback only.</summary>
    public string? AllowedNetworks { get; set; }

    public IReadOnlyList<IPNetwork> Networks() =>
        [.. Parts().Select(part => IPNetwork.TryParse(part, out var network) ? network : throw new FormatException(Problem(part)))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Parts().Where(part => !IPNetwork.TryParse(part, out _)).Select(part => new ValidationResult(Problem(part)));

    private IEnumerable<string> Parts() =>
        (AllowedNetworks ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string Problem(string part) =>
        $"Metrics:AllowedNetworks: \"{part}\" is not a network in CIDR notation, such as 10.0.0.0/8.";
}

/// <summary>
/// Metrics (our meter and ASP.NET Core's request durations) as Prometheus text at /metrics, and JSON console logs
/// outside Development and Testing.
/// </summary>
public static class Observability
{
    public const string MetricsPath = "/metrics";

    public static void AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Metrics>();
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Metrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());

        if (!builder.Environment.IsDevelopment() && !builder.Environment.IsEnvironment("Testing"))
        {
            // One JSON object a line, for a log collector; the scopes carry each request's RequestId and TraceId.
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "O";
            });
        }
    }

    /// <summary>
    /// /metrics answers only this machine and <see cref="MetricsOptions.AllowedNetworks"/>; anyone else gets the 404 of a
    /// path that does not exist. Behind the proxy the remote address is the client's (forwarded headers), so the public
    /// cannot read it through the proxy; Prometheus scrapes each instance directly.
    /// </summary>
    public static void MapMetrics(this WebApplication app)
    {
        // Built now, so the gauges exist before anything has counted.
        app.Services.GetRequiredService<Metrics>();
        var allowed = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Networks();
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, optionsName: null, configureBranchedPipeline: branch =>
            branch.Use(async (context, next) =>
            {
                if (!IsAllowed(context.Connection.RemoteIpAddress, allowed))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                await next(context);
            })).DisableRateLimiting();
    }

    private static bool IsAllowed(IPAddress? address, IReadOnlyList<IPNetwork> allowed)
    {
        if (address is null)
            return false;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        return IPAddress.IsLoopback(address) || allowed.Any(network => network.Contains(address));
    }
}
