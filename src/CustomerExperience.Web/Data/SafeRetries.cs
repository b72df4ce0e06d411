using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace CustomerExperience.Web.Data;

/// <summary>
/// Retries what is safe to retry when the database blips (a restart, a dropped connection, a full pool): a query, or a
/// SaveChanges outside a transaction of ours, which is all or nothing on its own (and a retried insert carries the same
/// keys, so it can fail but never doubles). Inside a transaction the app opened, nothing is retried: the transaction is
/// rolled back and the request answers 503 (see <see cref="Infrastructure.DatabaseOutage"/>), so nothing is half
/// written and the customer's retry starts clean. A few quick attempts, at most a few seconds in all: a request waits
/// out a restart but not an outage.
/// </summary>
public sealed class SafeRetries(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, MaxRetries, MaxDelay, errorCodesToAdd: null)
{
    public const int MaxRetries = 3;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    private bool inTransaction;

    protected override void OnFirstExecution()
    {
        // The base refuses to run inside a user transaction; here such an operation simply runs once.
        inTransaction = Dependencies.CurrentContext.Context.Database.CurrentTransaction is not null;
        if (inTransaction)
            ExceptionsEncountered.Clear();
        else
            base.OnFirstExecution();
    }

    protected override bool ShouldRetryOn(Exception? exception) => !inTransaction && base.ShouldRetryOn(exception);
}
