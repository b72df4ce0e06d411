using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>
/// A loopback SMTP server for what maildev cannot show: refusals, AUTH, 421, silence, and the exact bytes on the wire.
/// It accepts everything unless <see cref="Reply"/> answers a command otherwise, and records every line it reads.
/// Real delivery is tested against maildev; this one is for the protocol's unhappy paths.
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> clients = [];

    public ScriptedSmtpServer(string extensions = "PIPELINING")
    {
        Extensions = extensions;
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>When set, STARTTLS upgrades the connection with this certificate (add STARTTLS to <see cref="Extensions"/>).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>With <see cref="Certificate"/>: TLS from the first byte (port 465 style) instead of STARTTLS.</summary>
    public bool ImplicitTls { get; init; }

    /// <summary>EHLO keywords, one per line (e.g. "AUTH PLAIN LOGIN").</summary>
    public string Extensions { get; set; }

    /// <summary>What <see cref="Reply"/> returns to say nothing at all and wait for the client.</summary>
    public const string Silence = "";

    /// <summary>What <see cref="Reply"/> returns to close the connection without a reply.</summary>
    public const string Drop = "(drop)";

    /// <summary>
    /// Given a command line (or "greeting", or "end of data") and the connection's number (from 1), the reply to send
    /// instead of the usual one; null for the usual one.
    /// </summary>
    public Func<string, int, string?> Reply { get; set; } = (_, _) => null;

    /// <summary>Every line read, commands and message data, in order; message data lines as received (dot-stuffed).</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    public int Connections => connections;
    public int MessagesReceived => received;

    private int connections, received;

    /// <summary>Cuts every open connection without a word, as a crashed server or a broken network would.</summary>
    public void DropConnections()
    {
        lock (clients)
        {
            foreach (var client in clients) client.Dispose();
            clients.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            lock (clients) clients.Add(client);
            _ = ServeAsync(client, Interlocked.Increment(ref connections));
        }
    }

    private async Task ServeAsync(TcpClient client, int number)
    {
        try
        {
            using var _ = client;
            Stream stream = client.GetStream();
            if (ImplicitTls && Certificate is not null)
            {
                var implicitTls = new SslStream(stream);
                await implicitTls.AuthenticateAsServerAsync(Certificate);
                stream = implicitTls;
            }
            var reader = new StreamReader(stream, Encoding.Latin1);
            async Task SendAsync(string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n"), stop.Token);

            async Task<bool> AnswerAsync(string? custom, string usual)
            {
                if (custom == Drop) return false;
                if (custom != Silence) await SendAsync(custom ?? usual);
                return !(custom ?? usual).StartsWith("421", StringComparison.Ordinal);
            }

            if (!await AnswerAsync(Reply("greeting", number), "220 scripted.test ESMTP")) return;
            var inData = false;
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                Lines.Enqueue(line);
                if (inData)
                {
                    if (line != ".") continue;
                    inData = false;
                    Interlocked.Increment(ref received);
                    if (!await AnswerAsync(Reply("end of data", number), "250 2.0.0 queued")) return;
                    continue;
                }
                if (Reply(line, number) is { } custom)
                {
                    if (!await AnswerAsync(custom, "")) return;
                    continue;
                }
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        var keywords = Extensions.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                        await SendAsync(keywords.Length == 0 ? "250 scripted.test" : "250-scripted.test");
                        for (var i = 0; i < keywords.Length; i++)
                            await SendAsync($"250{(i == keywords.Length - 1 ? ' ' : '-')}{keywords[i]}");
                        break;
                    case "DATA": inData = true; await SendAsync("354 go ahead"); break;
                    case "STARTTLS" when Certificate is not null:
                        await SendAsync("220 go ahead");
                        var tls = new SslStream(stream);
                        await tls.AuthenticateAsServerAsync(Certificate);
                        (stream, reader) = (tls, new StreamReader(tls, Encoding.Latin1));
                        break;
                    case "AUTH" when line.StartsWith("AUTH LOGIN", StringComparison.OrdinalIgnoreCase):
                        await SendAsync("334 VXNlcm5hbWU6");
                        Lines.Enqueue(await reader.ReadLineAsync(stop.Token) ?? "");
                        await SendAsync("334 UGFzc3dvcmQ6");
                        Lines.Enqueue(await reader.ReadLineAsync(stop.Token) ?? "");
                        await SendAsync("235 2.7.0 authenticated");
                        break;
                    case "AUTH": await SendAsync("235 2.7.0 authenticated"); break;
                    case "QUIT": await SendAsync("221 bye"); return;
                    default: await SendAsync("250 ok"); break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or AuthenticationException)
        {
            // The client or the test ended the conversation.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        DropConnections();
    }
}
