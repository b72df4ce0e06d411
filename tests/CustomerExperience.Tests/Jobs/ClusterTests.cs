using CustomerExperience.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace CustomerExperience.Tests.Jobs;

public class ClusterTests : IAsyncLifetime
{
    private string connectionString = "";

    public async Task InitializeAsync()
    {
        connectionString = await TestDatabases.CreateAsync(nameof(ClusterTests));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "CREATE TABLE firings (scheduled_at timestamptz NOT NULL, instance_id text NOT NULL)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_app_instances_on_one_database_run_each_firing_once()
    {
        const int repeats = 20;
        await using var first = new AppFactory(connectionString).With("App:RunJobs", "true");
        await using var second = new AppFactory(connectionString).With("App:RunJobs", "true");
        _ = first.Server;
        _ = second.Server;
        var schedulerA = await first.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var schedulerB = await second.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.NotEqual(schedulerA.SchedulerInstanceId, schedulerB.SchedulerInstanceId);

        var job = JobBuilder.Create<RecordFiringJob>()
            .WithIdentity("record-firing", "test")
            .UsingJobData("connectionString", connectionString)
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity("record-firing", "test")
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMilliseconds(250)).WithRepeatCount(repeats - 1))
            .Build();
        await schedulerA.ScheduleJob(job, trigger);

        await Eventually.TrueAsync(async () => await CountAsync("SELECT count(*) FROM firings") >= repeats,
            TimeSpan.FromSeconds(60), $"{repeats} firings");
        await Eventually.TrueAsync(async () => !await schedulerA.Exists(trigger.Key), TimeSpan.FromSeconds(10), "the trigger to complete");

        Assert.Equal(repeats, await CountAsync("SELECT count(*) FROM firings"));
        Assert.Equal(repeats, await CountAsync("SELECT count(DISTINCT scheduled_at) FROM firings"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

public class RecordFiringJob : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(context.MergedJobDataMap.GetString("connectionString"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("INSERT INTO firings VALUES ($1, $2)", connection);
        command.Parameters.AddWithValue(context.ScheduledFireTimeUtc!.Value);
        command.Parameters.AddWithValue(context.Scheduler.SchedulerInstanceId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
