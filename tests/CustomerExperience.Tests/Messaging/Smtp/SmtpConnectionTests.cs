using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Messaging.Smtp;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Tests.Messaging.Smtp;

/// <summary>Our SMTP client against real maildev, and against a scripted server for the replies maildev never gives.</summary>
public class SmtpConnectionTests
{
    private const string From = "appointments@northside-imaging.example";
    private readonly string domain = $"{Guid.NewGuid():N}.smtp.test";

    private static SmtpOptions Settings(int port, int timeoutSeconds = 10) => new()
    {
        Host = TestSettings.SmtpHost, Port = port, EnableSsl = false, From = From, TimeoutSeconds = timeoutSeconds, MaxParallel = 2,
    };

    private string To(int n) => $"r{n}@{domain}";

    /// <summary>A message whose text has lines that SMTP would eat without dot-stuffing.</summary>
    private byte[] Message(int n) => MimeWriter.Write(new MimeMessage(
        new Mailbox(From, "Northside Imaging"), new Mailbox(To(n), $"Recipient {n}"), $"Message {n}", $"<{n}@{domain}>",
        DateTimeOffset.UtcNow, $"Message {n}\n.starts with a dot\n.\n..two dots"));

    private static string ExpectedText(int n) => $"Message {n}\n.starts with a dot\n.\n..two dots";

    [Fact]
    public async Task Many_messages_over_one_connection_arrive_intact()
    {
        const int count = 300;
        await using var connection = await SmtpConnection.OpenAsync(Settings(TestSettings.SmtpPort), default);
        for (var n = 0; n < count; n++)
            await connection.SendAsync(From, To(n), Message(n), default);

        Assert.Equal(count, connection.Delivered);
        Assert.True(connection.IsUsable);
        IReadOnlyList<System.Text.Json.JsonElement> received = [];
        await Eventually.TrueAsync(async () => (received = await MailDev.MessagesToEndingWithAsync("@" + domain)).Count >= count,
            TimeSpan.FromSeconds(30), $"{count} messages in maildev");
        Assert.Equal(count, received.Count);
        var bySubject = received.ToDictionary(m => m.GetProperty("subject").GetString()!);
        for (var n = 0; n < count; n++)
        {
            var message = bySubject[$"Message {n}"];
            Assert.Equal(To(n), message.GetProperty("to")[0].GetProperty("address").GetString());
            Assert.Equal(ExpectedText(n), message.GetProperty("text").GetString()!.ReplaceLineEndings("\n").TrimEnd('\n'));
        }
    }

    [Fact]
    public async Task After_the_server_drops_the_connection_the_pool_reconnects_and_the_next_message_goes_through()
    {
        await using var proxy = new TcpProxy(TestSettings.SmtpHost, TestSettings.SmtpPort);
        proxy.Start();
        await using var pool = new SmtpConnectionPool(Options.Create(Settings(proxy.Port)), TimeProvider.System);

        for (var n = 0; n < 20; n++)
            await pool.SendAsync(From, To(n), Message(n), default);
        await proxy.StopAsync(); // cuts the pooled connection, as a server restart would
        proxy.Start();
        for (var n = 20; n < 40; n++)
            await pool.SendAsync(From, To(n), Message(n), default);

        IReadOnlyList<System.Text.Json.JsonElement> received = [];
        await Eventually.TrueAsync(async () => (received = await MailDev.MessagesToEndingWithAsync("@" + domain)).Count >= 40,
            TimeSpan.FromSeconds(30), "40 messages in maildev");
        Assert.Equal(Enumerable.Range(0, 40).Select(To).Order(), received.Select(m => m.GetProperty("to")[0].GetProperty("address").GetString()!).Order());
    }

    [Fact]
    public async Task With_EnableSsl_a_server_without_STARTTLS_gets_nothing_in_plain_text()
    {
        var options = Settings(TestSettings.SmtpPort);
        options.EnableSsl = true;

        var error = await Assert.ThrowsAsync<IOException>(() => SmtpConnection.OpenAsync(options, default));

        Assert.Contains("STARTTLS", error.Message);
    }

