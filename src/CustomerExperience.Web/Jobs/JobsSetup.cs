using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using Quartz;

namespace CustomerExperience.Web.Jobs;

public static class JobsSetup
{
    /// <summary>Quartz on the app's own Postgres, clustered: every node runs the scheduler, each firing runs on one node.</summary>
    public static void AddJobs(this WebApplicationBuilder builder, string connectionString)
    {
        var outbox = builder.Configuration.GetSection(OutboxOptions.Section).Get<OutboxOptions>() ?? new OutboxOptions();
        var runJobs = builder.Configuration.GetSection(AppOptions.Section).Get<AppOptions>()?.RunJobs ?? true;
        // How often reminders are looked for; a minute in production, shorter in benchmarks.
        var reminderInterval = builder.Configuration.GetValue("Jobs:ReminderInterval", TimeSpan.FromMinutes(1));
        // How often running delays are checked for customers who have come within reach of them.
        var delayNoticeInterval = builder.Configuration.GetValue("Jobs:DelayNoticeInterval", TimeSpan.FromMinutes(1));

        builder.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = "CustomerExperience");
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseSystemTextJsonSerializer();
                store.UseClustering();
                store.ProvisionSchema();
            });

            q.ScheduleJob<DeliverOutboxJob>(
                trigger => trigger
                    .WithIdentity("deliver-outbox", "messaging")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(outbox.PollInterval).RepeatForever().MeasureIntervalFromCompletion()),
                job => job.WithIdentity(DeliverOutboxJob.Key).RequestRecovery());
            q.ScheduleJob<QueueRemindersJob>(
                trigger => trigger
                    .WithIdentity("queue-reminders", "journeys")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(reminderInterval).RepeatForever().MeasureIntervalFromCompletion()),
                job => job.WithIdentity(QueueRemindersJob.Key).RequestRecovery());
            // Recalls go out from 09:00 local; every 15 minutes is plenty.
            q.ScheduleJob<QueueRecallsJob>(
                trigger => trigger
                    .WithIdentity("queue-recalls", "journeys")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(15)).RepeatForever().MeasureIntervalFromCompletion()),
                job => job.WithIdentity(QueueRecallsJob.Key).RequestRecovery());
            q.ScheduleJob<QueuePostVisitJob>(
                trigger => trigger
                    .WithIdentity("queue-post-visit", "journeys")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(1)).RepeatForever().MeasureIntervalFromCompletion()),
                job => job.WithIdentity(QueuePostVisitJob.Key).RequestRecovery());
            q.ScheduleJob<BookNextVisitsJob>(
                trigger => trigger
                    .WithIdentity("book-next-visits", "journeys")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(5)).RepeatForever().MeasureIntervalFromCompletion()),
                job => job.WithIdentity(BookNextVisitsJob.Key).RequestRecovery());
            q.ScheduleJob<NotifyDelaysJob>(
                trigger => trigger
                    .WithIdentity("notify-delays", "delays")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(delayNoticeInterval).RepeatForever().MeasureIntervalFromCompletion()),
                job => job.WithIdentity(NotifyDelaysJob.Key).RequestRecovery());
            q.AddQuartzHealthChecks();
        });
        builder.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AutoStart = runJobs;
        });
    }
}
