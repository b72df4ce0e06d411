using CustomerExperience.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Surveys;

/// <summary>
/// The email survey's link: the visit's id, protected by the app's Data Protection keys. The purpose is the one the
/// after-visit email used, so links sent before still open.
/// </summary>
public class SurveyLinks(IDataProtectionProvider protection, IOptions<AppOptions> app)
{
    /// <summary>How long after the visit was completed its link takes answers.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    private readonly IDataProtector tokens = protection.CreateProtector("CustomerExperience.Survey.v1");

    public string Token(Guid appointmentId) => tokens.Protect(appointmentId.ToString("N"));

    public string Url(Guid appointmentId) => $"{app.Value.PublicBaseUrl.TrimEnd('/')}/survey/{Token(appointmentId)}";

    public Guid? Visit(string? token) => Guid.TryParseExact(tokens.TryUnprotect(token), "N", out var id) ? id : null;
}
