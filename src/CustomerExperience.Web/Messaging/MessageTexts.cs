using CustomerExperience.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Messaging;

/// <summary>
/// The words each kind of email is sent with: the clinic's own (a <c>message_texts</c> row) when it has some, else the
/// default. Read once per scope (a request, a job run), so a batch of reminders costs one query.
/// </summary>
public class MessageTexts(AppDbContext db, ILogger<MessageTexts> logger)
{
    private Dictionary<string, MessageTemplate>? overrides;
    private readonly Dictionary<string, MessageTemplate> resolved = [];

    public async Task<MessageTemplate> ForAsync(MessageKind kind, CancellationToken ct)
    {
        // Jobs ask once per email; the clinic's text is read, checked (and any warning logged) once per kind and scope.
        if (resolved.TryGetValue(kind.Key, out var known))
            return known;
        overrides ??= await db.MessageTexts.AsNoTracking()
            .ToDictionaryAsync(t => t.Kind, t => new MessageTemplate(t.Subject, t.Body), ct);
        return resolved[kind.Key] = Resolve(kind, overrides.GetValueOrDefault(kind.Key));
    }

    private MessageTemplate Resolve(MessageKind kind, MessageTemplate? own)
    {
        if (own is null)
            return kind.Default;
        // Checked on save; checked again in case a later version of the app offers different placeholders.
        if (MessageTemplate.Check(own.Subject, own.Body, kind.Placeholders).Count == 0)
            return own;
        logger.LogWarning("The clinic's text for {Kind} emails no longer fits this version of the app; the default is sent instead.", kind.Key);
        return kind.Default;
    }
}
