using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CustomerExperience.Tests.Messaging.Smtp;

/// <summary>The MailKit sender and its kept-open connections against real maildev, and against a scripted server for the replies maildev never gives.</summary>
public class SmtpDeliveryTests
{
    private const string From = "appointments@northside-imaging.example";
    private static readonly DateTimeOffset Always = DateTimeOffset.MaxValue;
    private readonly string domain = $"{Guid.NewGuid():N}.smtp.test";

    private static SmtpOptions Settings(int port, int timeoutSeconds = 10) => new()
    {
        Host = TestSettings.SmtpHost, Port = port, EnableSsl = false, From = From, TimeoutSeconds = timeoutSeconds, MaxParallel = 2,
    };

    private static SmtpEmailSender Sender(SmtpOptions options) => new(Options.Create(options), TimeProvider.System);

    private string To(int n) => $"r{n}@{domain}";

    /// <summary>A message whose text has lines that SMTP would eat without dot-stuffing.</summary>
    private OutboundEmail Message(int n, string? to = null) => new()
    {
        Kind = "test",
        IdempotencyKey = $"test:{domain}:{n}",
        ToAddress = to ?? To(n),
        ToName = $"Recipient {n}",
        Subject = $"Message {n}",
        TextBody = ExpectedText(n),
    };

    private static string ExpectedText(int n) => $"Message {n}\n.starts with a dot\n.\n..two dots";

    [Fact]
    public async Task Many_messages_over_kept_connections_arrive_intact()
    {
        const int count = 300;
        await using var sender = Sender(Settings(TestSettings.SmtpPort));
        for (var n = 0; n < count; n++)
            await sender.SendAsync(Message(n), Always, default);

        var received = await ReceivedAsync(count);
        Assert.Equal(count, received.Count);
        var bySubject = received.ToDictionary(m => m.GetProperty("subject").GetString()!);
        for (var n = 0; n < count; n++)
        {
            var message = bySubject[$"Message {n}"];
            Assert.Equal(To(n), message.GetProperty("to")[0].GetProperty("address").GetString());
            Assert.Equal(ExpectedText(n), message.GetProperty("text").GetString()!.ReplaceLineEndings("\n").TrimEnd('\n'));
        }
        var parsed = await ParseAsync(bySubject["Message 7"]);
        Assert.Equal(SmtpEmailSender.MessageId($"test:{domain}:7", "northside-imaging.example"), $"<{parsed.MessageId}>");
        Assert.Equal(ExpectedText(7), parsed.TextBody!.TrimEnd('\n'));
    }

    [Fact]
    public async Task A_send_that_cannot_start_in_time_returns_false_without_connecting()
    {
        await using var server = new ScriptedSmtpServer();
        await using var sender = Sender(Settings(server.Port));

        Assert.False(await sender.SendAsync(Message(0), startBy: DateTimeOffset.UtcNow.AddSeconds(-1), default));

        Assert.Equal(0, server.Connections);
        Assert.True(await sender.SendAsync(Message(1), Always, default));
        Assert.Equal(1, server.MessagesReceived);
    }

    [Fact]
    public async Task A_non_ascii_address_reaches_a_server_that_offers_SMTPUTF8()
    {
        var to = $"zoë.ångström@{domain}";
        await using var sender = Sender(Settings(TestSettings.SmtpPort));

        await sender.SendAsync(Message(0, to), Always, default);

        var received = Assert.Single(await ReceivedAsync(1));
        Assert.Equal(to, received.GetProperty("envelope").GetProperty("to")[0].GetProperty("address").GetString());
        Assert.Equal(to, Assert.Single((await ParseAsync(received)).To.Mailboxes).Address);
    }

