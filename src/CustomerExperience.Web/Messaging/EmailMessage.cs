namespace CustomerExperience.Web.Messaging;

/// <summary>What a feature hands to the outbox. The idempotency key names the event, e.g. <c>confirmation:{appointment}:{sequence}</c>.</summary>
public sealed record EmailMessage(
    string Kind,
    string IdempotencyKey,
    string ToAddress,
    string? ToName,
    string Subject,
    string TextBody,
    string? HtmlBody = null)
{
    public string? Ics { get; init; }
    public string? IcsMethod { get; init; }
    public string? UnsubscribeUrl { get; init; }
    public Guid? CustomerId { get; init; }
    public Guid? AppointmentId { get; init; }
}
