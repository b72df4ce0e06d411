namespace CustomerExperience.Web.Domain;

public enum OutboundEmailStatus { Pending, Sending, Sent, Dead }

/// <summary>
/// A row of the transactional outbox: written in the same transaction as the change that causes it,
/// delivered later by the outbox job.
/// </summary>
public class OutboundEmail
{
    public Guid Id { get; set; }
    public required string Kind { get; set; }
    public required string IdempotencyKey { get; set; }
    public required string ToAddress { get; set; }
    public string? ToName { get; set; }
    public required string Subject { get; set; }
    public required string TextBody { get; set; }
    public string? HtmlBody { get; set; }
    /// <summary>iCalendar text; sent as a text/calendar part and an .ics attachment.</summary>
    public string? Ics { get; set; }
    /// <summary>REQUEST or CANCEL: the iTIP method of <see cref="Ics"/>.</summary>
    public string? IcsMethod { get; set; }
    /// <summary>One-click unsubscribe target (RFC 8058) for marketing-like messages.</summary>
    public string? UnsubscribeUrl { get; set; }
    public Guid? CustomerId { get; set; }
    public Guid? AppointmentId { get; set; }
    public OutboundEmailStatus Status { get; set; } = OutboundEmailStatus.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}
