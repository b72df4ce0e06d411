using CustomerExperience.Web.Infrastructure;
using Hangfire.Common;
using Hangfire.Server;

namespace CustomerExperience.Web.Jobs;

/// <summary>
/// Counts every job run and every run that threw (cx.jobs.runs, cx.jobs.failures), tagged with the job's class. Given
/// to this host's server only (<see cref="JobsSetup"/>), not to Hangfire's process-wide filters: in the tests several
/// hosts share the process, and each would count the others' jobs.
/// </summary>
public sealed class JobMetrics(Metrics metrics) : IServerFilter
{
    public void OnPerforming(PerformingContext context)
    {
    }

    public void OnPerformed(PerformedContext context) =>
        metrics.JobRan(context.BackgroundJob.Job.Type.Name, failed: context.Exception is not null && !context.ExceptionHandled);

    /// <summary>Hangfire's own filters (global and attributes such as AutomaticRetry) and this host's metrics.</summary>
    public static IJobFilterProvider WithGlobalFilters(Metrics metrics) =>
        new JobFilterProviderCollection { Hangfire.Common.JobFilterProviders.Providers, new JobFilterCollection { new JobMetrics(metrics) } };
}
