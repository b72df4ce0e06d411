using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Messaging;

/// <summary>Two app hosts delivering one outbox at once, as two nodes' delivery jobs would.</summary>
public class TwoDeliveryWorkersTests
{
    [Fact]
    public async Task Two_workers_on_one_outbox_send_every_message_once_and_leave_every_row_sent()
    {
        const int count = 300;
        var connectionString = await TestDatabases.CreateAsync(nameof(TwoDeliveryWorkersTests));
        var domain = $"{Guid.NewGuid():N}.workers.test";
        // Small batches and few connections each, so the two keep claiming next to each other.
        await using var first = new AppFactory(connectionString).With("Outbox:BatchSize", "10").With("Smtp:MaxParallel", "4");
        await using var second = new AppFactory(connectionString).With("Outbox:BatchSize", "10").With("Smtp:MaxParallel", "4");
        await using (var scope = first.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var n = 0; n < count; n++)
                await outbox.EnqueueAsync(new EmailMessage("test", $"workers:{domain}:{n}", $"r{n}@{domain}", null, $"Message {n}", "Hello."), default);
            await transaction.CommitAsync();
        }
        var dispatchers = new[] { first, second }.Select(app => app.Services.GetRequiredService<OutboxDispatcher>()).ToList();

        // Two deliveries per host as well: a job run and a fire-and-forget delivery may overlap on one node (two loops
        // may run there at once; see the test below for a third).
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => dispatchers[i % 2].DeliverDueAsync(TimeSpan.FromMinutes(2), default))));

        Assert.Equal(count, results.Sum(r => r.Sent));
        Assert.All(results, r => Assert.Equal(0, r.Retried + r.Dead));
        Assert.True(results.Count(r => r.Sent > 0) >= 2, $"sent per delivery: {string.Join(", ", results.Select(r => r.Sent))}");
        IReadOnlyList<System.Text.Json.JsonElement> received = [];
        await Eventually.TrueAsync(async () => (received = await MailDev.MessagesToEndingWithAsync("@" + domain)).Count >= count,
            TimeSpan.FromSeconds(60), $"{count} messages in maildev");
        var perRecipient = received.GroupBy(m => m.GetProperty("to")[0].GetProperty("address").GetString()).ToList();
        Assert.Equal(count, perRecipient.Count);
        Assert.All(perRecipient, g => Assert.Single(g));
        await using var check = TestDatabases.Context(connectionString);
        var rows = await check.OutboundEmails.AsNoTracking().Where(e => e.ToAddress.EndsWith("@" + domain)).ToListAsync();
        Assert.Equal(count, rows.Count);
        Assert.All(rows, row => Assert.Equal((OutboundEmailStatus.Sent, 1), (row.Status, row.Attempts)));
        Assert.All(rows, row => Assert.Null(row.LeaseUntil));
    }

    [Fact]
    public async Task A_delivery_asked_for_while_two_loops_run_on_the_node_returns_at_once_and_its_mail_still_goes()
    {
        var connectionString = await TestDatabases.CreateAsync(nameof(TwoDeliveryWorkersTests) + "_third");
        var domain = $"{Guid.NewGuid():N}.loops.test";
        using var release = new ManualResetEventSlim();
        await using var server = new ScriptedSmtpServer
        {
            // The first message is held at its end of data, so the first loop stays busy with it.
            Reply = (command, _) => { if (command == "end of data" && Interlocked.Increment(ref heldOnce) == 1) release.Wait(TimeSpan.FromMinutes(1)); return null; },
        };
        // One row per claim and one connection: the first loop holds the connection, the second waits for it with its row.
        await using var app = new AppFactory(connectionString).With("Outbox:BatchSize", "1").With("Smtp:MaxParallel", "1")
            .With("Smtp:Host", "127.0.0.1").With("Smtp:Port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        await QueueAsync(app, domain, 0, 2);

        var first = Task.Run(() => dispatcher.DeliverDueAsync(TimeSpan.FromMinutes(2), default));
        await Eventually.TrueAsync(() => Task.FromResult(server.MessagesReceived == 1), TimeSpan.FromSeconds(30), "the first message held by the server");
        var second = Task.Run(() => dispatcher.DeliverDueAsync(TimeSpan.FromMinutes(2), default));
        await Eventually.TrueAsync(async () => await CountAsync(connectionString, domain, OutboundEmailStatus.Sending) == 2,
            TimeSpan.FromSeconds(30), "the second loop holding the second message");

        await QueueAsync(app, domain, 2, 1);
        var third = await dispatcher.DeliverDueAsync(TimeSpan.FromMinutes(2), default);
        Assert.Equal(0, third.Claimed);
        Assert.False(release.IsSet);

        release.Set();
        var results = await Task.WhenAll(first, second);
        Assert.Equal(3, results.Sum(r => r.Sent));
        Assert.Equal(3, await CountAsync(connectionString, domain, OutboundEmailStatus.Sent));
        Assert.Equal(3, server.MessagesReceived);
    }

    private int heldOnce;

    private static async Task QueueAsync(AppFactory app, string domain, int from, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        for (var n = from; n < from + count; n++)
            await outbox.EnqueueAsync(new EmailMessage("test", $"loops:{domain}:{n}", $"r{n}@{domain}", null, $"Message {n}", "Hello."), default);
        await transaction.CommitAsync();
    }

    private static async Task<int> CountAsync(string connectionString, string domain, OutboundEmailStatus status)
    {
        await using var db = TestDatabases.Context(connectionString);
        return await db.OutboundEmails.CountAsync(e => e.ToAddress.EndsWith("@" + domain) && e.Status == status);
    }
}
