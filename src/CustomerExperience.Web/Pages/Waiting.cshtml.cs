using CustomerExperience.Web.Data;
using CustomerExperience.Web.Delays;
using CustomerExperience.Web.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages;

/// <summary>
/// The waiting-room screen of one location: its current delays and nothing about anyone. Public and read-only;
/// wwwroot/js/waiting.js fetches it again every minute and swaps in the new content (a meta refresh reloads the whole
/// page, which screen readers announce as a new page and axe flags). An inactive location's screen is a 404 saying it is
/// not taking visitors, with no delays; it keeps fetching, so it comes back when the location reopens.
/// </summary>
public class WaitingModel(AppDbContext db, DelayService delays, TimeProvider clock) : PageModel
{
    public const int RefreshSeconds = 60;
    private const int MaxSlug = 100;

    public Location Location { get; private set; } = null!;
    public IReadOnlyList<Delay> Delays { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    /// <summary>The location is inactive (taken out of use on the staff locations page).</summary>
    public bool Closed { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? locationSlug, CancellationToken ct)
    {
        // A blank segment binds as null.
        if (locationSlug is null || locationSlug.Length > MaxSlug
            || await db.Locations.AsNoTracking().FirstOrDefaultAsync(l => l.Slug == locationSlug, ct) is not { } location)
            return NotFound();
        Location = location;
        Now = clock.GetUtcNow();
        Response.Headers.CacheControl = "no-cache, no-store";
        if (!location.IsActive)
        {
            Closed = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Delays = await delays.CurrentAtAsync(location, ct);
        return Page();
    }

    public string Time(DateTimeOffset instant) => Messaging.DelayEmails.Time(instant, Location);
}
