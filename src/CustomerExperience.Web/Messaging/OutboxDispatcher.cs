using System.Net.Sockets;
using System.Threading.Channels;
using CustomerExperience.Web.Domain;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CustomerExperience.Web.Messaging;

/// <summary>
/// Delivers due outbox rows. Rows are claimed with FOR UPDATE SKIP LOCKED and leased, so any number of
/// nodes can run this at once without sending a row twice; a node that dies mid-send gives its rows
/// back when the lease runs out.
/// </summary>
public partial class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    SmtpEmailSender sender,
    IOptions<OutboxOptions> outboxOptions,
    IOptions<SmtpOptions> smtpOptions,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
{
    private readonly OutboxOptions options = outboxOptions.Value;

    public sealed record Result(int Sent, int Retried, int Dead)
    {
        public int Claimed => Sent + Retried + Dead;
    }

    /// <summary>Claims and sends batches until nothing is due or <paramref name="budget"/> has passed.</summary>
    public async Task<Result> DeliverDueAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        var total = new Result(0, 0, 0);
        var started = clock.GetTimestamp();
        while (clock.GetElapsedTime(started) < budget)
        {
            var batch = await DeliverBatchAsync(cancellationToken);
            total = new Result(total.Sent + batch.Sent, total.Retried + batch.Retried, total.Dead + batch.Dead);
            if (batch.Claimed < options.BatchSize)
                break;
        }
        return total;
    }

    public async Task<Result> DeliverBatchAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        int retried = 0, dead = 0;
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
                        await sender.SendAsync(email, ct);
                        accepted.Writer.TryWrite(email.Id);
                    }
                    catch (Exception ex) when (IsDeliveryFailure(ex))
                    {
                        var error = Describe(ex, email.ToAddress);
                        if (email.Attempts >= options.MaxAttempts)
                        {
                            await MarkDeadAsync(email.Id, error, ct);
                            Interlocked.Increment(ref dead);
                            LogDead(logger, email.Id, email.Kind, email.Attempts, error);
                        }
                        else
                        {
                            var retryAt = clock.GetUtcNow() + options.RetryDelay(email.Attempts);
                            await MarkRetryAsync(email.Id, error, retryAt, ct);
                            Interlocked.Increment(ref retried);
                            LogRetry(logger, email.Id, email.Kind, email.Attempts, retryAt, error);
                        }
                    }
                });
        }
        finally
        {
            // Also when cancelled: what the server accepted is recorded before we give up.
            accepted.Writer.Complete();
            await marking;
        }
        return new Result(await marking, retried, dead);
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
                      o.ics, o.ics_method, o.unsubscribe_url, o.attempts
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
                Status = OutboundEmailStatus.Sending,
            });
        }
        return claimed;
    }

    /// <summary>
    /// Marks rows Sent as they are accepted, all that are waiting in one UPDATE; returns how many. When that fails,
    /// sending stops too: every further message would be sent again once its lease ran out.
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
                    "UPDATE cx.outbound_emails SET status = 'Sent', sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = ANY($1)",
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

    private Task MarkRetryAsync(Guid id, string error, DateTimeOffset retryAt, CancellationToken cancellationToken) => ExecuteAsync(
        "UPDATE cx.outbound_emails SET status = 'Pending', next_attempt_at = $2, last_error = $3, lease_until = NULL WHERE id = $1",
        cancellationToken, id, retryAt, error);

    private Task MarkDeadAsync(Guid id, string error, CancellationToken cancellationToken) => ExecuteAsync(
        "UPDATE cx.outbound_emails SET status = 'Dead', last_error = $2, lease_until = NULL WHERE id = $1",
        cancellationToken, id, error);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
            command.Parameters.AddWithValue(value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// What MailKit, the network and the message builder throw when this attempt failed (a refusal, a broken or timed-out
    /// connection, TLS or AUTH refused, no STARTTLS or 8BITMIME, a bad address); anything else is a bug and surfaces.
    /// </summary>
    private static bool IsDeliveryFailure(Exception ex) =>
        ex is CommandException or ProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException
            or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException or System.Security.Authentication.AuthenticationException
            or IOException or SocketException or TimeoutException or NotSupportedException or FormatException or UndeliverableException;

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

    [LoggerMessage(Level = LogLevel.Error, Message = "Email {EmailId} ({Kind}) gave up after {Attempts} attempts: {Error}")]
    private static partial void LogDead(ILogger logger, Guid emailId, string kind, int attempts, string error);
}
