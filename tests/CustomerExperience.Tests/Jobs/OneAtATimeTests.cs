using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CustomerExperience.Tests.Jobs;

/// <summary>The journeys' guard: one run at a time across nodes; a firing that finds a run going ends at once.</summary>
public class OneAtATimeTests : IAsyncLifetime
{
    private NpgsqlDataSource first = null!, second = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestDatabases.CreateAsync(nameof(OneAtATimeTests));
        // Two data sources, as two nodes would have.
        first = NpgsqlDataSource.Create(connectionString);
        second = NpgsqlDataSource.Create(connectionString);
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task A_second_run_while_the_first_is_going_does_nothing_and_returns_at_once_then_the_next_one_runs()
    {
        var nodeA = new OneAtATime(first, NullLogger<OneAtATime>.Instance);
        var nodeB = new OneAtATime(second, NullLogger<OneAtATime>.Instance);
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var running = nodeA.RunAsync("job", async _ => { started.SetResult(); await release.Task; }, default);
        await started.Task;

        var secondRan = false;
        Assert.False(await nodeB.RunAsync("job", _ => { secondRan = true; return Task.CompletedTask; }, default));
        Assert.False(secondRan);
        // Another job's name is not held up.
        Assert.True(await nodeB.RunAsync("other-job", _ => Task.CompletedTask, default));

        release.SetResult();
        Assert.True(await running);
        Assert.True(await nodeB.RunAsync("job", _ => { secondRan = true; return Task.CompletedTask; }, default));
        Assert.True(secondRan);
    }

    [Fact]
    public async Task A_run_that_fails_releases_the_lock()
    {
        var guard = new OneAtATime(first, NullLogger<OneAtATime>.Instance);
        await Assert.ThrowsAsync<InvalidOperationException>(() => guard.RunAsync("failing", _ => throw new InvalidOperationException("boom"), default));

        Assert.True(await new OneAtATime(second, NullLogger<OneAtATime>.Instance).RunAsync("failing", _ => Task.CompletedTask, default));
    }
}
