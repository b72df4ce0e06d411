using CustomerExperience.Web.Infrastructure;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Jobs;

/// <summary>
/// Healthy when Hangfire's storage answers and, on a node that runs jobs, this node's server has sent a heartbeat
/// lately. Descriptions stay generic: /healthz is public, exception text is not.
/// </summary>
public class JobsHealthCheck(
    JobStorage storage, JobsSetup.ServerIdentity server, IOptions<AppOptions> app) : IHealthCheck
{
    private static readonly TimeSpan MaxHeartbeatAge = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IList<Hangfire.Storage.Monitoring.ServerDto> servers;
        try
        {
            servers = storage.GetMonitoringApi().Servers();
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Job storage unreachable"));
        }
        if (!app.Value.RunJobs)
            return Task.FromResult(HealthCheckResult.Healthy("Storage reachable; this node runs no jobs"));

        var own = servers.FirstOrDefault(s => s.Name.StartsWith(server.Name, StringComparison.OrdinalIgnoreCase));
        if (own?.Heartbeat is not { } heartbeat)
            return Task.FromResult(HealthCheckResult.Unhealthy("Job server not started"));
        // Hangfire stamps heartbeats with the real clock, whatever TimeProvider the app runs on.
        var age = DateTime.UtcNow - DateTime.SpecifyKind(heartbeat, DateTimeKind.Utc);
        return Task.FromResult(age <= MaxHeartbeatAge
            ? HealthCheckResult.Healthy($"{servers.Count} job server(s)")
            : HealthCheckResult.Unhealthy("Job server heartbeat is late"));
    }
}
