using CustomerExperience.Tests.Infrastructure;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerExperience.Tests.Jobs;

/// <summary>Two app instances, each with its own Hangfire server, on one database.</summary>
public class HangfireClusterTests : IAsyncLifetime
{
    private string connectionString = "";

    public async Task InitializeAsync()
    {
        connectionString = await TestDatabases.CreateAsync(nameof(HangfireClusterTests));
        await ExecuteAsync("""
            CREATE TABLE runs (job_id text NOT NULL, server_id text NOT NULL, created_at timestamptz NOT NULL, event text NOT NULL)
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private AppFactory Node() => new AppFactory(connectionString)
        .With("App:RunJobs", "true")
        .With("Jobs:SchedulePollingInterval", "00:00:01")
        .With("Jobs:QueuePollInterval", "00:00:01");

    [Fact]
    public async Task A_recurring_job_fires_once_per_occurrence_across_two_servers()
    {
        const int occurrences = 8;
        await using var first = Node();
        await using var second = Node();
        _ = first.Server;
        _ = second.Server;
        var storage = first.Services.GetRequiredService<JobStorage>();
        await Eventually.TrueAsync(() => Task.FromResult(storage.GetMonitoringApi().Servers().Count == 2),
            TimeSpan.FromSeconds(20), "both servers to report in");

        var recurring = first.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<RecordRunJob>("record-run", j => j.RunAsync(connectionString, null!), "* * * * * *");
        await Eventually.TrueAsync(async () => await ScalarAsync("SELECT count(*) FROM runs") >= occurrences,
            TimeSpan.FromSeconds(60), $"{occurrences} firings");
        recurring.RemoveIfExists("record-run");

        var runs = await ScalarAsync("SELECT count(*) FROM runs");
        Assert.Equal(runs, await ScalarAsync("SELECT count(DISTINCT job_id) FROM runs"));
        // Occurrences are a second apart: two jobs created in the same second would be one occurrence fired twice.
        Assert.Equal(runs, await ScalarAsync("SELECT count(DISTINCT date_trunc('second', created_at)) FROM runs"));
    }

    [Fact]
    public async Task A_server_stopped_mid_job_hands_the_job_to_the_other_server()
    {
        var first = Node();
        _ = first.Server;
        var jobId = first.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<HoldUntilStoppedJob>(j => j.RunAsync(connectionString, null!, CancellationToken.None));
        await Eventually.TrueAsync(async () => await ScalarAsync("SELECT count(*) FROM runs WHERE event = 'started'") == 1,
            TimeSpan.FromSeconds(20), "the job to start on the first server");

        await using var second = Node();
        _ = second.Server;
        await first.DisposeAsync();

        await Eventually.TrueAsync(async () => await ScalarAsync("SELECT count(*) FROM runs WHERE event = 'finished'") == 1,
            TimeSpan.FromSeconds(60), "the second server to finish the job");
        Assert.Equal(2, await ScalarAsync($"SELECT count(DISTINCT server_id) FROM runs WHERE job_id = '{jobId}'"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM runs WHERE event = 'finished'"));
        var storage = second.Services.GetRequiredService<JobStorage>();
        await Eventually.TrueAsync(() => Task.FromResult(storage.GetMonitoringApi().JobDetails(jobId).History[0].StateName == "Succeeded"),
            TimeSpan.FromSeconds(10), "the job to be recorded as succeeded");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    internal static async Task RecordAsync(string connectionString, PerformContext context, string what)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("INSERT INTO runs VALUES ($1, $2, $3, $4)", connection);
        command.Parameters.AddWithValue(context.BackgroundJob.Id);
        command.Parameters.AddWithValue(context.ServerId);
        command.Parameters.AddWithValue(DateTime.SpecifyKind(context.BackgroundJob.CreatedAt, DateTimeKind.Utc));
        command.Parameters.AddWithValue(what);
        await command.ExecuteNonQueryAsync();
    }
}

public class RecordRunJob
{
    public Task RunAsync(string connectionString, PerformContext context) =>
        HangfireClusterTests.RecordAsync(connectionString, context, "ran");
}

/// <summary>Runs until its server shuts down the first time; finishes at once when run again.</summary>
public class HoldUntilStoppedJob
{
    public async Task RunAsync(string connectionString, PerformContext context, CancellationToken cancellationToken)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM runs WHERE event = 'started'", connection);
            if ((long)(await command.ExecuteScalarAsync(CancellationToken.None))! > 0)
            {
                await HangfireClusterTests.RecordAsync(connectionString, context, "finished");
                return;
            }
        }
        await HangfireClusterTests.RecordAsync(connectionString, context, "started");
        var stopped = new TaskCompletionSource();
        await using (cancellationToken.Register(() => stopped.SetResult()))
            await stopped.Task;
        cancellationToken.ThrowIfCancellationRequested();
    }
}
