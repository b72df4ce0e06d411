using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CustomerExperience.Tests.Journeys;

/// <summary>
/// The reminder job reads due visits, then queues in a transaction of its own (issue 11, stale reminders). A move
/// that lands in between is forced here: a hook runs it when the job opens that transaction.
/// </summary>
public class StaleReminderTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly BetweenReadAndQueue hook = new();
    private AppFactory app = null!;
    private HttpClient client = null!;
    private TestClinic clinic = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(StaleReminderTests)))
        {
            TestServices = services =>
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
                services.ConfigureDbContext<AppDbContext>(options => options.AddInterceptors(hook));
            },
        };
        app.With("RateLimits:PublicWritePerMinute", "1000");
        client = app.CreateClient();
        clinic = await TestClinic.SeedAsync(app.Services);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>Runs an action once, when the next transaction begins (after the job's read, before its queueing).</summary>
    private sealed class BetweenReadAndQueue : DbTransactionInterceptor
    {
        private Func<Task>? armed;
        public bool Ran { get; private set; }

        public void Arm(Func<Task> action) => armed = action;

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
            TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref armed, null) is { } action)
            {
                await action();
                Ran = true;
            }
            return result;
        }
    }

    private async Task<(Guid Id, string Token)> BookAsync(string start, string email)
    {
        var response = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(start, email));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return (body.GetProperty("id").GetGuid(), body.GetProperty("manageUrl").GetString()!.Split('/')[^1]);
    }

    private async Task<int> RunAtAsync(DateTimeOffset instant)
    {
        clock.SetUtcNow(instant);
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppointmentReminders>().QueueDueAsync(default);
    }

    private async Task<List<string>> ReminderKeysAsync(Guid visit)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboundEmails
            .Where(e => e.AppointmentId == visit && e.Kind == "reminder").Select(e => e.IdempotencyKey).ToListAsync();
    }

    private async Task<List<string>> ReminderSubjectsAsync(string email)
    {
        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);
        var messages = await MailDev.WaitForAsync(email, 3); // confirmation, new time, reminder
        return messages.Select(m => m.GetProperty("subject").GetString()!).Where(s => s.StartsWith("Reminder:")).ToList();
    }

    [Fact]
    public async Task A_move_committed_between_the_jobs_read_and_its_queueing_leaves_no_reminder_of_the_old_time()
    {
        var email = MailDev.UniqueAddress("stale-moved");
        var (visit, token) = await BookAsync(TestClinic.At(2026, 12, 3, 9), email); // Thursday 09:00 EST = 14:00Z
        hook.Arm(async () => Assert.Equal(HttpStatusCode.OK,
            (await client.PostAsJsonAsync($"/api/v1/bookings/{token}/reschedule", new { start = TestClinic.At(2026, 12, 4, 10) })).StatusCode));

        Assert.Equal(0, await RunAtAsync(new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero))); // the old time's week reminder
        Assert.True(hook.Ran);
        Assert.Empty(await ReminderKeysAsync(visit));

        Assert.Equal(1, await RunAtAsync(new DateTimeOffset(2026, 11, 27, 15, 0, 0, TimeSpan.Zero))); // the new time's
        Assert.Equal([$"reminder:{visit}:{7 * 24 * 60}:1"], await ReminderKeysAsync(visit));
        var reminder = Assert.Single(await ReminderSubjectsAsync(email));
        Assert.EndsWith("Friday, December 4, 2026 at 10:00 AM", reminder);
    }

    [Fact]
    public async Task A_move_in_progress_while_the_job_queues_is_waited_for_and_its_new_time_wins()
    {
        var email = MailDev.UniqueAddress("stale-moving");
        var (visit, _) = await BookAsync(TestClinic.At(2026, 12, 3, 9), email);
        await using var mover = new NpgsqlConnection(app.ConnectionString);
        await mover.OpenAsync();
        await using var move = await mover.BeginTransactionAsync();
        // A move as BookingService makes it: the row locked and changed, not yet committed, when the job goes on.
        hook.Arm(async () =>
        {
            await using var update = new NpgsqlCommand("""
                SELECT 1 FROM cx.appointments WHERE id = @id FOR UPDATE;
                UPDATE cx.appointments SET start = start + interval '1 day', "end" = "end" + interval '1 day',
                    blocked_until = blocked_until + interval '1 day', calendar_sequence = calendar_sequence + 1
                WHERE id = @id
                """, mover, move);
            update.Parameters.AddWithValue("id", visit);
            await update.ExecuteNonQueryAsync();
        });

        var job = RunAtAsync(new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero));
        await Eventually.TrueAsync(async () => job.IsCompleted || await WaitingForALockAsync(), TimeSpan.FromSeconds(30),
            "the job waits for the move's row lock");
        await move.CommitAsync();

        Assert.Equal(0, await job);
        Assert.True(hook.Ran);
        Assert.Empty(await ReminderKeysAsync(visit));
    }

    private async Task<bool> WaitingForALockAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await query.ExecuteScalarAsync())! > 0;
    }
}
