using System.Security.Cryptography;
using System.Text;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging.Smtp;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Messaging;

/// <summary>The one place that talks SMTP. Writes the MIME message of an outbox row and sends it over a pooled session.</summary>
public class SmtpEmailSender(IOptions<SmtpOptions> options, SmtpConnectionPool connections, TimeProvider clock)
{
    private readonly SmtpOptions smtp = options.Value;

    /// <summary>Returns once the server accepted the message.</summary>
    public async Task SendAsync(OutboundEmail email, CancellationToken cancellationToken) =>
        await connections.SendAsync(smtp.From, email.ToAddress, BuildMessage(email), cancellationToken);

    public byte[] BuildMessage(OutboundEmail email)
    {
        var domain = smtp.From[(smtp.From.LastIndexOf('@') + 1)..];
        var message = new MimeMessage(
            new Mailbox(smtp.From, smtp.FromName),
            new Mailbox(email.ToAddress, email.ToName),
            email.Subject,
            MessageId(email.IdempotencyKey, domain),
            clock.GetUtcNow(),
            email.TextBody)
        {
            HtmlBody = email.HtmlBody,
            UnsubscribeUrl = email.UnsubscribeUrl,
        };
        if (email.Ics is not null)
        {
            var method = email.IcsMethod ?? "REQUEST";
            message = message with { Calendar = new MimeCalendar(email.Ics, method, method == "CANCEL" ? "cancel.ics" : "invite.ics") };
        }
        return MimeWriter.Write(message);
    }

    /// <summary>Stable per idempotency key, so a message sent twice after a crash is recognisably the same message.</summary>
    public static string MessageId(string idempotencyKey, string domain)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
        return $"<{hash[..40]}@{domain}>";
    }
}
