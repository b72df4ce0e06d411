using System.Diagnostics;
using System.Diagnostics.Metrics;
using CustomerExperience.Web.Domain;
using Npgsql;

namespace CustomerExperience.Web.Infrastructure;

/// <summary>
/// The app's own instruments, all on the meter "CustomerExperience", exported at /metrics (see <see cref="Observability"/>).
/// The meter comes from the host's <see cref="IMeterFactory"/>, so each host (the tests run dozens in one process) has
/// its own instruments, and a listener can tell them apart by <see cref="Meter.Scope"/>.
/// </summary>
public sealed partial class Metrics
{
    public const string MeterName = "CustomerExperience";

    private readonly Counter<long> bookings;
    private readonly Counter<long> bookingConflicts;
    private readonly Counter<long> emailsSent;
    private readonly Counter<long> emailsFailed;
    private readonly Counter<long> emailsDead;
    private readonly Counter<long> jobRuns;
    private readonly Counter<long> jobFailures;
    private readonly Counter<long> surveyResponses;

    public Metrics(IMeterFactory meterFactory, NpgsqlDataSource dataSource, TimeProvider clock, ILogger<Metrics> logger)
    {
        var meter = meterFactory.Create(MeterName);
        bookings = meter.CreateCounter<long>("cx.bookings", "{booking}", "Visits booked, by source (Online, FrontDesk, ...)");
        bookingConflicts = meter.CreateCounter<long>("cx.booking_conflicts", "{conflict}",
            "Bookings and moves refused because the time was already taken");
        emailsSent = meter.CreateCounter<long>("cx.emails.sent", "{email}", "Emails the SMTP server accepted, by kind");
        emailsFailed = meter.CreateCounter<long>("cx.emails.failed", "{email}", "Send attempts that failed and will be retried, by kind");
        emailsDead = meter.CreateCounter<long>("cx.emails.dead", "{email}", "Emails given up on (refused for good or out of attempts), by kind");
        jobRuns = meter.CreateCounter<long>("cx.jobs.runs", "{run}", "Background job runs, by job");
        jobFailures = meter.CreateCounter<long>("cx.jobs.failures", "{run}", "Background job runs that threw, by job");
        surveyResponses = meter.CreateCounter<long>("cx.survey.responses", "{response}", "Survey responses stored, by channel");

        var oldestUnsent = new CachedReading(dataSource, logger, "cx.outbox.oldest_age_seconds", async (command, ct) =>
        {
            command.CommandText = "SELECT min(created_at) FROM cx.outbound_emails WHERE status IN ('Pending', 'Sending')";
            return await command.ExecuteScalarAsync(ct) is DateTime oldest
                ? Math.Max(0, (clock.GetUtcNow() - new DateTimeOffset(oldest, TimeSpan.Zero)).TotalSeconds)
                : 0;
        });
        meter.CreateObservableGauge("cx.outbox.oldest_age_seconds", oldestUnsent.Observe, "s",
            "How long the oldest unsent email has waited in the outbox (0 when none); read at most every 15 s");
        var openCases = new CachedReading(dataSource, logger, "cx.recovery.open_cases", async (command, ct) =>
        {
            command.CommandText = "SELECT count(*) FROM cx.recovery_cases WHERE status <> 'Resolved'";
            return Convert.ToDouble(await command.ExecuteScalarAsync(ct));
        });
        meter.CreateObservableGauge("cx.recovery.open_cases", openCases.Observe, "{case}",
            "Service-recovery cases not yet resolved; read at most every 15 s");
    }

    public void BookingMade(BookingSource source) => bookings.Add(1, new KeyValuePair<string, object?>("source", source.ToString()));

    public void BookingConflict() => bookingConflicts.Add(1);

    public void EmailSent(string kind) => emailsSent.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void EmailFailed(string kind) => emailsFailed.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void EmailDead(string kind) => emailsDead.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void JobRan(string job, bool failed)
    {
        var tag = new KeyValuePair<string, object?>("job", job);
        jobRuns.Add(1, tag);
        if (failed)
            jobFailures.Add(1, tag);
    }

    public void SurveyResponseStored(SurveyChannel channel) =>
        surveyResponses.Add(1, new KeyValuePair<string, object?>("channel", channel.ToString().ToLowerInvariant()));

    /// <summary>
    /// A figure read from the database for a gauge. A scrape gets the last value read at once and, when that is older
    /// than <see cref="RefreshEvery"/>, starts one read in the background: scrapes never wait on the database, and many
    /// scrapers cost at most one query per figure every 15 s. The first scrape after start-up has no value yet.
    /// </summary>
    private sealed class CachedReading(NpgsqlDataSource dataSource, ILogger logger, string name, Func<NpgsqlCommand, CancellationToken, Task<double>> read)
    {
        private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(15);
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

        private sealed record Reading(double Value, long ReadAt);

        private Reading? last;
        private int reading;

        public IEnumerable<Measurement<double>> Observe()
        {
            var current = Volatile.Read(ref last);
            // Real time on purpose: this paces queries; it is not a business rule tests move through.
            if ((current is null || Stopwatch.GetElapsedTime(current.ReadAt) >= RefreshEvery) && Interlocked.Exchange(ref reading, 1) == 0)
                _ = RefreshAsync();
            return current is null ? [] : [new Measurement<double>(current.Value)];
        }

        private async Task RefreshAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(Timeout);
                await using var command = dataSource.CreateCommand();
                command.CommandTimeout = (int)Timeout.TotalSeconds;
                Volatile.Write(ref last, new Reading(await read(command, timeout.Token), Stopwatch.GetTimestamp()));
            }
            catch (ObjectDisposedException)
            {
                // The host stopped while the read ran.
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
            {
                // The gauge keeps its last value; /healthz reports the database itself.
                LogReadFailed(logger, name, ex.GetType().Name, ex.Message);
            }
            finally
            {
                Volatile.Write(ref reading, 0);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics: could not read {Gauge} ({Type}: {Reason}); it keeps its last value")]
    private static partial void LogReadFailed(ILogger logger, string gauge, string type, string reason);
}
