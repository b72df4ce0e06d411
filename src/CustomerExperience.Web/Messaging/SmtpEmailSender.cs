using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CustomerExperience.Web.Domain;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CustomerExperience.Web.Messaging;

/// <summary>The message can never be sent as it is (for example a non-ASCII address to a server without SMTPUTF8).</summary>
public sealed class UndeliverableException(string message) : Exception(message);

/// <summary>
/// The one place that talks SMTP: builds an outbox row's message with MimeKit and sends it with MailKit over up to
/// <see cref="SmtpOptions.MaxParallel"/> kept-open connections, so a message costs one SMTP transaction instead of a
/// connection, a greeting, EHLO, TLS and AUTH. A connection that broke is dropped and a new one opened.
/// </summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>Servers drop idle sessions (RFC 5321 allows after 5 minutes; NATs silently, sooner): older ones are not reused.</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);

    private readonly SmtpOptions smtp = options.Value;
    private readonly SemaphoreSlim slots = new(options.Value.MaxParallel);
    private readonly ConcurrentStack<(Connection Connection, long IdleSince)> idle = new();
    private volatile bool disposed;

    /// <summary>
    /// The longest a send takes once started, failure included: a kept connection found dead, a new one opened, the
    /// message sent, each step within Smtp:TimeoutSeconds.
    /// </summary>
    public TimeSpan LongestSend => 3 * TimeSpan.FromSeconds(smtp.TimeoutSeconds);

    /// <summary>
    /// Returns true once the server accepted the message, false without sending anything when no connection was free
    /// before <paramref name="startBy"/> (the caller's lease would not cover the send).
    /// </summary>
    public async Task<bool> SendAsync(OutboundEmail email, DateTimeOffset startBy, CancellationToken cancellationToken)
    {
        var message = BuildMessage(email);
        ObjectDisposedException.ThrowIf(disposed, this);
        await slots.WaitAsync(cancellationToken);
        try
        {
            if (clock.GetUtcNow() > startBy)
                return false;
            if (await TakeIdleAsync() is { } reused)
            {
                try
                {
                    await reused.SendAsync(message, cancellationToken);
                    await ReturnAsync(reused);
                    return true;
                }
                catch (Exception) when (!reused.IsUsable && !reused.MessageMayHaveLeft && !cancellationToken.IsCancellationRequested)
                {
                    // The connection died while idle (server restart, idle timeout, 421) and the message never left:
                    // a fresh connection may send it. Once it may have left, only the outbox decides about sending again.
                    await reused.DisposeAsync();
                }
                catch
                {
                    await ReturnAsync(reused);
                    throw;
                }
            }

            var connection = await Connection.OpenAsync(smtp, cancellationToken);
            try
            {
                await connection.SendAsync(message, cancellationToken);
                return true;
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

    /// <summary>
    /// multipart/mixed { multipart/alternative { text/plain, text/html, text/calendar; method=… }, .ics attachment },
    /// each level only when it has more than one part: the form Outlook, Gmail and Apple Mail turn into an invite.
    /// Text is quoted-printable and calendars base64, so the message is 7-bit and the calendar's CRLFs arrive as written.
    /// </summary>
    public MimeMessage BuildMessage(OutboundEmail email)
    {
        var message = new MimeMessage();
        message.From.Add(Mailbox(smtp.FromName, smtp.From));
        message.To.Add(Mailbox(email.ToName, email.ToAddress));
        message.Subject = SingleLine(email.Subject);
        message.Date = clock.GetUtcNow().ToUniversalTime();
        message.MessageId = MessageId(email.IdempotencyKey, smtp.From[(smtp.From.LastIndexOf('@') + 1)..])[1..^1];
        if (email.UnsubscribeUrl is { } url)
        {
            // RFC 8058 one-click unsubscribe.
            message.Headers.Add("List-Unsubscribe", $"<{RequireHeaderSafe(url, "List-Unsubscribe")}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        var alternative = new Multipart("alternative") { Text("plain", email.TextBody) };
        if (email.HtmlBody is { } html)
            alternative.Add(Text("html", html));
        if (email.Ics is not { } ics)
        {
            message.Body = alternative.Count == 1 ? alternative[0] : alternative;
            return message;
        }

        var method = email.IcsMethod ?? "REQUEST";
        var calendar = new TextPart("calendar") { ContentTransferEncoding = ContentEncoding.Base64 };
        calendar.ContentType.Parameters.Add("method", method);
        calendar.SetText(Encoding.UTF8, ics);
        alternative.Add(calendar);

        var fileName = method == "CANCEL" ? "cancel.ics" : "invite.ics";
        var attachment = new MimePart(new ContentType("application", "ics") { Name = fileName })
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(ics))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = fileName },
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        message.Body = new Multipart("mixed") { alternative, attachment };
        return message;
    }

    /// <summary>Stable per idempotency key, so a message sent twice after a crash is recognisably the same message.</summary>
    public static string MessageId(string idempotencyKey, string domain)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
        return $"<{hash[..40]}@{domain}>";
    }

    private static TextPart Text(string subtype, string text)
    {
        var part = new TextPart(subtype) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, text.ReplaceLineEndings("\r\n"));
        return part;
    }

    /// <summary>
    /// An address as SMTP carries it. MimeKit would read "a@b.example, c@d.example" or "a@b.example&gt; …" as more than
    /// the one mailbox meant, so anything beyond a bare address is refused here (non-ASCII is allowed: SMTPUTF8).
    /// </summary>
    private static MailboxAddress Mailbox(string? name, string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1 || address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or '(' or ')' or ',' or ';' or ':' or '\\' or '"' or '[' or ']'))
            throw new FormatException("The address is not a plain email address.");
        return new MailboxAddress(SingleLine(name ?? "").Trim(), address);
    }

    /// <summary>Control characters (CR and LF among them) and Unicode line separators become spaces: no input can start a header.</summary>
    private static string SingleLine(string value) =>
        string.Create(value.Length, value, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsControl(source[i]) || source[i] is '\u2028' or '\u2029' ? ' ' : source[i];
        });

    private static string RequireHeaderSafe(string value, string header) =>
        value.Length > 0 && value.All(c => c is > ' ' and <= '~' and not ('<' or '>'))
            ? value
            : throw new FormatException($"{header} contains characters a header cannot carry.");

    private async Task<Connection?> TakeIdleAsync()
    {
        while (idle.TryPop(out var entry))
        {
            if (entry.Connection.IsUsable && clock.GetElapsedTime(entry.IdleSince) < MaxIdle)
                return entry.Connection;
            await entry.Connection.DisposeAsync();
        }
        return null;
    }

    private async ValueTask ReturnAsync(Connection connection)
    {
        if (connection.IsUsable && !disposed)
            idle.Push((connection, clock.GetTimestamp()));
        else
            await connection.DisposeAsync();
    }

    /// <summary>QUIT on every idle connection; connections in use close when their message is done.</summary>
    public async ValueTask DisposeAsync()
    {
        disposed = true;
        while (idle.TryPop(out var entry))
            await entry.Connection.DisposeAsync();
    }

    /// <summary>One kept-open MailKit client. Not thread-safe: the pool hands it to one sender at a time.</summary>
    private sealed class Connection : SmtpClient, IAsyncDisposable
    {
        private static readonly FormatOptions International = new() { International = true };

        private readonly TimeSpan timeout;
        private bool closedByServer;

        private Connection(TimeSpan timeout)
        {
            this.timeout = timeout;
            Timeout = (int)timeout.TotalMilliseconds;
        }

        /// <summary>False once the connection broke, timed out or the server said 421.</summary>
        public bool IsUsable => IsConnected && !closedByServer;

        /// <summary>
        /// Whether the last send got as far as an accepted recipient, after which only DATA is left. Until then a failure
        /// proves the server did not take the message, so sending it on another connection cannot make a duplicate.
        /// </summary>
        public bool MessageMayHaveLeft { get; private set; }

        public static async Task<Connection> OpenAsync(SmtpOptions options, CancellationToken cancellationToken)
        {
            var connection = new Connection(TimeSpan.FromSeconds(options.TimeoutSeconds));
            try
            {
                await connection.GuardAsync(async ct =>
                {
                    await connection.ConnectAsync(options.Host, options.Port, options.SocketOptions, ct);
                    if (!string.IsNullOrEmpty(options.Username))
                        await connection.AuthenticateAsync(options.Username, options.Password ?? "", ct);
                }, cancellationToken);
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            MessageMayHaveLeft = false;
            var international = message.To.Mailboxes.Any(m => !Ascii.IsValid(m.LocalPart));
            if (international && !Capabilities.HasFlag(SmtpCapabilities.UTF8))
                throw new UndeliverableException("The recipient address is not ASCII and the SMTP server does not offer SMTPUTF8.");
            await GuardAsync(ct => SendAsync(international ? International : FormatOptions.Default, message, ct), cancellationToken);
        }

        protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
            MessageMayHaveLeft = true;
            base.OnRecipientAccepted(message, mailbox, response);
        }

        /// <summary>Runs a step within Smtp:TimeoutSeconds; MailKit drops the connection on anything but a refusal.</summary>
        private async Task GuardAsync(Func<CancellationToken, Task> step, CancellationToken cancellationToken)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await step(limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The SMTP server did not answer within {timeout.TotalSeconds:0} s.");
            }
            catch (SmtpCommandException ex) when (ex.StatusCode == SmtpStatusCode.ServiceNotAvailable)
            {
                // 421: the server is closing this connection; MailKit's RSET after a refusal would keep it otherwise.
                closedByServer = true;
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (IsUsable)
            {
                try
                {
                    using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Min(5, timeout.TotalSeconds)));
                    await DisconnectAsync(quit: true, quit.Token);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or MailKit.ProtocolException or MailKit.CommandException)
                {
                    // The server went first; closing is all that is left.
                }
            }
            Dispose();
        }
    }
}
