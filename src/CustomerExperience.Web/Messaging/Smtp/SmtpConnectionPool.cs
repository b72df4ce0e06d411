using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Messaging.Smtp;

/// <summary>
/// Kept-open SMTP sessions, at most <see cref="SmtpOptions.MaxParallel"/> at once, so a message costs one transaction
/// instead of a connection, a greeting, EHLO, TLS and AUTH. A session that broke is dropped and a new one opened.
/// </summary>
public sealed class SmtpConnectionPool(IOptions<SmtpOptions> options, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>Servers drop idle sessions (RFC 5321 allows after 5 minutes; NATs silently, sooner): older ones are not reused.</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);

    private readonly SmtpOptions smtp = options.Value;
    private readonly SemaphoreSlim slots = new(options.Value.MaxParallel);
    private readonly ConcurrentStack<(SmtpConnection Connection, long IdleSince)> idle = new();
    private volatile bool disposed;

    /// <summary>Returns once the server accepted the message; throws what <see cref="SmtpConnection.SendAsync"/> throws.</summary>
    public async Task SendAsync(string from, string to, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        await slots.WaitAsync(cancellationToken);
        try
        {
            if (await TakeIdleAsync() is { } reused)
            {
                try
                {
                    await reused.SendAsync(from, to, message, cancellationToken);
                    await ReturnAsync(reused);
                    return;
                }
                catch (Exception) when (!reused.IsUsable && !reused.MessageMayHaveLeft && !cancellationToken.IsCancellationRequested)
                {
                    // The session died while idle (server restart, idle timeout, 421) and the message never left:
                    // a fresh session may send it. Once the data went out, only the outbox decides about sending again.
                    await reused.DisposeAsync();
                }
                catch
                {
                    await ReturnAsync(reused);
                    throw;
                }
            }

            var connection = await SmtpConnection.OpenAsync(smtp, cancellationToken);
            try
            {
                await connection.SendAsync(from, to, message, cancellationToken);
            }
            finally
            {
                await ReturnAsync(connection);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<SmtpConnection?> TakeIdleAsync()
    {
        while (idle.TryPop(out var entry))
        {
            if (entry.Connection.IsUsable && clock.GetElapsedTime(entry.IdleSince) < MaxIdle)
                return entry.Connection;
            await entry.Connection.DisposeAsync();
        }
        return null;
    }

    private async ValueTask ReturnAsync(SmtpConnection connection)
    {
        if (connection.IsUsable && !disposed)
            idle.Push((connection, clock.GetTimestamp()));
        else
            await connection.DisposeAsync();
    }

    /// <summary>QUIT on every idle session; sessions in use close when their message is done.</summary>
    public async ValueTask DisposeAsync()
    {
        disposed = true;
        while (idle.TryPop(out var entry))
            await entry.Connection.DisposeAsync();
    }
}
