using System.Net;
using CustomerExperience.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Journeys;

/// <summary>One-click unsubscribe links (RFC 8058): the customer's id, protected by the app's Data Protection keys.</summary>
public class Unsubscribe(IDataProtectionProvider protection, IOptions<AppOptions> app)
{
    private readonly IDataProtector protector = protection.CreateProtector("CustomerExperience.Unsubscribe.v1");

    public string Url(Guid customerId) => $"{app.Value.PublicBaseUrl.TrimEnd('/')}/unsubscribe/{protector.Protect(customerId.ToString("N"))}";

    public Guid? CustomerId(string? token) => Guid.TryParseExact(protector.TryUnprotect(token), "N", out var id) ? id : null;

    /// <summary>The unsubscribe line, after whatever words the clinic chose: feedback requests and recalls always carry it.</summary>
    public static (string Text, string Html) Footer(string unsubscribeUrl, string what) =>
        ($"Don't want {what}? Unsubscribe: {unsubscribeUrl}",
         $"<p style=\"color:#4a5568;font-size:.9em\">Don't want {what}? <a href=\"{WebUtility.HtmlEncode(unsubscribeUrl)}\">Unsubscribe</a>.</p>");
}
