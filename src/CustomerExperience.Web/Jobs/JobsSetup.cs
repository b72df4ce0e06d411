using CustomerExperience.Web.Infrastructure;
using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Hangfire.AspNetCore;
using Hangfire.Logging;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Jobs;

public static class JobsSetup
{
    public const string DashboardPath = "/staff/jobs";
    public const string Schema = "hangfire";

    /// <summary>
    /// Hangfire on the app's own Postgres (schema <c>hangfire</c>). Every node runs a server unless App:RunJobs is
    /// false; web-only nodes still enqueue.
    /// </summary>
    public static void AddJobs(this WebApplicationBuilder builder, string connectionString)
    {
        var jobs = builder.Configuration.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions();
        var runJobs = builder.Configuration.GetSection(AppOptions.Section).Get<AppOptions>()?.RunJobs ?? true;
        builder.Services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section).ValidateDataAnnotations();

        // Our own storage and activator instead of Hangfire's process-wide JobStorage.Current and JobActivator.Current:
        // several hosts in one process (the tests) each keep their own database and services.
        builder.Services.AddSingleton<JobStorage>(services =>
        {
            services.GetRequiredService<IGlobalConfiguration>();
            return new GlobalConfigurationProxy().UsePostgreSqlStorage(
                o => o.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = Schema,
                    PrepareSchemaIfNecessary = true,
                    // LISTEN/NOTIFY wakes a waiting worker when a job is enqueued (also from another node).
                    EnableLongPolling = true,
                    QueuePollInterval = jobs.QueuePollInterval,
                    InvisibilityTimeout = jobs.InvisibilityTimeout,
                    UseSlidingInvisibilityTimeout = true,
                    // Hangfire's own locks (recurring jobs, schedulers) are held for milliseconds; one left behind by a
                    // killed node is cleared after this (the default, 10 minutes, kept the other nodes' schedulers waiting).
                    DistributedLockTimeout = TimeSpan.FromMinutes(1),
                }).Entry;
        });
        builder.Services.AddSingleton<JobActivator>(services => new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((services, config) => config
            .UseLogProvider(new DisposalSafeLogProvider(new AspNetCoreLogProvider(services.GetRequiredService<ILoggerFactory>())))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        builder.Services.AddSingleton<OneAtATime>();
        builder.Services.AddSingleton<OutboxKick>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxKick>());
        builder.Services.AddSingleton<ServerIdentity>();
        if (runJobs)
        {
            builder.Services.AddHostedService<RecurringJobsRegistration>();
            builder.Services.AddHangfireServer((services, server) =>
            {
                server.ServerName = services.GetRequiredService<ServerIdentity>().Name;
                server.WorkerCount = jobs.WorkerCount;
                server.SchedulePollingInterval = jobs.SchedulePollingInterval;
                server.FilterProvider = JobMetrics.WithGlobalFilters(services.GetRequiredService<Metrics>());
            });
        }
        builder.Services.AddHealthChecks().AddCheck<JobsHealthCheck>("jobs");
    }

    /// <summary>
    /// The dashboard for admins only; see <see cref="StaffDashboardAuthorization"/>. A POST without a valid antiforgery
    /// token is a 400 here as on every staff form (Hangfire itself would answer 403); the dashboard's own scripts send
    /// the token in the header antiforgery expects.
    /// </summary>
    public static void MapJobsDashboard(this WebApplication app)
    {
        app.UseWhen(
            context => HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments(DashboardPath),
            dashboard => dashboard.Use(async (context, next) =>
            {
                try
                {
                    await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
                }
                catch (AntiforgeryValidationException)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    return;
                }
                await next(context);
            }));
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new StaffDashboardAuthorization()],
            AppPath = "/staff",
            DashboardTitle = "Jobs",
            DisplayStorageConnectionString = false,
            DarkModeEnabled = false,
        }).RequireAuthorization(Staff.StaffPolicies.Admin);
    }

    /// <summary>A name unique to this host, so /healthz can find its own server's heartbeat.</summary>
    public sealed class ServerIdentity
    {
        public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>
    /// Hangfire's extension methods configure an <see cref="IGlobalConfiguration"/>; this one only carries the storage
    /// they build back to us, leaving the process-wide configuration alone.
    /// </summary>
    private sealed class GlobalConfigurationProxy : IGlobalConfiguration;

    /// <summary>
    /// Hangfire's log provider is process-wide, so it outlives a host that stopped (several run in the test process
    /// one after another): loggers asked for after that host's logger factory is gone are silent instead of throwing.
    /// </summary>
    private sealed class DisposalSafeLogProvider(ILogProvider inner) : ILogProvider
    {
        public ILog GetLogger(string name)
        {
            try
            {
                return inner.GetLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return new NoOpLogger();
            }
        }

        private sealed class NoOpLogger : ILog
        {
            public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string> messageFunc, Exception exception) => false;
        }
    }
}

