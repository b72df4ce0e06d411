using CustomerExperience.Web.Delays;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using Hangfire;

namespace CustomerExperience.Web.Jobs;

// Each job is a thin call into its service. The journeys are idempotent through the outbox keys, so Hangfire's
// at-least-once execution never doubles an email; one run at a time keeps two nodes from doing the same work twice.
// A run that finds another still going waits for it (a minute at most, then it fails and shows on the dashboard:
// the job is slower than its schedule); it is not retried, as the next firing comes soon.

/// <summary>Sends due outbox rows: fired right after a commit that queued mail, and as a sweep for retries and anything missed.</summary>
public class DeliverOutboxJob(OutboxDispatcher dispatcher)
{
    // Nodes may deliver at once (rows are claimed with SKIP LOCKED); a retry would only find the rows already done.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken cancellationToken) =>
        await dispatcher.DeliverDueAsync(TimeSpan.FromSeconds(50), cancellationToken);
}

[DisableConcurrentExecution(timeoutInSeconds: 60), AutomaticRetry(Attempts = 0)]
public class QueueRemindersJob(AppointmentReminders reminders)
{
    public async Task RunAsync(CancellationToken cancellationToken) => await reminders.QueueDueAsync(cancellationToken);
}

[DisableConcurrentExecution(timeoutInSeconds: 60), AutomaticRetry(Attempts = 0)]
public class QueueRecallsJob(EligibilityRecalls recalls)
{
    public async Task RunAsync(CancellationToken cancellationToken) => await recalls.QueueDueAsync(cancellationToken);
}

/// <summary>The after-visit message (results timing and survey link) for visits just completed.</summary>
[DisableConcurrentExecution(timeoutInSeconds: 60), AutomaticRetry(Attempts = 0)]
public class QueuePostVisitJob(PostVisitMessages messages)
{
    public async Task RunAsync(CancellationToken cancellationToken) => await messages.QueueDueAsync(cancellationToken);
}

/// <summary>Books next year's visit after completed visits of recurring services.</summary>
[DisableConcurrentExecution(timeoutInSeconds: 60), AutomaticRetry(Attempts = 0)]
public class BookNextVisitsJob(NextVisitRebooking rebooking)
{
    public async Task RunAsync(CancellationToken cancellationToken) => await rebooking.BookDueAsync(cancellationToken);
}

/// <summary>Tells customers who came within reach of a running delay since it was posted (e.g. now due within two hours).</summary>
[DisableConcurrentExecution(timeoutInSeconds: 60), AutomaticRetry(Attempts = 0)]
public class NotifyDelaysJob(DelayNotifier notifier)
{
    public async Task RunAsync(CancellationToken cancellationToken) => await notifier.NotifyAllAsync(cancellationToken);
}
