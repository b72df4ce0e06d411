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
/// page, which screen readers announce as a new page and axe flags).
/// </summary>
public class WaitingModel(AppDbContext db, DelayService delays, TimeProvider clock) : PageModel
{
    public const int RefreshSeconds = 60;
    private const int MaxSlug = 100;

    public Location Location { get; private set; } = null!;
    public IReadOnlyList<Delay> Delays { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(string locationSlug, CancellationToken ct)
    {
        if (locationSlug.Length > MaxSlug
            || await db.Locations.AsNoTracking().FirstOrDefaultAsync(l => l.Slug == locationSlug, ct) is not { } location)
            return NotFound();
        Location = location;
        Delays = await delays.CurrentAtAsync(location, ct);
        Now = clock.GetUtcNow();
        Response.Headers.CacheControl = "no-cache, no-store";
        return Page();
    }

    public string Time(DateTimeOffset instant) => Messaging.DelayEmails.Time(instant, Location);
}
