using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace CustomerExperience.Web.Messaging.Smtp;

/// <summary>The server answered a command with an error. 4xx is transient, 5xx permanent; either way the outbox retries the row later.</summary>
public sealed class SmtpReplyException(string command, SmtpReply reply)
    : Exception($"{command} got {reply.Code} {string.Join(" ", reply.Lines)}".Trim())
{
    public SmtpReply Reply { get; } = reply;
}

public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 400;
}

/// <summary>
/// One kept-open SMTP session (RFC 5321): EHLO, STARTTLS (RFC 3207) when asked for, AUTH PLAIN or LOGIN (RFC 4954)
/// when credentials are set, then any number of MAIL/RCPT/DATA transactions, pipelined (RFC 2920) when the server
/// offers it. A failed transaction is reset with RSET so the session stays usable; after a broken connection, a
/// timeout or a 421 it is not, and <see cref="IsUsable"/> says so. Not thread-safe: one transaction at a time.
/// </summary>
public sealed class SmtpConnection : IAsyncDisposable
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] EndOfData = ".\r\n"u8.ToArray();

    private readonly TcpClient tcp;
    private readonly TimeSpan timeout;
    private Stream stream = Stream.Null;
    private readonly byte[] readBuffer = new byte[8192];
    private int readStart, readEnd;
    private HashSet<string> extensions = new(StringComparer.OrdinalIgnoreCase);
    private HashSet<string> authMechanisms = new(StringComparer.OrdinalIgnoreCase);

    private SmtpConnection(TcpClient tcp, TimeSpan timeout)
    {
        this.tcp = tcp;
        this.timeout = timeout;
    }

    /// <summary>False once the connection broke, timed out or the server said 421; such a connection is only good for disposing.</summary>
    public bool IsUsable { get; private set; } = true;

    /// <summary>How many messages the server accepted on this connection.</summary>
    public int Delivered { get; private set; }

    public bool Pipelining => extensions.Contains("PIPELINING");

    /// <summary>
    /// Whether the last <see cref="SendAsync"/> got as far as sending the message itself. Until then a failure proves the
    /// server did not take it, so sending it again elsewhere cannot make a duplicate.
    /// </summary>
    public bool MessageMayHaveLeft { get; private set; }

    public static async Task<SmtpConnection> OpenAsync(SmtpOptions options, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true }; // each command waits for its reply: Nagle would only add delay
        var connection = new SmtpConnection(tcp, TimeSpan.FromSeconds(options.TimeoutSeconds));
        try
        {
            await connection.GuardAsync(async ct =>
            {
                await tcp.ConnectAsync(options.Host, options.Port, ct);
                connection.stream = tcp.GetStream();
                await connection.ExpectAsync("greeting", 220, ct);
                await connection.HelloAsync(ct);
                if (options.EnableSsl)
                    await connection.StartTlsAsync(options.Host, ct);
                if (!string.IsNullOrEmpty(options.Username))
                    await connection.AuthenticateAsync(options.Username, options.Password ?? "", ct);
            }, cancellationToken);
            return connection;
        }
        catch
        {
            connection.IsUsable = false;
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends one message. Returns once the server accepted it (250 after the final dot). Throws
    /// <see cref="SmtpReplyException"/> for a refusal (the session is reset and stays usable), or an I/O, timeout or
    /// cancellation exception (the session is not usable any more). <paramref name="message"/> is CRLF text, not yet dot-stuffed.
    /// </summary>
    public async Task SendAsync(string from, string to, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (!IsUsable)
            throw new InvalidOperationException("This SMTP connection is closed.");
        MessageMayHaveLeft = false;
        await GuardAsync(async ct =>
        {
            var mailFrom = $"MAIL FROM:<{MimeWriter.RequireAddress(from)}>";
            var rcptTo = $"RCPT TO:<{MimeWriter.RequireAddress(to)}>";
            if (Pipelining)
            {
                // One write, three replies: the server answers them in order (RFC 2920).
                await WriteAsync($"{mailFrom}\r\n{rcptTo}\r\nDATA\r\n", ct);
                var mail = await ReadReplyAsync(ct);
                var rcpt = await ReadReplyAsync(ct);
                var data = await ReadReplyAsync(ct);
                if (data.Code == 354 && !(mail.IsPositive && rcpt.IsPositive))
                {
                    // The server began DATA although the envelope was refused: end it empty, then give up.
                    await WriteAsync(".\r\n", ct);
                    await ReadReplyAsync(ct);
                }
                await RequireAsync(mailFrom, mail, 250, ct);
                await RequireAsync(rcptTo, rcpt, 250, ct);
                await RequireAsync("DATA", data, 354, ct);
            }
            else
            {
                await CommandAsync(mailFrom, 250, ct);
                await CommandAsync(rcptTo, 250, ct);
                await CommandAsync("DATA", 354, ct);
            }
            MessageMayHaveLeft = true;
            await WriteDataAsync(message, ct);
            await RequireAsync("end of data", await ReadReplyAsync(ct), 250, ct);
            Delivered++;
        }, cancellationToken);
    }

    /// <summary>Says QUIT when the session is still healthy, then closes the socket. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (IsUsable)
        {
            IsUsable = false;
            try
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Min(5, timeout.TotalSeconds)));
                await WriteAsync("QUIT\r\n", quit.Token);
                await ReadReplyAsync(quit.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server went first; closing is all that is left.
            }
        }
        await stream.DisposeAsync();
        tcp.Dispose();
    }

    /// <summary>Runs a step with the configured timeout; any failure other than a refusal leaves the connection unusable.</summary>
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
            IsUsable = false;
            throw new TimeoutException($"The SMTP server did not answer within {timeout.TotalSeconds:0} s.");
        }
        catch (SmtpReplyException ex) when (ex.Reply.Code != 421 && IsUsable)
        {
            throw;
        }
        catch
        {
            IsUsable = false;
            throw;
        }
    }

    private async Task HelloAsync(CancellationToken ct)
    {
        await WriteAsync($"EHLO {ClientName}\r\n", ct);
        var reply = await ReadReplyAsync(ct);
        if (reply.Code != 250)
            throw new SmtpReplyException("EHLO", reply);
        extensions = new HashSet<string>(reply.Lines.Skip(1).Select(l => l.Split(' ')[0]), StringComparer.OrdinalIgnoreCase);
        authMechanisms = reply.Lines.Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length > 1 && words[0].Equals("AUTH", StringComparison.OrdinalIgnoreCase))
            .SelectMany(words => words.Skip(1))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private async Task StartTlsAsync(string host, CancellationToken ct)
    {
        if (!extensions.Contains("STARTTLS"))
            throw new IOException("Smtp:EnableSsl is on but the server does not offer STARTTLS; nothing was sent in plain text.");
        await CommandAsync("STARTTLS", 220, ct);
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, ct);
        stream = tls;
        readStart = readEnd = 0; // anything that came before the handshake is not to be trusted (RFC 3207 section 6)
        await HelloAsync(ct); // RFC 3207: forget what was learned before TLS
    }

    private async Task AuthenticateAsync(string username, string password, CancellationToken ct)
    {
        if (authMechanisms.Contains("PLAIN"))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{username}\0{password}"));
            await CommandAsync($"AUTH PLAIN {token}", 235, ct, "AUTH PLAIN");
        }
        else if (authMechanisms.Contains("LOGIN"))
        {
            await CommandAsync("AUTH LOGIN", 334, ct);
            await CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(username)), 334, ct, "AUTH LOGIN username");
            await CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), 235, ct, "AUTH LOGIN password");
        }
        else
        {
            throw new IOException("Smtp:Username is set but the server offers neither AUTH PLAIN nor AUTH LOGIN.");
        }
    }

    private async Task CommandAsync(string command, int expected, CancellationToken ct, string? shownAs = null)
    {
        await WriteAsync(command + "\r\n", ct);
        await RequireAsync(shownAs ?? command, await ReadReplyAsync(ct), expected, ct);
    }

    /// <summary>Throws for an unexpected reply, after resetting the transaction so the next message can use this session.</summary>
    private async Task RequireAsync(string command, SmtpReply reply, int expected, CancellationToken ct)
    {
        if (reply.Code == expected || (expected == 250 && reply.Code == 251))
            return;
        if (reply.Code == 421)
            IsUsable = false;
        else
        {
            await WriteAsync("RSET\r\n", ct);
            if ((await ReadReplyAsync(ct)).Code != 250)
                IsUsable = false;
        }
        throw new SmtpReplyException(command, reply);
    }

    private async Task ExpectAsync(string what, int expected, CancellationToken ct)
    {
        var reply = await ReadReplyAsync(ct);
        if (reply.Code != expected)
            throw new SmtpReplyException(what, reply);
    }

    private async Task WriteAsync(string text, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), ct);
        await stream.FlushAsync(ct);
    }

    /// <summary>The message with every line that starts with "." doubled (RFC 5321 4.5.2), then CRLF.CRLF.</summary>
    private async Task WriteDataAsync(ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        var output = ArrayPool<byte>.Shared.Rent(message.Length + LinesStartingWithDot(message.Span) + 2 + EndOfData.Length);
        try
        {
            var length = DotStuff(message.Span, output);
            if (length < 2 || output[length - 2] != '\r' || output[length - 1] != '\n')
            {
                Crlf.CopyTo(output, length);
                length += 2;
            }
            EndOfData.CopyTo(output, length);
            await stream.WriteAsync(output.AsMemory(0, length + EndOfData.Length), ct);
            await stream.FlushAsync(ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private static int LinesStartingWithDot(ReadOnlySpan<byte> message)
    {
        var count = message.Length > 0 && message[0] == '.' ? 1 : 0;
        for (var i = message.IndexOf("\n."u8); i >= 0; i = message.IndexOf("\n."u8))
        {
            count++;
            message = message[(i + 2)..];
        }
        return count;
    }

    /// <summary>Copies <paramref name="message"/> into <paramref name="output"/>, doubling a "." at the start of any line; returns the length.</summary>
    public static int DotStuff(ReadOnlySpan<byte> message, Span<byte> output)
    {
        var written = 0;
        var lineStart = true;
        foreach (var b in message)
        {
            if (lineStart && b == '.')
                output[written++] = (byte)'.';
            output[written++] = b;
            lineStart = b == '\n';
        }
        return written;
    }

    private async Task<SmtpReply> ReadReplyAsync(CancellationToken ct)
    {
        var lines = new List<string>(1);
        while (true)
        {
            var line = await ReadLineAsync(ct);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code) || (line.Length > 3 && line[3] is not (' ' or '-')))
                throw new IOException($"The SMTP server sent something that is not a reply: {line[..Math.Min(line.Length, 100)]}");
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
                return new SmtpReply(code, lines);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var newline = Array.IndexOf(readBuffer, (byte)'\n', readStart, readEnd - readStart);
            if (newline >= 0)
            {
                var end = newline > readStart && readBuffer[newline - 1] == '\r' ? newline - 1 : newline;
                var line = Encoding.ASCII.GetString(readBuffer, readStart, end - readStart);
                readStart = newline + 1;
                return line;
            }
            if (readStart > 0)
            {
                Buffer.BlockCopy(readBuffer, readStart, readBuffer, 0, readEnd - readStart);
                readEnd -= readStart;
                readStart = 0;
            }
            if (readEnd == readBuffer.Length)
                throw new IOException("The SMTP server sent a reply line longer than 8 KB.");
            var read = await stream.ReadAsync(readBuffer.AsMemory(readEnd), ct);
            if (read == 0)
                throw new IOException("The SMTP server closed the connection.");
            readEnd += read;
        }
    }

    private static readonly string ClientName = HelloName();

    /// <summary>The host name for EHLO, or an address literal when the name is not a valid domain.</summary>
    private static string HelloName()
    {
        var name = System.Net.Dns.GetHostName();
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? name : "[127.0.0.1]";
    }
}
