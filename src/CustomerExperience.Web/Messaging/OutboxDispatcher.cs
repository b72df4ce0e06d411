using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CustomerExperience.Web.Messaging;

/// <summary>
/// Delivers due outbox rows. Rows are claimed with FOR UPDATE SKIP LOCKED and leased, so any number of
/// nodes can run this at once without sending a row twice; a node that dies mid-send gives its rows
/// back when the lease runs out. A claim is known by its attempt number and lease end: a retry or Dead is
/// only recorded while the row still carries both, so a worker that outlived its lease cannot undo what the
/// worker after it recorded. No send starts that could outlast the lease; such rows are given back.
/// </summary>
public partial class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    SmtpEmailSender sender,
    IOptions<OutboxOptions> outboxOptions,
    IOptions<SmtpOptions> smtpOptions,
    TimeProvider clock,
    Metrics metrics,
    ILogger<OutboxDispatcher> logger)
{
    private readonly OutboxOptions options = outboxOptions.Value;
    private readonly SemaphoreSlim delivering = new(2, 2);
    private bool lookAgain;

    /// <summary><paramref name="Deferred"/>: claimed but given back unsent, because the lease had too little time left.</summary>
    public sealed record Result(int Sent, int Retried, int Dead, int Deferred = 0)
    {
        public int Claimed => Sent + Retried + Dead + Deferred;
    }

    /// <summary>
    /// Claims and sends batches until nothing is due or <paramref name="budget"/> has passed. At most two loops per node:
    /// the SMTP connections are shared, so more loops would only hold claimed rows (and their bodies) waiting for them,
    /// and every commit that queues mail starts a delivery (a big reminder run starts dozens); two let one claim and
    /// start its batch while the other finishes the last sends of its own. A call made while both run returns at once
    /// (nothing sent) and makes them look for due rows once more before they end.
    /// </summary>
    public async Task<Result> DeliverDueAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        var total = new Result(0, 0, 0);
        var started = clock.GetTimestamp();
        Volatile.Write(ref lookAgain, true);
        // Looked at again after letting go: a call that came just before found both loops still held.
        while (Volatile.Read(ref lookAgain) && clock.GetElapsedTime(started) < budget && delivering.Wait(0, CancellationToken.None))
        {
            try
            {
                while (clock.GetElapsedTime(started) < budget)
                {
                    Volatile.Write(ref lookAgain, false);
                    var batch = await DeliverBatchAsync(cancellationToken);
                    total = new Result(total.Sent + batch.Sent, total.Retried + batch.Retried, total.Dead + batch.Dead, total.Deferred + batch.Deferred);
                    if (batch.Claimed < options.BatchSize && !Volatile.Read(ref lookAgain))
                        break;
                }
            }
            finally
            {
                delivering.Release();
            }
        }
        return total;
    }

    public async Task<Result> DeliverBatchAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        int retried = 0, dead = 0;
        var deferred = new ConcurrentQueue<OutboundEmail>();
        // Accepted messages are marked Sent by one writer, in groups of whatever was accepted while the previous
        // UPDATE ran: one statement for many rows, and a row is still only marked once the server took it.
        var accepted = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var marking = MarkSentAsync(accepted.Reader, stopSending);
        try
        {
            await Parallel.ForEachAsync(
                claimed,
                new ParallelOptions { MaxDegreeOfParallelism = smtpOptions.Value.MaxParallel, CancellationToken = stopSending.Token },
                async (email, ct) =>
                {
                    try
                    {
                        if (await sender.SendAsync(email, startBy: email.LeaseUntil!.Value - sender.LongestSend, ct))
                        {
                            accepted.Writer.TryWrite(email.Id);
                            metrics.EmailSent(email.Kind);
                        }
                        else
                            deferred.Enqueue(email);
                    }
                    catch (Exception ex) when (IsDeliveryFailure(ex))
                    {
                        var error = Describe(ex, email.ToAddress);
                        var permanent = IsPermanent(ex);
                        if (permanent || email.Attempts >= options.MaxAttempts)
                        {
                            if (!await MarkDeadAsync(email, error, ct))
                                LogSuperseded(logger, email.Id, email.Attempts);
                            else
                            {
                                metrics.EmailDead(email.Kind);
                                if (permanent)
                                    LogRefused(logger, email.Id, email.Kind, email.Attempts, error);
                                else
                                    LogDead(logger, email.Id, email.Kind, email.Attempts, error);
                            }
                            Interlocked.Increment(ref dead);
                        }
                        else
                        {
                            metrics.EmailFailed(email.Kind);
                            var retryAt = clock.GetUtcNow() + options.RetryDelay(email.Attempts);
                            if (await MarkRetryAsync(email, error, retryAt, ct))
                                LogRetry(logger, email.Id, email.Kind, email.Attempts, retryAt, error);
                            else
                                LogSuperseded(logger, email.Id, email.Attempts);
                            Interlocked.Increment(ref retried);
                        }
                    }
                });
            await GiveBackAsync(deferred, cancellationToken);
        }
        finally
        {
            // Also when cancelled: what the server accepted is recorded before we give up.
            accepted.Writer.Complete();
            await marking;
        }
        return new Result(await marking, retried, dead, deferred.Count);
    }

    private async Task<List<OutboundEmail>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            UPDATE cx.outbound_emails o
            SET status = 'Sending', attempts = o.attempts + 1, lease_until = $2
            WHERE o.id IN (
                SELECT id FROM cx.outbound_emails
                WHERE (status = 'Pending' AND next_attempt_at <= $1) OR (status = 'Sending' AND lease_until < $1)
                ORDER BY next_attempt_at
                LIMIT $3
                FOR UPDATE SKIP LOCKED)
            RETURNING o.id, o.kind, o.idempotency_key, o.to_address, o.to_name, o.subject, o.text_body, o.html_body,
                      o.ics, o.ics_method, o.unsubscribe_url, o.attempts, o.lease_until
            """);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(now + options.Lease);
        command.Parameters.AddWithValue(options.BatchSize);

        var claimed = new List<OutboundEmail>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new OutboundEmail
            {
                Id = reader.GetGuid(0),
                Kind = reader.GetString(1),
                IdempotencyKey = reader.GetString(2),
                ToAddress = reader.GetString(3),
                ToName = reader.IsDBNull(4) ? null : reader.GetString(4),
                Subject = reader.GetString(5),
                TextBody = reader.GetString(6),
                HtmlBody = reader.IsDBNull(7) ? null : reader.GetString(7),
                Ics = reader.IsDBNull(8) ? null : reader.GetString(8),
                IcsMethod = reader.IsDBNull(9) ? null : reader.GetString(9),
                UnsubscribeUrl = reader.IsDBNull(10) ? null : reader.GetString(10),
                Attempts = reader.GetInt32(11),
                LeaseUntil = reader.GetFieldValue<DateTimeOffset>(12),
                Status = OutboundEmailStatus.Sending,
            });
        }
        return claimed;
    }

    /// <summary>
    /// Marks rows Sent as they are accepted, all that are waiting in one UPDATE; returns how many. When that fails,
    /// sending stops too: every further message would be sent again once its lease ran out. Unlike the other updates
    /// this one does not insist on our claim: the server took the message, so Sent is true whoever holds the row now.
    /// </summary>
    private async Task<int> MarkSentAsync(ChannelReader<Guid> accepted, CancellationTokenSource stopSending)
    {
        var marked = 0;
        var ids = new List<Guid>();
        try
        {
            // CancellationToken.None: once a message has left, recording that must not be cut short by shutdown.
            while (await accepted.WaitToReadAsync(CancellationToken.None))
            {
                while (accepted.TryRead(out var id))
                    ids.Add(id);
                await ExecuteAsync(
                    "UPDATE cx.outbound_emails SET status = 'Sent', sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = ANY($1) AND status <> 'Sent'",
                    CancellationToken.None, ids.ToArray(), clock.GetUtcNow());
                marked += ids.Count;
                ids.Clear();
            }
            return marked;
        }
        catch
        {
            await stopSending.CancelAsync();
            throw;
        }
    }

    // $1, $2, $3: the claim (id, attempt, lease end). False when the row is no longer ours: another worker claimed it
    // after our lease ran out, and whatever it recorded stands.
    private const string OurClaim = "id = $1 AND status = 'Sending' AND attempts = $2 AND lease_until = $3";

    private async Task<bool> MarkRetryAsync(OutboundEmail email, string error, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            $"UPDATE cx.outbound_emails SET status = 'Pending', next_attempt_at = $4, last_error = $5, lease_until = NULL WHERE {OurClaim}",
            cancellationToken, email.Id, email.Attempts, email.LeaseUntil!.Value, retryAt, error) == 1;

    private async Task<bool> MarkDeadAsync(OutboundEmail email, string error, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            $"UPDATE cx.outbound_emails SET status = 'Dead', last_error = $4, lease_until = NULL WHERE {OurClaim}",
            cancellationToken, email.Id, email.Attempts, email.LeaseUntil!.Value, error) == 1;

    /// <summary>Rows not sent because the lease was nearly over: due again at once, and the attempt does not count.</summary>
    private async Task GiveBackAsync(IReadOnlyCollection<OutboundEmail> emails, CancellationToken cancellationToken)
    {
        foreach (var email in emails)
            await ExecuteAsync(
                $"UPDATE cx.outbound_emails SET status = 'Pending', attempts = attempts - 1, lease_until = NULL WHERE {OurClaim}",
                cancellationToken, email.Id, email.Attempts, email.LeaseUntil!.Value);
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
            command.Parameters.AddWithValue(value);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// What MailKit, the network and the message builder throw when this attempt failed (a refusal, a broken or timed-out
    /// connection, TLS or AUTH refused, no STARTTLS or 8BITMIME, a bad address); anything else is a bug and surfaces.
    /// </summary>
    private static bool IsDeliveryFailure(Exception ex) =>
        ex is CommandException or ProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException
            or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException or System.Security.Authentication.AuthenticationException
            or IOException or SocketException or TimeoutException or NotSupportedException or FormatException or UndeliverableException;

    /// <summary>
    /// A refusal that no retry can change: a 5xx for this message or its recipient (550 mailbox unavailable, 553 bad
    /// address, 552 too large), an address that is not one, or one the server cannot carry. A 5xx to MAIL FROM is about
    /// our own sender address, a setting that gets fixed, so it is retried like a 4xx.
    /// </summary>
    private static bool IsPermanent(Exception ex) => ex switch
    {
        SmtpCommandException smtp => (int)smtp.StatusCode is >= 500 and < 600 && smtp.ErrorCode != SmtpErrorCode.SenderNotAccepted,
        UndeliverableException or FormatException => true,
        _ => false,
    };

    /// <summary>The error as stored and logged: no recipient address in it.</summary>
    private static string Describe(Exception ex, string recipient)
    {
        var detail = ex is SmtpCommandException smtp ? $"SMTP {(int)smtp.StatusCode} {smtp.Message}" : $"{ex.GetType().Name}: {ex.Message}";
        if (ex.InnerException is not null)
            detail += $" ← {ex.InnerException.GetType().Name}: {ex.InnerException.Message}";
        detail = detail.Replace(recipient, "<recipient>", StringComparison.OrdinalIgnoreCase);
        return detail.Length <= 1000 ? detail : detail[..1000];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {EmailId} ({Kind}) failed on attempt {Attempts}; retrying at {RetryAt:u}: {Error}")]
    private static partial void LogRetry(ILogger logger, Guid emailId, string kind, int attempts, DateTimeOffset retryAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email {EmailId} ({Kind}) refused for good on attempt {Attempts}: {Error}")]
    private static partial void LogRefused(ILogger logger, Guid emailId, string kind, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {EmailId} was claimed again after attempt {Attempts} outlived its lease; the later worker's status stands")]
    private static partial void LogSuperseded(ILogger logger, Guid emailId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email {EmailId} ({Kind}) gave up after {Attempts} attempts: {Error}")]
    private static partial void LogDead(ILogger logger, Guid emailId, string kind, int attempts, string error);
}
