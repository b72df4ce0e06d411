using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Kiosks;
using CustomerExperience.Web.Surveys;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Pages.Kiosks;

/// <summary>
/// The exit kiosk of one location: the survey, one question per screen (wwwroot/js/kiosk.js), for an enrolled kiosk
/// of this location only; any other browser gets "This screen is not set up" and no questions. At an inactive location
/// every browser gets a 404 page saying it is not taking visitors, and nothing is written (not even the kiosk's last-seen time).
/// </summary>
public class IndexModel(AppDbContext db, KioskDevices devices, SurveyResponses surveys, IAntiforgery antiforgery, IOptions<KioskOptions> options)
    : PageModel
{
    /// <summary>How often the page of an inactive location reloads, so the kiosk comes back when the location reopens.</summary>
    public const int ClosedRecheckSeconds = 60;
    private const int MaxSlug = 100;

    public Location Location { get; private set; } = null!;
    /// <summary>Null when this browser is not an enrolled kiosk of <see cref="Location"/>.</summary>
    public SurveyDefinition? Survey { get; private set; }
    public string RequestToken { get; private set; } = "";
    public KioskOptions Settings => options.Value;
    /// <summary>The location is inactive (taken out of use on the staff locations page).</summary>
    public bool Closed { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? locationSlug, CancellationToken ct)
    {
        // A blank segment binds as null.
        if (locationSlug is null || locationSlug.Length > MaxSlug
            || await db.Locations.AsNoTracking().FirstOrDefaultAsync(l => l.Slug == locationSlug, ct) is not { } location)
            return NotFound();
        Location = location;
        // What antiforgery sets for the enrolled page too (set the same way here, it does not warn about overriding it).
        Response.Headers.CacheControl = "no-cache, no-store";
        Response.Headers.Pragma = "no-cache";
        if (!location.IsActive)
        {
            Closed = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        var kiosk = await devices.FromCookieAsync(Request, ct);
        if (kiosk is null || kiosk.LocationId != location.Id)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        await devices.SeenAsync(kiosk, ct);
        Survey = await surveys.CurrentDefinitionAsync(ct);
        RequestToken = antiforgery.GetAndStoreTokens(HttpContext).RequestToken!;
        return Page();
    }
}
