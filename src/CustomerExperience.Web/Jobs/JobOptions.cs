using System.ComponentModel.DataAnnotations;

namespace CustomerExperience.Web.Jobs;

/// <summary>Hangfire on the app's database: how quickly work is picked up and how often each journey looks for work.</summary>
public class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Upper bound on how long an enqueued job waits when the LISTEN/NOTIFY wake-up is missed.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Paces recurring firings, retries and delayed jobs (Hangfire's default is 15 s).</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A job whose server died is handed to another server after this. Sliding: a running job keeps it fresh.</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 100)]
    public int WorkerCount { get; set; } = 10;

    /// <summary>Cron (six fields: with seconds) for each recurring job.</summary>
    public string OutboxSweep { get; set; } = "*/10 * * * * *";
    public string Reminders { get; set; } = "0 * * * * *";
    public string DelayNotices { get; set; } = "30 * * * * *";
    public string PostVisit { get; set; } = "15 * * * * *";
    public string Recalls { get; set; } = "0 */15 * * * *";
    public string NextVisits { get; set; } = "0 */5 * * * *";
    public string SurveyInvitations { get; set; } = "45 * * * * *";
    public string CaseEscalations { get; set; } = "45 * * * * *";
    public string WeeklyDigest { get; set; } = "20 */15 * * * *";
}
