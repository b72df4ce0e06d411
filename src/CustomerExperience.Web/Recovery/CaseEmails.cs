using System.Net;
using System.Text;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Recovery;

/// <summary>A staff member an email about a case goes to.</summary>
public sealed record CaseRecipient(string Id, string Email, string Name);

/// <summary>
/// Emails to staff about a case: the alert to its owner when it opens, and the escalation to the location's managers
/// when the first contact is overdue. They say only what the reader needs to act (case number, location, why, whether
/// it is clinical, when it is due) and link to the case page. The customer's name and comment stay on that page, behind
/// the staff sign-in: a comment is free text that may describe the customer's health, and email is copied to phones and
/// mail servers the clinic does not control.
/// </summary>
public class CaseEmails(IOptions<AppOptions> app)
{
    public const string AlertKind = "case-alert";
    public const string EscalationKind = "case-escalation";
    public const string ClinicalFlag = "Clinical — route to quality";

    public string CaseUrl(RecoveryCase recoveryCase) => $"{app.Value.PublicBaseUrl.TrimEnd('/')}/staff/cases/{recoveryCase.Number}";

    /// <summary>The owner's alert keeps the key <c>case-alert:{case}</c>; when the location's managers are alerted instead, each has a key of their own.</summary>
    public EmailMessage Alert(RecoveryCase recoveryCase, Location location, CaseRecipient to, bool isOwner)
    {
        var due = AppointmentEmails.FormatWhen(recoveryCase.DueAt, location);
        var lead = isOwner
            ? $"A service-recovery case was opened for you at {location.Name}. Please contact the customer by {due}."
            : $"A service-recovery case was opened at {location.Name} and has no owner. Please take it, and contact the customer by {due}.";
        var key = isOwner ? $"{AlertKind}:{recoveryCase.Id}" : $"{AlertKind}:{recoveryCase.Id}:{to.Id}";
        return Build(AlertKind, key, to, $"Case {recoveryCase.Number}: follow-up needed at {location.Name}", lead, recoveryCase, location);
    }

    public EmailMessage Escalation(RecoveryCase recoveryCase, Location location, CaseRecipient to, string? ownerName)
    {
        var due = AppointmentEmails.FormatWhen(recoveryCase.DueAt, location);
        var lead = $"Case {recoveryCase.Number} at {location.Name} is overdue: the first contact was due by {due} and has not been recorded. "
            + (ownerName is null ? "It has no owner." : $"Its owner is {ownerName}.");
        return Build(EscalationKind, $"{EscalationKind}:{recoveryCase.Id}:{to.Id}", to,
            $"Overdue: case {recoveryCase.Number} at {location.Name}", lead, recoveryCase, location);
    }

    private EmailMessage Build(string kind, string key, CaseRecipient to, string subject, string lead, RecoveryCase recoveryCase, Location location)
    {
        var url = CaseUrl(recoveryCase);
        var source = recoveryCase.Source == CaseSource.Complaint ? "a complaint logged by staff" : "a survey answer";
        var text = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine(lead).AppendLine();
        if (recoveryCase.Clinical) text.AppendLine($"{ClinicalFlag}.").AppendLine();
        text.AppendLine($"Case: {recoveryCase.Number}")
            .AppendLine($"Location: {location.Name}")
            .AppendLine($"From: {source}")
            .AppendLine($"Why: {recoveryCase.Summary}").AppendLine()
            .AppendLine($"Open the case (staff sign-in): {url}").AppendLine()
            .AppendLine(app.Value.ClinicName);

        var html = new StringBuilder().Append(EmailHtml.Start)
            .Append($"<p>Hello {H(to.Name)},</p><p>{H(lead)}</p>");
        if (recoveryCase.Clinical) html.Append($"<p><strong>{H(ClinicalFlag)}.</strong></p>");
        html.Append($"<p>Case: {recoveryCase.Number}<br>Location: {H(location.Name)}<br>From: {H(source)}<br>Why: {H(recoveryCase.Summary)}</p>")
            .Append($"<p><a href=\"{H(url)}\">Open case {recoveryCase.Number}</a> (staff sign-in)</p>")
            .Append($"<p>{H(app.Value.ClinicName)}</p>").Append(EmailHtml.End);
        return new EmailMessage(kind, key, to.Email, to.Name, subject, text.ToString(), html.ToString());
    }

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
