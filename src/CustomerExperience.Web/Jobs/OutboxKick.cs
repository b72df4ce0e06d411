using System.Threading.Channels;
using Hangfire;

namespace CustomerExperience.Web.Jobs;

/// <summary>
/// Enqueues a delivery job soon after a commit queued mail, so a confirmation leaves at once instead of at the next
/// sweep. Commits that arrive close together share one job (at most one per <see cref="Window"/> per process): a
/// reminder run that queues thousands of rows creates a handful of jobs, not thousands. Any node may run the job;
/// web-only nodes enqueue too. If the process dies before enqueuing, the recurring sweep sends the mail.
/// </summary>
public sealed partial class OutboxKick(IBackgroundJobClient jobs, ILogger<OutboxKick> logger) : BackgroundService
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    // One slot: a signal while a job is being enqueued or the window runs is kept, and repeated signals fold into it.
    private readonly Channel<bool> signals = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Call after the transaction that queued mail has committed.</summary>
    public void Signal() => signals.Writer.TryWrite(true);

    /// <summary>Whether a signal waits to be turned into a job.</summary>
    internal bool Signalled => signals.Reader.Count > 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await signals.Reader.WaitToReadAsync(stoppingToken))
            {
                signals.Reader.TryRead(out _);
                try
                {
                    jobs.Enqueue<DeliverOutboxJob>(job => job.RunAsync(CancellationToken.None));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogEnqueueFailed(logger, ex.Message);
                }
                // Real time on purpose: this paces job creation; it is not a business rule tests move through.
                await Task.Delay(Window, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not enqueue outbox delivery ({Reason}); the sweep will send the mail")]
    private static partial void LogEnqueueFailed(ILogger logger, string reason);
}
