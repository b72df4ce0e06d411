using CustomerExperience.Web.Delays;
using Quartz;

namespace CustomerExperience.Web.Jobs;

/// <summary>Tells customers who came within reach of a running delay since it was posted (e.g. now due within two hours).</summary>
[DisallowConcurrentExecution]
public class NotifyDelaysJob(DelayNotifier notifier) : IJob
{
    public static readonly JobKey Key = new("notify-delays", "delays");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await notifier.NotifyAllAsync(cancellationToken);
}
