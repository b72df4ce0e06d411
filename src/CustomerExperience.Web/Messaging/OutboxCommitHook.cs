using System.Data.Common;
using CustomerExperience.Web.Jobs;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CustomerExperience.Web.Messaging;

/// <summary>
/// One per DbContext scope: remembers that the current transaction queued mail and, once it has committed (never
/// when it rolls back), asks for a delivery job.
/// </summary>
public sealed class OutboxCommitHook(OutboxKick kick) : DbTransactionInterceptor
{
    private bool queued;

    public void MessageQueued() => queued = true;

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        queued = false;
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed();

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed();
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => queued = false;

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        queued = false;
        return Task.CompletedTask;
    }

    private void Committed()
    {
        if (!queued)
            return;
        queued = false;
        kick.Signal();
    }
}
