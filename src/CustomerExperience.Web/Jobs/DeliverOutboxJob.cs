using CustomerExperience.Web.Messaging;
using Quartz;

namespace CustomerExperience.Web.Jobs;

[DisallowConcurrentExecution]
public class DeliverOutboxJob(OutboxDispatcher dispatcher) : IJob
{
    public static readonly JobKey Key = new("deliver-outbox", "messaging");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await dispatcher.DeliverDueAsync(TimeSpan.FromSeconds(50), cancellationToken);
    }
}
