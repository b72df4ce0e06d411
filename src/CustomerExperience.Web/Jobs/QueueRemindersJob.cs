using CustomerExperience.Web.Journeys;
using Quartz;

namespace CustomerExperience.Web.Jobs;

/// <summary>Queues due appointment reminders into the outbox; delivery is the outbox job's business.</summary>
[DisallowConcurrentExecution]
public class QueueRemindersJob(AppointmentReminders reminders) : IJob
{
    public static readonly JobKey Key = new("queue-reminders", "journeys");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await reminders.QueueDueAsync(cancellationToken);
}
