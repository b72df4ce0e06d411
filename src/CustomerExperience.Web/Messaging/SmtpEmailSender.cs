using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Security.Cryptography;
using System.Text;
using CustomerExperience.Web.Domain;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Messaging;

/// <summary>The one place that talks SMTP. Builds the MIME message from an outbox row and sends it.</summary>
public class SmtpEmailSender(IOptions<SmtpOptions> options)
{
    private readonly SmtpOptions smtp = options.Value;

    public async Task SendAsync(OutboundEmail email, CancellationToken cancellationToken)
    {
        using var message = BuildMessage(email);
        using var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            EnableSsl = smtp.EnableSsl,
            Timeout = smtp.TimeoutSeconds * 1000,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(smtp.Username))
            client.Credentials = new NetworkCredential(smtp.Username, smtp.Password);
        await client.SendMailAsync(message, cancellationToken);
    }

    public MailMessage BuildMessage(OutboundEmail email)
    {
        var message = new MailMessage
        {
            From = new MailAddress(smtp.From, smtp.FromName),
            Subject = email.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            Body = email.TextBody,
            BodyEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        message.To.Add(new MailAddress(email.ToAddress, email.ToName));
        message.Headers.Add("Message-ID", MessageId(email.IdempotencyKey, message.From.Host));

        if (email.HtmlBody is not null)
            message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(
                email.HtmlBody, Encoding.UTF8, MediaTypeNames.Text.Html));

        if (email.Ics is not null)
        {
            var method = email.IcsMethod ?? "REQUEST";
            var calendar = new ContentType("text/calendar") { CharSet = "utf-8" };
            calendar.Parameters.Add("method", method);
            message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(email.Ics, calendar));

            var attachment = new Attachment(new MemoryStream(Encoding.UTF8.GetBytes(email.Ics)), new ContentType("application/ics"));
            attachment.ContentDisposition!.FileName = method == "CANCEL" ? "cancel.ics" : "invite.ics";
            message.Attachments.Add(attachment);
        }

        if (email.UnsubscribeUrl is not null)
        {
            message.Headers.Add("List-Unsubscribe", $"<{email.UnsubscribeUrl}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        return message;
    }

    /// <summary>Stable per idempotency key, so a message sent twice after a crash is recognisably the same message.</summary>
    public static string MessageId(string idempotencyKey, string domain)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
        return $"<{hash[..40]}@{domain}>";
    }
}
