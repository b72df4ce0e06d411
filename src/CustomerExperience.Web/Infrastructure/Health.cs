using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CustomerExperience.Web.Infrastructure;

public partial class DatabaseHealthCheck(NpgsqlDataSource dataSource, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogUnreachable(logger, ex.GetType().Name, ex.Message);
            return HealthCheckResult.Unhealthy("Database unreachable");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check: database unreachable ({Type}: {Reason})")]
    private static partial void LogUnreachable(ILogger logger, string type, string reason);
}

/// <summary>
/// <c>/healthz/live</c>: the process answers (no checks; a load balancer or orchestrator restarts an instance that does
/// not). <c>/healthz/ready</c>: the database is reachable and this instance's job server reports in (a proxy sends
/// traffic only to ready instances). <c>/healthz</c> is the ready check under the name the scripts poll.
/// </summary>
public static class Health
{
    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz/live", Options(_ => false)).DisableRateLimiting();
        app.MapHealthChecks("/healthz/ready", Options(_ => true)).DisableRateLimiting();
        app.MapHealthChecks("/healthz", Options(_ => true)).DisableRateLimiting();
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = (context, report) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                status = report.Status.ToString(),
                // The checks are public: a check that threw reports no exception text, only that it failed.
                checks = report.Entries.ToDictionary(e => e.Key, e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Exception is null ? e.Value.Description : "Check failed",
                }),
            }));
        },
    };
}
