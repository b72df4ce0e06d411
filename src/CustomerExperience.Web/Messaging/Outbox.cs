using CustomerExperience.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Messaging;

/// <summary>Adds emails to the outbox table in the caller's transaction, so they exist exactly when the change that caused them does.</summary>
public class Outbox(AppDbContext db, OutboxCommitHook commitHook, TimeProvider clock)
{
    /// <summary>Returns false when a message with the same idempotency key was already queued (nothing is added).</summary>
    public async Task<bool> EnqueueAsync(EmailMessage message, CancellationToken cancellationToken) =>
        (await EnqueueManyAsync([message], cancellationToken)).Count == 1;

    /// <summary>
    /// Queues many messages in one statement (a reminder batch); returns the idempotency keys that were new. Messages
    /// whose key was queued before are left out, as <see cref="EnqueueAsync"/> leaves out one.
    /// </summary>
    public async Task<HashSet<string>> EnqueueManyAsync(IReadOnlyList<EmailMessage> messages, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Queue emails inside the transaction of the change that causes them.");
        if (messages.Count == 0)
            return [];

        var now = clock.GetUtcNow();
        var ids = messages.Select(_ => Guid.CreateVersion7()).ToArray();
        T[] Of<T>(Func<EmailMessage, T> field) => messages.Select(field).ToArray();
        var added = await db.Database.SqlQuery<string>($"""
            INSERT INTO cx.outbound_emails
                (id, kind, idempotency_key, to_address, to_name, subject, text_body, html_body, ics, ics_method,
                 unsubscribe_url, customer_id, appointment_id, status, attempts, next_attempt_at, created_at)
            SELECT m.id, m.kind, m.idempotency_key, m.to_address, m.to_name, m.subject, m.text_body, m.html_body, m.ics,
                   m.ics_method, m.unsubscribe_url, m.customer_id, m.appointment_id, 'Pending', 0, {now}, {now}
            FROM unnest({ids}, {Of(m => m.Kind)}, {Of(m => m.IdempotencyKey)}, {Of(m => m.ToAddress)}, {Of(m => m.ToName)},
                        {Of(m => m.Subject)}, {Of(m => m.TextBody)}, {Of(m => m.HtmlBody)}, {Of(m => m.Ics)}, {Of(m => m.IcsMethod)},
                        {Of(m => m.UnsubscribeUrl)}, {Of(m => m.CustomerId)}, {Of(m => m.AppointmentId)})
                 AS m(id, kind, idempotency_key, to_address, to_name, subject, text_body, html_body, ics, ics_method,
                      unsubscribe_url, customer_id, appointment_id)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING idempotency_key AS "Value"
            """).ToListAsync(cancellationToken);
        if (added.Count > 0)
            commitHook.MessageQueued();
        return [.. added];
    }

    /// <summary>
    /// Removes queued, not yet sent messages of one kind about a visit (reminders of a time that changed). Rows
    /// already being sent are left alone: the change and that send race, and the send is about to happen anyway.
    /// </summary>
    public async Task<int> WithdrawPendingAsync(Guid appointmentId, string kind, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM cx.outbound_emails
            WHERE appointment_id = {appointmentId} AND kind = {kind} AND status = 'Pending'
            """, cancellationToken);

    /// <summary>
    /// Gives a Dead message a fresh set of attempts, due now. Only a row that is still Dead changes, so two managers
    /// pressing Resend at once queue it once. The idempotency key and Message-ID stay the same.
    /// </summary>
    public async Task<bool> ResendDeadAsync(Guid id, CancellationToken cancellationToken)
    {
        var requeued = await db.Database.ExecuteSqlAsync($"""
            UPDATE cx.outbound_emails
            SET status = 'Pending', attempts = 0, next_attempt_at = {clock.GetUtcNow()}, lease_until = NULL
            WHERE id = {id} AND status = 'Dead'
            """, cancellationToken) == 1;
        if (requeued)
            commitHook.MessageQueued();
        return requeued;
    }
}
