using CustomerExperience.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Scheduling;

/// <summary>
/// The manage link of a visit. The database keeps the token's SHA-256 for lookups and, for later emails
/// (reminders), the token encrypted with the app's Data Protection keys: a stolen table alone opens nothing.
/// </summary>
public class ManageLinks(IDataProtectionProvider protection, IOptions<AppOptions> app)
{
    private readonly IDataProtector protector = protection.CreateProtector("CustomerExperience.ManageToken.v1");

    public string Protect(string token) => protector.Protect(token);

    /// <summary>Null when keys rotated away or the data was tampered with: the email then goes out without the link.</summary>
    public string? Unprotect(string? protectedToken) => protector.TryUnprotect(protectedToken);

    public string Url(string token) => $"{app.Value.PublicBaseUrl.TrimEnd('/')}/manage/{token}";
}
