using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace CustomerExperience.Web.Setup;

/// <summary>
/// Carries the checked draft of a Preview post to the preview frame's GET (<see cref="FramePath"/>), which shows the
/// sample email under a CSP of its own. The draft travels in a cookie only that address gets, protected by Data
/// Protection (whose keys every node shares) and bound to the admin, the kind and half an hour: nothing is stored on the
/// server, so any node can answer the frame.
/// </summary>
public class TextsPreviewDrafts(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string FramePath = "/staff/admin/texts/preview";
    private const string Cookie = "cx.preview";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    // Relaxed: non-Latin words stay one to three bytes a character, not six, in a cookie the browser caps per chunk.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly IDataProtector protector = protection.CreateProtector("CustomerExperience.Setup.TextsPreviewDrafts");
    private readonly ChunkingCookieManager cookies = new();

    private sealed record Draft(string Staff, string Kind, string Subject, string Body, DateTimeOffset Until);

    public void Keep(HttpContext http, MessageKind kind, MessageTemplate draft)
    {
        var value = new Draft(StaffId(http), kind.Key, draft.Subject, draft.Body, clock.GetUtcNow() + Lifetime);
        var protectedValue = Microsoft.AspNetCore.WebUtilities.Base64UrlTextEncoder.Encode(
            protector.Protect(JsonSerializer.SerializeToUtf8Bytes(value, Json)));
        cookies.AppendResponseCookie(http, Cookie, protectedValue, new CookieOptions
        {
            Path = FramePath, HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = WebSecurity.SecureCookie(http),
            MaxAge = Lifetime, IsEssential = true,
        });
    }

    /// <summary>The draft this admin last previewed for <paramref name="kind"/>, if it is still fresh.</summary>
    public MessageTemplate? Find(HttpContext http, MessageKind kind)
    {
        if (cookies.GetRequestCookie(http, Cookie) is not { Length: > 0 } protectedValue) return null;
        Draft? draft;
        try
        {
            draft = JsonSerializer.Deserialize<Draft>(protector.Unprotect(
                Microsoft.AspNetCore.WebUtilities.Base64UrlTextEncoder.Decode(protectedValue)), Json);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException or JsonException)
        {
            return null;
        }
        return draft is not null && draft.Staff == StaffId(http) && draft.Kind == kind.Key && draft.Until > clock.GetUtcNow()
            ? new MessageTemplate(draft.Subject, draft.Body)
            : null;
    }

    private static string StaffId(HttpContext http) => http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
}
