using System.Text;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Npgsql;

namespace CustomerExperience.Tests.Messaging;

public class OutboxDeliveryTests : IAsyncLifetime
{
    private const string Ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270102T140000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2027, 1, 4, 15, 0, 0, TimeSpan.Zero));
    private readonly TcpProxy smtp = new(TestSettings.SmtpHost, TestSettings.SmtpPort);
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestDatabases.CreateAsync(nameof(OutboxDeliveryTests));
        smtp.Start();
        app = new AppFactory(connectionString)
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        app.With("Smtp:Port", smtp.Port.ToString());
        _ = app.Server;
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await smtp.DisposeAsync();
    }

    [Fact]
    public async Task A_message_queued_in_a_rolled_back_transaction_is_never_sent()
    {
        var to = MailDev.UniqueAddress("rollback");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.True(await scope.ServiceProvider.GetRequiredService<Outbox>().EnqueueAsync(Message(to), default));
            await transaction.RollbackAsync();
        }

        var result = await Dispatcher.DeliverBatchAsync(default);

        Assert.Equal(0, result.Claimed);
        Assert.Equal(0, await CountAsync(to));
        Assert.Empty(await MailDev.MessagesToAsync(to));
    }

    [Fact]
    public async Task A_committed_message_arrives_once_with_text_html_and_calendar_parts()
    {
        var to = MailDev.UniqueAddress("committed");
        var message = Message(to) with { Ics = Ics, IcsMethod = "REQUEST" };
        await EnqueueCommittedAsync(message);
        await EnqueueCommittedAsync(message);

        var first = await Dispatcher.DeliverBatchAsync(default);
        var second = await Dispatcher.DeliverBatchAsync(default);

        Assert.Equal(1, first.Sent);
        Assert.Equal(0, second.Claimed);
        var delivered = Assert.Single(await MailDev.WaitForAsync(to));
        Assert.Equal("Your visit on Tuesday — confirmed", delivered.GetProperty("subject").GetString());
        var parsed = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(await MailDev.SourceAsync(delivered))));
        Assert.Equal(SmtpEmailSender.MessageId(message.IdempotencyKey, "northside-imaging.example"), $"<{parsed.MessageId}>");
        var recipient = Assert.Single(parsed.To.Mailboxes);
        Assert.Equal(("Ada Lovelace", to), (recipient.Name, recipient.Address));
        var mixed = Assert.IsType<Multipart>(parsed.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html", "text/calendar"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Equal("Plain text: see you Tuesday.", parsed.TextBody!.TrimEnd('\r', '\n'));
        Assert.Equal("<p>HTML: see you <strong>Tuesday</strong>.</p>", parsed.HtmlBody!.TrimEnd('\r', '\n'));
        var calendar = (TextPart)alternative[2];
        Assert.Equal("REQUEST", calendar.ContentType.Parameters["method"]);
        Assert.Equal(Ics, Decoded(calendar));
        var attachment = Assert.IsType<MimePart>(mixed[1]);
        Assert.Equal(("application/ics", "invite.ics"), (attachment.ContentType.MimeType, attachment.FileName));
        Assert.Equal(Ics, Decoded(attachment));
        Assert.Equal(OutboundEmailStatus.Sent, (await RowAsync(to)).Status);
    }

    [Fact]
    public async Task Unsubscribe_headers_are_added_for_marketing_like_messages()
    {
        var to = MailDev.UniqueAddress("unsubscribe");
        await EnqueueCommittedAsync(Message(to) with { UnsubscribeUrl = "https://clinic.example/unsubscribe/abc" });

        await Dispatcher.DeliverBatchAsync(default);

        var source = await MailDev.SourceAsync(Assert.Single(await MailDev.WaitForAsync(to)));
        Assert.Contains("List-Unsubscribe: <https://clinic.example/unsubscribe/abc>", source);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", source);
    }

    [Fact]
    public async Task While_smtp_is_down_messages_are_retried_with_backoff_and_delivered_when_it_returns()
    {
        var to = MailDev.UniqueAddress("smtpdown");
        var start = clock.GetUtcNow();
        await EnqueueCommittedAsync(Message(to));
        await smtp.StopAsync();

        var firstTry = await Dispatcher.DeliverBatchAsync(default);
        var afterFirst = await RowAsync(to);
        clock.Advance(TimeSpan.FromSeconds(29));
        var tooEarly = await Dispatcher.DeliverBatchAsync(default);
        clock.Advance(TimeSpan.FromSeconds(1));
        var secondTry = await Dispatcher.DeliverBatchAsync(default);
        var afterSecond = await RowAsync(to);
        smtp.Start();
        clock.Advance(TimeSpan.FromSeconds(60));
        var thirdTry = await Dispatcher.DeliverBatchAsync(default);

        Assert.Equal(1, firstTry.Retried);
        Assert.Equal(start.AddSeconds(30), afterFirst.NextAttemptAt);
        Assert.NotNull(afterFirst.LastError);
        Assert.Equal(0, tooEarly.Claimed);
        Assert.Equal(1, secondTry.Retried);
        // Exponential: 30 s after the first failure, then 60 s after the second.
        Assert.Equal(start.AddSeconds(90), afterSecond.NextAttemptAt);
        Assert.Equal(1, thirdTry.Sent);
        Assert.Single(await MailDev.WaitForAsync(to));
        var delivered = await RowAsync(to);
        Assert.Equal(OutboundEmailStatus.Sent, delivered.Status);
        Assert.Equal(3, delivered.Attempts);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_marked_dead_after_the_last_attempt()
    {
        var to = MailDev.UniqueAddress("dead");
        await EnqueueCommittedAsync(Message(to));
        await smtp.StopAsync();

        for (var attempt = 0; attempt < 8; attempt++)
        {
            await Dispatcher.DeliverBatchAsync(default);
            clock.Advance(TimeSpan.FromHours(3));
        }

        var row = await RowAsync(to);
        Assert.Equal(OutboundEmailStatus.Dead, row.Status);
        Assert.Equal(8, row.Attempts);
        Assert.DoesNotContain(to, row.LastError);
        smtp.Start();
    }

    [Theory]
    [InlineData("550 5.1.1", "mailbox unavailable")]
    [InlineData("553 5.1.3", "bad address syntax")]
    public async Task A_permanent_refusal_goes_dead_after_one_attempt_with_its_reply_as_last_error(string code, string text)
    {
        var to = MailDev.UniqueAddress("refused");
        await using var server = new ScriptedSmtpServer
        {
            Reply = (line, _) => line.StartsWith("RCPT TO:", StringComparison.Ordinal) ? $"{code} {line[8..]}: {text}" : null,
        };
        await using var refusing = AppOn(server.Port);
        await EnqueueCommittedAsync(Message(to));

        var result = await refusing.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);
        clock.Advance(TimeSpan.FromHours(3));
        var later = await refusing.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);

        Assert.Equal(1, result.Dead);
        Assert.Equal(0, later.Claimed);
        var row = await RowAsync(to);
        Assert.Equal(OutboundEmailStatus.Dead, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Equal($"SMTP {code[..3]} {code[4..]} <<recipient>>: {text}", row.LastError);
        Assert.DoesNotContain(to, row.LastError);
    }

    [Fact]
    public async Task A_transient_refusal_is_retried_with_backoff()
    {
        var to = MailDev.UniqueAddress("greylisted");
        await using var server = new ScriptedSmtpServer
        {
            Reply = (line, _) => line.StartsWith("RCPT TO:", StringComparison.Ordinal) ? "451 4.7.1 greylisted, try again later" : null,
        };
        await using var refusing = AppOn(server.Port);
        await EnqueueCommittedAsync(Message(to));

        var result = await refusing.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);

        Assert.Equal(1, result.Retried);
        var row = await RowAsync(to);
        Assert.Equal(OutboundEmailStatus.Pending, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(clock.GetUtcNow().AddSeconds(30), row.NextAttemptAt);
        Assert.Equal("SMTP 451 4.7.1 greylisted, try again later", row.LastError);
    }

    [Fact]
    public async Task A_refused_sender_address_is_retried_rather_than_killing_every_message()
    {
        var to = MailDev.UniqueAddress("badsender");
        await using var server = new ScriptedSmtpServer
        {
            Reply = (line, _) => line.StartsWith("MAIL FROM:", StringComparison.Ordinal) ? "553 5.7.1 sender address rejected" : null,
        };
        await using var refusing = AppOn(server.Port);
        await EnqueueCommittedAsync(Message(to));

        var result = await refusing.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);

        Assert.Equal(1, result.Retried);
        Assert.Equal(OutboundEmailStatus.Pending, (await RowAsync(to)).Status);
    }

    [Theory]
    [InlineData("451 4.3.0 try again later")]
    [InlineData("554 5.7.1 rejected")]
    [InlineData("250 2.0.0 queued")]
    public async Task A_late_worker_whose_lease_ran_out_cannot_overwrite_what_the_next_worker_recorded(string lateReply)
    {
        var to = MailDev.UniqueAddress("late");
        using var dataReceived = new SemaphoreSlim(0);
        using var answer = new SemaphoreSlim(0);
        await using var slow = new ScriptedSmtpServer
        {
            Reply = (line, _) =>
            {
                if (line != "end of data") return null;
                dataReceived.Release();
                answer.Wait(TimeSpan.FromSeconds(30));
                return lateReply;
            },
        };
        await using var late = AppOn(slow.Port);
        await EnqueueCommittedAsync(Message(to));

        var lateDelivery = late.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);
        Assert.True(await dataReceived.WaitAsync(TimeSpan.FromSeconds(30)), "the late worker's message reached its server");
        clock.Advance(TimeSpan.FromMinutes(3)); // its lease runs out while it waits for the reply
        var next = await Dispatcher.DeliverBatchAsync(default);
        var sentAt = (await RowAsync(to)).SentAt;
        clock.Advance(TimeSpan.FromSeconds(5));
        answer.Release();
        await lateDelivery;

        Assert.Equal(1, next.Sent);
        var row = await RowAsync(to);
        Assert.Equal(OutboundEmailStatus.Sent, row.Status);
        Assert.Equal(2, row.Attempts);
        Assert.Equal(sentAt, row.SentAt);
        Assert.Null(row.LastError);
        Assert.Null(row.LeaseUntil);
        Assert.Single(await MailDev.WaitForAsync(to));
    }

    [Fact]
    public async Task A_send_that_could_outlast_the_lease_is_not_started_and_its_row_is_given_back_unspent()
    {
        // Each message takes a minute of the clock; the lease is 2 minutes and one send may take 3 × 10 s.
        await using var server = new ScriptedSmtpServer
        {
            Reply = (line, _) =>
            {
                if (line == "end of data") clock.Advance(TimeSpan.FromMinutes(1));
                return null;
            },
        };
        await using var slow = AppOn(server.Port);
        slow.With("Smtp:MaxParallel", "1").With("Smtp:TimeoutSeconds", "10");
        var addresses = Enumerable.Range(0, 4).Select(_ => MailDev.UniqueAddress("leasecover")).ToList();
        foreach (var to in addresses)
            await EnqueueCommittedAsync(Message(to));
        var dispatcher = slow.Services.GetRequiredService<OutboxDispatcher>();

        var first = await dispatcher.DeliverBatchAsync(default);
        var givenBack = await RowsAsync(addresses, OutboundEmailStatus.Pending);
        var second = await dispatcher.DeliverBatchAsync(default);

        Assert.Equal((2, 2), (first.Sent, first.Deferred));
        Assert.Equal(2, givenBack.Count);
        Assert.All(givenBack, row => Assert.Equal(0, row.Attempts));
        Assert.All(givenBack, row => Assert.Null(row.LeaseUntil));
        Assert.Equal(2, second.Sent);
        Assert.Equal(4, server.MessagesReceived);
        Assert.All(await RowsAsync(addresses, OutboundEmailStatus.Sent), row => Assert.Equal(1, row.Attempts));
    }

    [Fact]
    public void A_lease_shorter_than_the_longest_send_is_refused_at_start_up()
    {
        using var bad = new AppFactory(app.ConnectionString).With("Outbox:Lease", "00:01:00").With("Smtp:TimeoutSeconds", "30");

        var error = Assert.ThrowsAny<Exception>(() => bad.Services.GetRequiredService<OutboxDispatcher>());

        Assert.Contains("Outbox:Lease must be longer than three times Smtp:TimeoutSeconds", error.ToString());
    }

    [Fact]
    public async Task When_recording_Sent_fails_sending_stops_and_the_rows_stay_leased()
    {
        const int count = 40;
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString);
        await using var postgres = new TcpProxy(database.Host!, database.Port);
        postgres.Start();
        await using var server = new ScriptedSmtpServer
        {
            // The database goes away the moment the first message is accepted.
            Reply = (line, _) =>
            {
                if (line == "end of data") postgres.StopAsync().GetAwaiter().GetResult();
                return null;
            },
        };
        await using var cut = new AppFactory(new NpgsqlConnectionStringBuilder(app.ConnectionString) { Port = postgres.Port }.ConnectionString)
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        cut.With("Smtp:Port", server.Port.ToString()).With("Smtp:MaxParallel", "2");
        _ = cut.Server;
        var addresses = Enumerable.Range(0, count).Select(_ => MailDev.UniqueAddress("markfails")).ToList();
        foreach (var to in addresses)
            await EnqueueCommittedAsync(Message(to));

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => cut.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default));

        // Without the stop, all 40 would go out and, unrecorded, go out again after the lease.
        Assert.InRange(server.MessagesReceived, 1, 4);
        await using var db = TestDatabases.Context(app.ConnectionString);
        Assert.Equal(count, await db.OutboundEmails.CountAsync(e => addresses.Contains(e.ToAddress) && e.Status == OutboundEmailStatus.Sending));
    }

    [Fact]
    public async Task A_row_left_sending_by_a_dead_process_is_sent_after_its_lease_expires()
    {
        var to = MailDev.UniqueAddress("lease");
        await EnqueueCommittedAsync(Message(to));
        await using (var db = TestDatabases.Context(app.ConnectionString))
        {
            // What a process that died between claiming and sending leaves behind.
            await db.OutboundEmails.Where(e => e.ToAddress == to).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, OutboundEmailStatus.Sending)
                .SetProperty(e => e.Attempts, 1)
                .SetProperty(e => e.LeaseUntil, clock.GetUtcNow().AddMinutes(2)));
        }

        var whileLeased = await Dispatcher.DeliverBatchAsync(default);
        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var afterLease = await Dispatcher.DeliverBatchAsync(default);

        Assert.Equal(0, whileLeased.Claimed);
        Assert.Equal(1, afterLease.Sent);
        Assert.Single(await MailDev.WaitForAsync(to));
    }

    private static string Decoded(MimePart part)
    {
        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private AppFactory AppOn(int smtpPort) => new AppFactory(app.ConnectionString)
    {
        TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
    }.With("Smtp:Port", smtpPort.ToString());

    private async Task<List<OutboundEmail>> RowsAsync(List<string> addresses, OutboundEmailStatus status)
    {
        await using var db = TestDatabases.Context(app.ConnectionString);
        return await db.OutboundEmails.AsNoTracking().Where(e => addresses.Contains(e.ToAddress) && e.Status == status).ToListAsync();
    }

    private OutboxDispatcher Dispatcher => app.Services.GetRequiredService<OutboxDispatcher>();

    private static EmailMessage Message(string to) => new(
        "test", $"test:{to}", to, "Ada Lovelace", "Your visit on Tuesday — confirmed",
        "Plain text: see you Tuesday.", "<p>HTML: see you <strong>Tuesday</strong>.</p>");

    private async Task EnqueueCommittedAsync(EmailMessage message)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await scope.ServiceProvider.GetRequiredService<Outbox>().EnqueueAsync(message, default);
        await transaction.CommitAsync();
    }

    private async Task<OutboundEmail> RowAsync(string to)
    {
        await using var db = TestDatabases.Context(app.ConnectionString);
        return await db.OutboundEmails.AsNoTracking().SingleAsync(e => e.ToAddress == to);
    }

    private async Task<int> CountAsync(string to)
    {
        await using var db = TestDatabases.Context(app.ConnectionString);
        return await db.OutboundEmails.CountAsync(e => e.ToAddress == to);
    }
}