/// <summary>
/// Registers (or updates) every recurring job at start-up; the same ids on every node, so each firing runs once.
/// A node killed while it held a recurring job's lock leaves that lock behind until Hangfire's
/// DistributedLockTimeout; a node starting meanwhile does not fail: it finishes the registration in the background.
/// </summary>
public class RecurringJobsRegistration(IRecurringJobManager recurring, IOptions<JobOptions> options, ILogger<RecurringJobsRegistration> logger)
    : IHostedService
{
    private readonly CancellationTokenSource stopping = new();
    private Task retrying = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var pending = Registrations().ToList();
        if (!TryRegister(pending))
            retrying = RetryAsync(pending, stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await retrying.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private IEnumerable<Action> Registrations()
    {
        var cron = options.Value;
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        yield return () => recurring.AddOrUpdate<DeliverOutboxJob>("deliver-outbox", j => j.RunAsync(CancellationToken.None), cron.OutboxSweep, utc);
        yield return () => recurring.AddOrUpdate<QueueRemindersJob>("queue-reminders", j => j.RunAsync(CancellationToken.None), cron.Reminders, utc);
        yield return () => recurring.AddOrUpdate<NotifyDelaysJob>("notify-delays", j => j.RunAsync(CancellationToken.None), cron.DelayNotices, utc);
        yield return () => recurring.AddOrUpdate<QueuePostVisitJob>("queue-post-visit", j => j.RunAsync(CancellationToken.None), cron.PostVisit, utc);
        // Recalls go out from 09:00 local; every 15 minutes is plenty.
        yield return () => recurring.AddOrUpdate<QueueRecallsJob>("queue-recalls", j => j.RunAsync(CancellationToken.None), cron.Recalls, utc);
        yield return () => recurring.AddOrUpdate<BookNextVisitsJob>("book-next-visits", j => j.RunAsync(CancellationToken.None), cron.NextVisits, utc);
        yield return () => recurring.AddOrUpdate<QueueSurveyInvitationsJob>("queue-survey-invitations", j => j.RunAsync(CancellationToken.None), cron.SurveyInvitations, utc);
        yield return () => recurring.AddOrUpdate<EscalateCasesJob>("escalate-cases", j => j.RunAsync(CancellationToken.None), cron.CaseEscalations, utc);
        // The service decides whether Monday 08:00 has come in the organisation's zone.
        yield return () => recurring.AddOrUpdate<SendWeeklyDigestJob>("send-weekly-digest", j => j.RunAsync(CancellationToken.None), cron.WeeklyDigest, utc);
    }

    /// <summary>Registers the pending jobs in order, removing each one done; false when one could not be registered yet.</summary>
    private bool TryRegister(List<Action> pending)
    {
        while (pending.Count > 0)
        {
            try
            {
                pending[0]();
            }
            catch (Exception e) when (e is Hangfire.Storage.DistributedLockTimeoutException or Hangfire.PostgreSql.PostgreSqlDistributedLockException)
            {
                logger.LogWarning("A recurring job's lock is held (a node stopped while holding it?); registering the rest in the background.");
                return false;
            }
            pending.RemoveAt(0);
        }
        return true;
    }

    private async Task RetryAsync(List<Action> pending, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (await Task.Run(() => TryRegister(pending), ct))
                return;
        }
    }
}
