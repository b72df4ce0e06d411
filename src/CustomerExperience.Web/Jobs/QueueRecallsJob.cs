using CustomerExperience.Web.Journeys;
using Quartz;

namespace CustomerExperience.Web.Jobs;

/// <summary>Queues eligibility recalls and their follow-ups into the outbox.</summary>
[DisallowConcurrentExecution]
public class QueueRecallsJob(EligibilityRecalls recalls) : IJob
{
    public static readonly JobKey Key = new("queue-recalls", "journeys");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await recalls.QueueDueAsync(cancellationToken);
}