    [Fact]
    public async Task A_non_ascii_address_is_refused_before_anything_is_sent_to_a_server_without_SMTPUTF8()
    {
        await using var server = new ScriptedSmtpServer("PIPELINING\n8BITMIME");
        await using var sender = Sender(Settings(server.Port));

        var error = await Assert.ThrowsAsync<UndeliverableException>(() => sender.SendAsync(Message(0, $"zoë@{domain}"), Always, default));

        Assert.Contains("SMTPUTF8", error.Message);
        Assert.DoesNotContain(server.Lines, l => l.StartsWith("MAIL FROM", StringComparison.Ordinal));
        await sender.SendAsync(Message(1), Always, default); // the connection carries on
        Assert.Equal(1, server.MessagesReceived);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task After_the_server_drops_the_connection_the_pool_reconnects_and_the_next_message_goes_through()
    {
        await using var proxy = new TcpProxy(TestSettings.SmtpHost, TestSettings.SmtpPort);
        proxy.Start();
        await using var sender = Sender(Settings(proxy.Port));

        for (var n = 0; n < 20; n++)
            await sender.SendAsync(Message(n), Always, default);
        await proxy.StopAsync(); // cuts the pooled connection, as a server restart would
        proxy.Start();
        for (var n = 20; n < 40; n++)
            await sender.SendAsync(Message(n), Always, default);

        var received = await ReceivedAsync(40);
        Assert.Equal(Enumerable.Range(0, 40).Select(To).Order(), received.Select(m => m.GetProperty("to")[0].GetProperty("address").GetString()!).Order());
    }

    [Fact]
    public async Task With_EnableSsl_a_server_without_STARTTLS_gets_nothing_in_plain_text()
    {
        await using var server = new ScriptedSmtpServer("PIPELINING\nAUTH PLAIN");
        var options = Settings(server.Port);
        options.EnableSsl = true;
        options.Username = "clinic";
        options.Password = "s3cret";
        await using var sender = Sender(options);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => sender.SendAsync(Message(0), Always, default));

        Assert.Contains("STARTTLS", error.Message);
        Assert.DoesNotContain(server.Lines, l => l.StartsWith("MAIL FROM", StringComparison.Ordinal) || l.StartsWith("AUTH", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SmtpSecurity.StartTls)]
    [InlineData(SmtpSecurity.SslOnConnect)]
    public async Task With_TLS_the_client_refuses_a_certificate_it_does_not_trust(SmtpSecurity security)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pfx), null);
        await using var server = new ScriptedSmtpServer("PIPELINING\nSTARTTLS\nAUTH PLAIN")
        {
            Certificate = certificate,
            ImplicitTls = security == SmtpSecurity.SslOnConnect,
        };
        var options = Settings(server.Port);
        options.Security = security;
        options.Username = "clinic";
        options.Password = "s3cret";
        await using var sender = Sender(options);

        await Assert.ThrowsAsync<SslHandshakeException>(() => sender.SendAsync(Message(0), Always, default));

        if (security == SmtpSecurity.StartTls)
            Assert.Contains("STARTTLS", server.Lines);
        Assert.DoesNotContain(server.Lines, l => l.StartsWith("MAIL FROM", StringComparison.Ordinal) || l.StartsWith("AUTH", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("PIPELINING")]
    [InlineData("")]
    public async Task A_refused_recipient_fails_with_the_server_reply_and_the_connection_carries_on(string extensions)
    {
        await using var server = new ScriptedSmtpServer(extensions)
        {
            Reply = (line, _) => line.StartsWith("RCPT TO:<r1@", StringComparison.Ordinal) ? "550 5.1.1 mailbox unavailable" : null,
        };
        await using var sender = Sender(Settings(server.Port));

        await sender.SendAsync(Message(0), Always, default);
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => sender.SendAsync(Message(1), Always, default));
        await sender.SendAsync(Message(2), Always, default);

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
        Assert.Contains("5.1.1 mailbox unavailable", refused.Message);
        Assert.Contains("RSET", server.Lines);
        Assert.DoesNotContain(server.Lines, l => l.StartsWith("Subject: Message 1", StringComparison.Ordinal));
        Assert.Equal(2, server.MessagesReceived);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task No_line_of_the_data_ends_it_early_and_the_text_arrives_as_written()
    {
        await using var server = new ScriptedSmtpServer();
        await using var sender = Sender(Settings(server.Port));

        await sender.SendAsync(Message(0), Always, default);

        var lines = server.Lines.ToList();
        var data = lines[(lines.IndexOf("DATA") + 1)..lines.LastIndexOf(".")];
        Assert.DoesNotContain(data, l => l.StartsWith('.') && !l.StartsWith("..", StringComparison.Ordinal));
        var unstuffed = string.Join("\r\n", data.Select(l => l.StartsWith('.') ? l[1..] : l));
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(unstuffed)));
        Assert.Equal(ExpectedText(0), message.TextBody!.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("AUTH PLAIN LOGIN", "AUTH PLAIN AGNsaW5pYwBzM2NyZXQ=")]
    [InlineData("AUTH LOGIN", "AUTH LOGIN")]
    public async Task Credentials_are_sent_with_AUTH_PLAIN_or_else_LOGIN_before_the_first_message(string advertised, string expected)
    {
        await using var server = new ScriptedSmtpServer($"PIPELINING\n{advertised}");
        var options = Settings(server.Port);
        options.Username = "clinic";
        options.Password = "s3cret";
        await using var sender = Sender(options);

        await sender.SendAsync(Message(0), Always, default);
        await sender.SendAsync(Message(1), Always, default);

        var lines = server.Lines.ToList();
        var auth = lines.IndexOf(expected);
        Assert.True(auth > 0, $"expected '{expected}' in: {string.Join(" | ", lines)}");
        Assert.True(auth < lines.FindIndex(l => l.StartsWith("MAIL FROM", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.StartsWith("AUTH", StringComparison.Ordinal)); // once per connection, not per message
        if (expected == "AUTH LOGIN")
            Assert.Equal(["Y2xpbmlj", "czNjcmV0"], lines[(auth + 1)..(auth + 3)]);
        Assert.Equal(2, server.MessagesReceived);
    }

    [Fact]
    public async Task A_421_on_a_kept_connection_makes_the_pool_send_on_a_new_one()
    {
        await using var server = new ScriptedSmtpServer();
        // The first connection takes one message, then the server closes it as it would when shutting down.
        server.Reply = (line, connection) => connection == 1 && line.StartsWith("MAIL FROM", StringComparison.Ordinal) && server.MessagesReceived == 1
            ? "421 4.3.2 shutting down" : null;
        await using var sender = Sender(Settings(server.Port));

        await sender.SendAsync(Message(0), Always, default);
        await sender.SendAsync(Message(1), Always, default);

        Assert.Equal(2, server.MessagesReceived);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_421_without_pipelining_also_makes_the_pool_send_on_a_new_one()
    {
        await using var server = new ScriptedSmtpServer("");
        server.Reply = (line, connection) => connection == 1 && line.StartsWith("MAIL FROM", StringComparison.Ordinal) && server.MessagesReceived == 1
            ? "421 4.3.2 shutting down" : null;
        await using var sender = Sender(Settings(server.Port));

        await sender.SendAsync(Message(0), Always, default);
        await sender.SendAsync(Message(1), Always, default);
        await sender.SendAsync(Message(2), Always, default);

        Assert.Equal(3, server.MessagesReceived);
        Assert.Equal(2, server.Connections);
    }

    [Theory]
    [InlineData(ScriptedSmtpServer.Drop)]
    [InlineData("421 4.3.2 shutting down")]
    public async Task A_kept_connection_lost_after_the_message_went_out_is_not_sent_again_by_the_pool(string reply)
    {
        await using var server = new ScriptedSmtpServer();
        server.Reply = (line, _) => line == "end of data" && server.MessagesReceived == 2 ? reply : null;
        await using var sender = Sender(Settings(server.Port));

        await sender.SendAsync(Message(0), Always, default);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(Message(1), Always, default));
        await sender.SendAsync(Message(2), Always, default);

        Assert.True(error is SmtpProtocolException or SmtpCommandException or IOException, error.ToString());
        // Whether the server kept it is unknown: only the outbox may decide to send it again, later.
        Assert.Equal(1, server.Lines.Count(l => l == "Subject: Message 1"));
        Assert.Equal(3, server.MessagesReceived);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_server_that_stops_answering_times_out_after_TimeoutSeconds_and_its_connection_is_dropped()
    {
        await using var server = new ScriptedSmtpServer();
        server.Reply = (line, connection) => connection == 1 && line.StartsWith("MAIL FROM", StringComparison.Ordinal) ? ScriptedSmtpServer.Silence : null;
        await using var sender = Sender(Settings(server.Port, timeoutSeconds: 1));

        var started = TimeProvider.System.GetTimestamp();
        await Assert.ThrowsAsync<TimeoutException>(() => sender.SendAsync(Message(0), Always, default).WaitAsync(TimeSpan.FromSeconds(20)));
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        await sender.SendAsync(Message(1), Always, default);

        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Equal(2, server.Connections);
        Assert.Equal(1, server.MessagesReceived);
    }

    [Fact]
    public async Task A_server_that_never_greets_times_out_too()
    {
        await using var server = new ScriptedSmtpServer { Reply = (line, _) => line == "greeting" ? ScriptedSmtpServer.Silence : null };
        await using var sender = Sender(Settings(server.Port, timeoutSeconds: 1));

        await Assert.ThrowsAsync<TimeoutException>(() => sender.SendAsync(Message(0), Always, default).WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Cancelling_a_send_drops_its_connection_rather_than_leaving_it_half_way_through()
    {
        await using var server = new ScriptedSmtpServer();
        server.Reply = (line, connection) => connection == 1 && line.StartsWith("MAIL FROM", StringComparison.Ordinal) ? ScriptedSmtpServer.Silence : null;
        await using var sender = Sender(Settings(server.Port));
        using var cancel = new CancellationTokenSource();

        var sending = sender.SendAsync(Message(0), Always, cancel.Token);
        await Eventually.TrueAsync(() => Task.FromResult(server.Lines.Any(l => l.StartsWith("MAIL FROM", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(10), "MAIL FROM at the server");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        await sender.SendAsync(Message(1), Always, default);
        Assert.Equal(2, server.Connections);
    }

    private async Task<IReadOnlyList<JsonElement>> ReceivedAsync(int count)
    {
        IReadOnlyList<JsonElement> received = [];
        await Eventually.TrueAsync(async () => (received = await MailDev.MessagesToEndingWithAsync("@" + domain)).Count >= count,
            TimeSpan.FromSeconds(30), $"{count} messages in maildev");
        return received;
    }

    private static async Task<MimeMessage> ParseAsync(JsonElement message) =>
        await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(await MailDev.SourceAsync(message))));
}