    [Fact]
    public async Task With_EnableSsl_the_client_starts_TLS_and_refuses_a_certificate_it_does_not_trust()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pfx), null);
        await using var server = new ScriptedSmtpServer("PIPELINING\nSTARTTLS") { Certificate = certificate };
        var options = Settings(server.Port);
        options.EnableSsl = true;

        await Assert.ThrowsAsync<AuthenticationException>(() => SmtpConnection.OpenAsync(options, default));

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
        await using var connection = await SmtpConnection.OpenAsync(Settings(server.Port), default);

        await connection.SendAsync(From, To(0), Message(0), default);
        var refused = await Assert.ThrowsAsync<SmtpReplyException>(() => connection.SendAsync(From, To(1), Message(1), default));
        await connection.SendAsync(From, To(2), Message(2), default);

        Assert.Equal(extensions == "PIPELINING", connection.Pipelining);
        Assert.Equal(550, refused.Reply.Code);
        Assert.Contains("550 5.1.1 mailbox unavailable", refused.Message);
        Assert.Contains("RSET", server.Lines);
        Assert.DoesNotContain(server.Lines, l => l.StartsWith("Subject: Message 1", StringComparison.Ordinal));
        Assert.Equal(2, connection.Delivered);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_line_starting_with_a_dot_is_doubled_on_the_wire()
    {
        await using var server = new ScriptedSmtpServer();
        await using var connection = await SmtpConnection.OpenAsync(Settings(server.Port), default);

        await connection.SendAsync(From, To(0), "Subject: dots\r\n\r\n.hidden\r\n.\r\nplain.\r\n"u8.ToArray(), default);

        var lines = server.Lines.ToList();
        var data = lines[(lines.IndexOf("DATA") + 1)..(lines.LastIndexOf(".") + 1)];
        Assert.Equal(["Subject: dots", "", "..hidden", "..", "plain.", "."], data);
    }

    [Theory]
    [InlineData("AUTH PLAIN LOGIN", "AUTH PLAIN AGNsaW5pYwBzM2NyZXQ=")]
    [InlineData("AUTH LOGIN", "AUTH LOGIN")]
    public async Task Credentials_are_sent_with_AUTH_PLAIN_or_else_LOGIN(string advertised, string expected)
    {
        await using var server = new ScriptedSmtpServer($"PIPELINING\n{advertised}");
        var options = Settings(server.Port);
        options.Username = "clinic";
        options.Password = "s3cret";

        await using var connection = await SmtpConnection.OpenAsync(options, default);
        await connection.SendAsync(From, To(0), Message(0), default);

        var lines = server.Lines.ToList();
        var auth = lines.IndexOf(expected);
        Assert.True(auth > 0, $"expected '{expected}' in: {string.Join(" | ", lines)}");
        Assert.True(auth < lines.FindIndex(l => l.StartsWith("MAIL FROM", StringComparison.Ordinal)));
        if (expected == "AUTH LOGIN")
            Assert.Equal(["Y2xpbmlj", "czNjcmV0"], lines[(auth + 1)..(auth + 3)]);
    }

    [Fact]
    public async Task A_421_on_a_kept_connection_makes_the_pool_send_on_a_new_one()
    {
        await using var server = new ScriptedSmtpServer();
        // The first connection takes one message, then the server closes it as it would when shutting down.
        server.Reply = (line, connection) => connection == 1 && line.StartsWith("MAIL FROM", StringComparison.Ordinal) && server.MessagesReceived == 1
            ? "421 4.3.2 shutting down" : null;
        await using var pool = new SmtpConnectionPool(Options.Create(Settings(server.Port)), TimeProvider.System);

        await pool.SendAsync(From, To(0), Message(0), default);
        await pool.SendAsync(From, To(1), Message(1), default);

        Assert.Equal(2, server.MessagesReceived);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_kept_connection_lost_after_the_message_went_out_is_not_sent_again_by_the_pool()
    {
        await using var server = new ScriptedSmtpServer();
        server.Reply = (line, _) => line == "end of data" && server.MessagesReceived == 2 ? ScriptedSmtpServer.Drop : null;
        await using var pool = new SmtpConnectionPool(Options.Create(Settings(server.Port)), TimeProvider.System);

        await pool.SendAsync(From, To(0), Message(0), default);
        await Assert.ThrowsAsync<IOException>(() => pool.SendAsync(From, To(1), Message(1), default));

        // Whether the server kept it is unknown: only the outbox may decide to send it again, later.
        Assert.Equal(2, server.MessagesReceived);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_server_that_stops_answering_times_out_after_TimeoutSeconds()
    {
        await using var server = new ScriptedSmtpServer
        {
            Reply = (line, _) => line.StartsWith("MAIL FROM", StringComparison.Ordinal) ? ScriptedSmtpServer.Silence : null,
        };
        await using var connection = await SmtpConnection.OpenAsync(Settings(server.Port, timeoutSeconds: 1), default);

        var started = TimeProvider.System.GetTimestamp();
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            connection.SendAsync(From, To(0), Message(0), default).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Contains("within 1 s", timeout.Message);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.False(connection.IsUsable);
    }

    [Fact]
    public async Task Cancelling_a_send_leaves_the_connection_unusable_rather_than_half_way_through()
    {
        await using var server = new ScriptedSmtpServer
        {
            Reply = (line, _) => line.StartsWith("MAIL FROM", StringComparison.Ordinal) ? ScriptedSmtpServer.Silence : null,
        };
        await using var connection = await SmtpConnection.OpenAsync(Settings(server.Port), default);
        using var cancel = new CancellationTokenSource();

        var sending = connection.SendAsync(From, To(0), Message(0), cancel.Token);
        await Eventually.TrueAsync(() => Task.FromResult(server.Lines.Any(l => l.StartsWith("MAIL FROM", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(10), "MAIL FROM at the server");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.False(connection.IsUsable);
    }
}
