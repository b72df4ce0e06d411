using CustomerExperience.Web.Journeys;
using Quartz;

namespace CustomerExperience.Web.Jobs;

/// <summary>Books next year's visit after completed visits of recurring services.</summary>
[DisallowConcurrentExecution]
public class BookNextVisitsJob(NextVisitRebooking rebooking) : IJob
{
    public static readonly JobKey Key = new("book-next-visits", "journeys");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await rebooking.BookDueAsync(cancellationToken);
}
