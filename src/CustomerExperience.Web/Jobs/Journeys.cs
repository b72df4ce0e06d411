using CustomerExperience.Web.Delays;
using CustomerExperience.Web.Insights;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Surveys;
using CustomerExperience.Web.Recovery;
using Hangfire;

namespace CustomerExperience.Web.Jobs;

// Each job is a thin call into its service. The journeys are idempotent through the outbox keys, so Hangfire's
// at-least-once execution never doubles an email; one run at a time (OneAtATime) keeps two nodes from doing the same
// work twice. A firing that finds the previous run still going ends at once instead of waiting: waiting runs would
// hold every worker and starve the delivery jobs. Not retried either: the next firing comes soon.

/// <summary>Sends due outbox rows: fired right after a commit that queued mail, and as a sweep for retries and anything missed.</summary>
public class DeliverOutboxJob(OutboxDispatcher dispatcher)
{
    // Nodes may deliver at once (rows are claimed with SKIP LOCKED); a retry would only find the rows already done.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken cancellationToken) =>
        await dispatcher.DeliverDueAsync(TimeSpan.FromSeconds(50), cancellationToken);
}

[AutomaticRetry(Attempts = 0)]
public class QueueRemindersJob(AppointmentReminders reminders, OneAtATime guard)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        guard.RunAsync(nameof(QueueRemindersJob), ct => reminders.QueueDueAsync(ct), cancellationToken);
}

[AutomaticRetry(Attempts = 0)]
public class QueueRecallsJob(EligibilityRecalls recalls, OneAtATime guard)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        guard.RunAsync(nameof(QueueRecallsJob), ct => recalls.QueueDueAsync(ct), cancellationToken);
}

/// <summary>The after-visit message (results timing) for visits just completed.</summary>
[AutomaticRetry(Attempts = 0)]
public class QueuePostVisitJob(PostVisitMessages messages, OneAtATime guard)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        guard.RunAsync(nameof(QueuePostVisitJob), ct => messages.QueueDueAsync(ct), cancellationToken);
}

/// <summary>Books next year's visit after completed visits of recurring services.</summary>
[AutomaticRetry(Attempts = 0)]
public class BookNextVisitsJob(NextVisitRebooking rebooking, OneAtATime guard)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        guard.RunAsync(nameof(BookNextVisitsJob), ct => rebooking.BookDueAsync(ct), cancellationToken);
}

/// <summary>Tells customers who came within reach of a running delay since it was posted (e.g. now due within two hours).</summary>
[AutomaticRetry(Attempts = 0)]
public class NotifyDelaysJob(DelayNotifier notifier, OneAtATime guard)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        guard.RunAsync(nameof(NotifyDelaysJob), ct => notifier.NotifyAllAsync(ct), cancellationToken);
}

/// <summary>The email survey invitation, a few hours after the visit, for visits the kiosk did not already answer for.</summary>
[AutomaticRetry(Attempts = 0)]
public class QueueSurveyInvitationsJob(SurveyInvitations invitations, OneAtATime guard)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        guard.RunAsync(nameof(QueueSurveyInvitationsJob), ct => invitations.QueueDueAsync(ct), cancellationToken);
}

/// <summary>Escalates service-recovery cases whose first contact is overdue, once each, to the location's managers.</summary>
[AutomaticRetry(Attempts = 0)]
public class EscalateCasesJob(ServiceRecovery recovery, OneAtATime guard)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        guard.RunAsync(nameof(EscalateCasesJob), ct => recovery.EscalateOverdueAsync(ct), cancellationToken);
}

/// <summary>Monday's insights digest to managers and admins, for the week just ended.</summary>
[AutomaticRetry(Attempts = 0)]
public class SendWeeklyDigestJob(WeeklyDigest digest, OneAtATime guard)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        guard.RunAsync(nameof(SendWeeklyDigestJob), ct => digest.QueueDueAsync(ct), cancellationToken);
}
