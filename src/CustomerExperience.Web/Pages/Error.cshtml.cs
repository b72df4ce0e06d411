using CustomerExperience.Web.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages;

/// <summary>
/// Where an unhandled exception on a page ends up (re-executed with the original method, so also as a POST: the failed
/// form's token must not turn the 500 into an antiforgery 400). While the database is away it is a 503 that says so,
/// and asks nothing of the database itself.
/// </summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public class ErrorModel : PageModel
{
    public bool DatabaseAway { get; private set; }

    public IActionResult OnGet()
    {
        // Only as the exception handler's page: asked for directly it is not a page.
        if (HttpContext.Features.Get<IExceptionHandlerFeature>() is not { } handled)
            return NotFound();
        DatabaseAway = DatabaseOutage.Caused(handled.Error);
        Response.StatusCode = DatabaseAway ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        if (DatabaseAway)
            Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString();
        return Page();
    }

    public IActionResult OnPost() => OnGet();
}
