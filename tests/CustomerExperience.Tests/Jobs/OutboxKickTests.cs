using System.Net.Http.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Jobs;
using CustomerExperience.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerExperience.Tests.Jobs;

/// <summary>A commit that queued mail asks for a delivery job at once; a rollback, or a commit without mail, does not.</summary>
public class OutboxKickTests : IAsyncLifetime
{
    private string connectionString = "";

    public async Task InitializeAsync() => connectionString = await TestDatabases.CreateAsync(nameof(OutboxKickTests));

    public Task DisposeAsync() => Task.CompletedTask;

    private (AppDbContext Db, Outbox Outbox, OutboxKick Kick) Unstarted()
    {
        // Never started, so it never enqueues (no job client needed): a signal stays visible instead of becoming a job.
        var kick = new OutboxKick(null!, NullLogger<OutboxKick>.Instance);
        var hook = new OutboxCommitHook(kick);
        var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>()
            .UseNpgsql(connectionString, DatabaseSetup.ConfigureNpgsql)
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(hook)
            .Options);
        return (db, new Outbox(db, hook, TimeProvider.System), kick);
    }

    private static EmailMessage Message() =>
        new("test", $"kick:{Guid.NewGuid()}", MailDev.UniqueAddress("kick"), null, "Subject", "Body");

    [Fact]
    public async Task A_rolled_back_transaction_asks_for_no_delivery()
    {
        var (db, outbox, kick) = Unstarted();
        await using (db)
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.True(await outbox.EnqueueAsync(Message(), default));
            await transaction.RollbackAsync();
        }
        Assert.False(kick.Signalled);
    }

    [Fact]
    public async Task A_commit_without_mail_asks_for_no_delivery_and_one_with_mail_does()
    {
        var (db, outbox, kick) = Unstarted();
        await using (db)
        {
            await using (var quiet = await db.Database.BeginTransactionAsync())
            {
                await db.Database.ExecuteSqlRawAsync("SELECT 1");
                await quiet.CommitAsync();
            }
            Assert.False(kick.Signalled);

            var message = Message();
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                Assert.True(await outbox.EnqueueAsync(message, default));
                Assert.False(kick.Signalled); // not before the commit
                await transaction.CommitAsync();
            }
            Assert.True(kick.Signalled);
        }
    }

    [Fact]
    public async Task A_repeated_idempotency_key_asks_for_no_delivery()
    {
        var message = Message();
        foreach (var expected in new[] { true, false })
        {
            var (db, outbox, kick) = Unstarted();
            await using (db)
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                Assert.Equal(expected, await outbox.EnqueueAsync(message, default));
                await transaction.CommitAsync();
            }
            Assert.Equal(expected, kick.Signalled);
        }
    }

    [Fact]
    public async Task A_booking_confirmation_reaches_the_smtp_server_without_waiting_for_a_sweep()
    {
        await using var app = new AppFactory(connectionString)
            .With("App:RunJobs", "true")
            // The sweep fires once a year: only the job enqueued by the booking's commit can send the mail.
            .With("Jobs:OutboxSweep", "0 0 0 1 1 *")
            .With("RateLimits:PublicWritePerMinute", "1000");
        var clinic = await TestClinic.SeedAsync(app.Services);
        var client = app.CreateClient();
        var email = MailDev.UniqueAddress("instant");
        var start = TestClinic.At(DateTime.UtcNow.Year + 1, 3, 2, 10);

        var response = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(start, email));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);

        var mail = Assert.Single(await MailDev.WaitForAsync(email, timeout: TimeSpan.FromSeconds(10)));
        Assert.StartsWith("Booked:", mail.GetProperty("subject").GetString());
    }
}
