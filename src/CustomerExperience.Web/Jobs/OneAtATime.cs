using Npgsql;

namespace CustomerExperience.Web.Jobs;

/// <summary>
/// One run of a job at a time across every node: a Postgres session advisory lock held for the run. A run that finds
/// the lock taken returns at once (the run in progress does the work). A node that dies drops its connection, and
/// with it the lock.
/// </summary>
public sealed partial class OneAtATime(NpgsqlDataSource dataSource, ILogger<OneAtATime> logger)
{
    // The two-key form keeps these locks apart from the single-key advisory locks taken elsewhere.
    private const int LockClass = 7301;

    /// <summary>Returns whether <paramref name="work"/> ran.</summary>
    public async Task<bool> RunAsync(string name, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await LockAsync(connection, "SELECT pg_try_advisory_lock($1, hashtext($2))", name, cancellationToken))
        {
            LogSkipped(logger, name);
            return false;
        }
        try
        {
            await work(cancellationToken);
            return true;
        }
        finally
        {
            // A pooled connection outlives this run: release explicitly, also when the work failed or was cancelled.
            await LockAsync(connection, "SELECT pg_advisory_unlock($1, hashtext($2))", name, CancellationToken.None);
        }
    }

    private static async Task<bool> LockAsync(NpgsqlConnection connection, string sql, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(LockClass);
        command.Parameters.AddWithValue(name);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Job} is still running elsewhere; this firing does nothing")]
    private static partial void LogSkipped(ILogger logger, string job);
}
