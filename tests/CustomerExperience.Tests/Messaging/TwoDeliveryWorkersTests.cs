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

        // Two deliveries per host as well: a job run and a fire-and-forget delivery may overlap on one node.
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
}
