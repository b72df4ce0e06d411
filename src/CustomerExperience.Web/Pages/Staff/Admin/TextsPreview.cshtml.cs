using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages.Staff.Admin;

/// <summary>
/// The HTML part of the sample email the texts page previews, shown there in <c>&lt;iframe sandbox&gt;</c>: exactly the
/// HTML a customer's mail program gets, inline styles included. Those the app-wide CSP forbids, so this one response has
/// a policy of its own that allows inline styles and nothing else (no scripts, no requests, a sandbox), framed only by
/// the app. The draft is the one the admin last pressed Preview on (<see cref="TextsPreviewDrafts"/>).
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
public class TextsPreviewModel(TextsPreviewDrafts drafts, TextsPreview preview) : PageModel
{
    public const string Policy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox";

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Response.Headers.ContentSecurityPolicy = Policy;
        Response.Headers.XFrameOptions = "SAMEORIGIN";
        Response.Headers.CacheControl = "no-store";
        if (MessageKinds.Find(Kind) is not { } kind) return Html(StatusCodes.Status404NotFound, "There is no such email.");
        if (drafts.Find(HttpContext, kind) is not { } draft)
            return Html(StatusCodes.Status404NotFound, "This preview has expired: press Preview again.");
        if (TextsEditor.Problems(kind, draft.Subject, draft.Body).Count > 0)
            return Html(StatusCodes.Status400BadRequest, "These words cannot be previewed: press Preview again to see why.");
        var email = await preview.EmailAsync(kind, draft, ct);
        return Content(email.HtmlBody!, "text/html; charset=utf-8");
    }

    private static ContentResult Html(int status, string message) => new()
    {
        StatusCode = status, ContentType = "text/html; charset=utf-8",
        Content = $"{EmailHtml.Start}<p>{System.Net.WebUtility.HtmlEncode(message)}</p>{EmailHtml.End}",
    };
}
