using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Jobs;
using CustomerExperience.Web.Messaging;
using Hangfire;
using Hangfire.PostgreSql;
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
        const int wanted = 8;
        await using var first = Node();
        await using var second = Node();
        _ = first.Server;
        _ = second.Server;
        var storage = first.Services.GetRequiredService<JobStorage>();
        await Eventually.TrueAsync(() => Task.FromResult(storage.GetMonitoringApi().Servers().Count == 2),
            TimeSpan.FromSeconds(20), "both servers to report in");

        var recurring = first.Services.GetRequiredService<IRecurringJobManager>();
        var registered = DateTime.UtcNow;
        recurring.AddOrUpdate<RecordRunJob>("record-run", j => j.RunAsync(connectionString, null!), "* * * * * *");
        await Eventually.TrueAsync(async () => await ScalarAsync("SELECT count(*) FROM runs") >= wanted,
            TimeSpan.FromSeconds(60), $"{wanted} firings");
        recurring.RemoveIfExists("record-run");

        var runs = await ScalarAsync("SELECT count(*) FROM runs");
        Assert.Equal(runs, await ScalarAsync("SELECT count(DISTINCT job_id) FROM runs"));
        // The cron fires on every whole second: between registering and the last job created there were only so many
        // occurrences. Each fired by both servers would make about twice as many jobs.
        var lastCreated = await ScalarAsync($"SELECT floor(extract(epoch FROM max(created_at)))::bigint FROM runs");
        // (+1: Hangfire counts the whole second in which the job was registered as its first occurrence.)
        var occurrences = lastCreated - (long)Math.Floor((registered - DateTime.UnixEpoch).TotalSeconds) + 1;
        Assert.InRange(runs, 1, occurrences);
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

    [Fact]
    public async Task A_server_killed_mid_job_loses_nothing_the_other_server_takes_the_job_over()
    {
        // An SMTP server that accepts and never greets: the first node's delivery job hangs in the middle of its work.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;
        var email = MailDev.UniqueAddress("killed");
        await QueueEmailAsync(email);

        using var first = StartAppProcess(new()
        {
            ["Smtp__Port"] = silentPort.ToString(),
            // Long enough to be killed mid-wait; a send must fit three timeouts into the lease.
            ["Smtp__TimeoutSeconds"] = "3",
            ["Outbox__Lease"] = "00:00:10",
        });
        var options = new PostgreSqlStorageOptions { SchemaName = JobsSetup.Schema, PrepareSchemaIfNecessary = false };
        var storage = new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, options, null), options);
        await Eventually.TrueAsync(() => Task.FromResult(storage.GetMonitoringApi().Servers().Count == 1),
            TimeSpan.FromSeconds(60), "the first node's job server to start");
        var jobId = new BackgroundJobClient(storage).Enqueue<DeliverOutboxJob>(j => j.RunAsync(CancellationToken.None));
        // The connection waits in the listener's backlog for a greeting that never comes.
        await Eventually.TrueAsync(() => Task.FromResult(storage.GetMonitoringApi().JobDetails(jobId).History[0].StateName == "Processing"),
            TimeSpan.FromSeconds(30), "the first node to start the delivery job");

        first.Process.Kill(entireProcessTree: true);
        await first.Process.WaitForExitAsync();
        silent.Stop();

        await using var second = Node()
            .With("Jobs:InvisibilityTimeout", "00:00:05")
            // The sweep sends the row once the killed node's lease on it has run out.
            .With("Jobs:OutboxSweep", "* * * * * *");
        _ = second.Server;

        await Eventually.TrueAsync(() => Task.FromResult(storage.GetMonitoringApi().JobDetails(jobId).History[0].StateName == "Succeeded"),
            TimeSpan.FromSeconds(60), "the second node to run the killed node's job to the end");
        var processedBy = storage.GetMonitoringApi().JobDetails(jobId).History
            .Where(h => h.StateName == "Processing").Select(h => h.Data["ServerId"]).Distinct().ToList();
        Assert.Equal(2, processedBy.Count);
        var mail = await MailDev.WaitForAsync(email);
        Assert.Single(mail);
    }

    /// <summary>A process that does not outlive the test, whatever the test's outcome.</summary>
    private sealed record AppProcess(Process Process) : IDisposable
    {
        public void Dispose()
        {
            if (!Process.HasExited)
                Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }

    /// <summary>The real app in a process of its own (so it can be killed), jobs on, on this test's database.</summary>
    private AppProcess StartAppProcess(Dictionary<string, string> settings)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "CustomerExperience.Web.dll");
        var start = new ProcessStartInfo("dotnet", [app, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ConnectionStrings__Default"] = connectionString,
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__EnableSsl"] = "false",
            ["Smtp__From"] = "appointments@northside-imaging.example",
            ["App__PublicBaseUrl"] = "http://127.0.0.1:5080",
            ["App__RunJobs"] = "true",
            ["Jobs__OutboxSweep"] = "0 0 0 1 1 *",
            ["Jobs__QueuePollInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings)
            environment[key] = value;
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AppProcess(process);
    }

    private async Task QueueEmailAsync(string email)
    {
        await using var db = TestDatabases.Context(connectionString);
        await using var transaction = await db.Database.BeginTransactionAsync();
        await new Outbox(db, new OutboxCommitHook(null!), TimeProvider.System)
            .EnqueueAsync(new EmailMessage("test", $"killed:{email}", email, null, "Killed mid-job", "Body"), default);
        await transaction.CommitAsync();
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
