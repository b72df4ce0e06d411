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

    public async Task<MessageTemplate> ForAsync(MessageKind kind, CancellationToken ct)
    {
        overrides ??= await db.MessageTexts.AsNoTracking()
            .ToDictionaryAsync(t => t.Kind, t => new MessageTemplate(t.Subject, t.Body), ct);
        if (overrides.GetValueOrDefault(kind.Key) is not { } own)
            return kind.Default;
        // Checked on save; checked again in case a later version of the app offers different placeholders.
        if (MessageTemplate.Check(own.Subject, own.Body, kind.Placeholders).Count == 0)
            return own;
        logger.LogWarning("The clinic's text for {Kind} emails no longer fits this version of the app; the default is sent instead.", kind.Key);
        return kind.Default;
    }
}
