using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Scheduling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CustomerExperience.Web.Pages.Manage;

/// <summary>
/// Base of the pages behind a manage link. The token in the URL is the customer's key: no referrer leaves
/// the page, nothing is cached, and lookups are rate limited.
/// </summary>
[EnableRateLimiting(WebSecurity.PublicWritePolicy)]
public abstract class ManagePageModel(BookingService booking) : PageModel
{
    protected BookingService Booking { get; } = booking;

    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";

    public Appointment Visit { get; private set; } = null!;
    public Location Location => Visit.Location!;
    public Service Service => Visit.Service!;
    public bool InsideCutoff => Booking.InsideCutoff(Visit);

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        context.HttpContext.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.HttpContext.Response.Headers.CacheControl = "no-cache, no-store";
        context.HttpContext.Response.Headers["X-Robots-Tag"] = "noindex";
    }

    /// <summary>Null when the visit was found; otherwise the 404 to return.</summary>
    protected async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (await Booking.FindByTokenAsync(Token, ct) is not { } visit)
            return NotFound();
        Visit = visit;
        return null;
    }
}
