using CustomerExperience.Web.Journeys;
using Quartz;

namespace CustomerExperience.Web.Jobs;

/// <summary>Queues the after-visit message (results timing and survey link) for visits just completed.</summary>
[DisallowConcurrentExecution]
public class QueuePostVisitJob(PostVisitMessages messages) : IJob
{
    public static readonly JobKey Key = new("queue-post-visit", "journeys");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await messages.QueueDueAsync(cancellationToken);
}
