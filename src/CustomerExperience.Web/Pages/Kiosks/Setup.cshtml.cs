using CustomerExperience.Web.Data;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Kiosks;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Kiosks;

/// <summary>
/// Where an enrolment link lands on the tablet. Opening it only asks; the button enrols (so a link preview or a
/// prefetch cannot use up the single-use link).
/// </summary>
[EnableRateLimiting(WebSecurity.PublicWritePolicy)]
public class SetupModel(KioskDevices devices, AppDbContext db, StaffSignInManager signIn) : PageModel
{
    public enum State { Ready, Invalid, Used }

    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    public State Showing { get; private set; }
    public string KioskName { get; private set; } = "";
    public string LocationName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await devices.ReadLinkAsync(Token, ct) is not { } link)
            return Show(State.Invalid);
        if (await db.Kiosks.AnyAsync(k => k.Id == link.KioskId, ct))
            return Show(State.Used);
        KioskName = link.Name;
        LocationName = await db.Locations.Where(l => l.Id == link.LocationId).Select(l => l.Name).SingleOrDefaultAsync(ct) ?? "";
        return Show(State.Ready);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var link = await devices.ReadLinkAsync(Token, ct);
        if (link is null || await devices.StaffAsync(link.StaffId, ct) is not { } staff)
            return Show(State.Invalid);
        var how = devices.IsDemoToken(Token) ? "through the demo link" : "through an enrolment link";
        switch (await devices.EnrolAsync(link.KioskId, link.LocationId, link.Name, staff, how, ct))
        {
            case EnrolOutcome.Enrolled enrolled:
                if (User.Identity?.IsAuthenticated == true)
                    await signIn.SignOutAsync();
                devices.WriteCookie(HttpContext, enrolled.Secret);
                return Redirect($"/kiosk/{enrolled.Slug}");
            case EnrolOutcome.LinkUsed:
                return Show(State.Used);
            default:
                return Show(State.Invalid);
        }
    }

    private PageResult Show(State state)
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers.CacheControl = "no-cache, no-store";
        Response.Headers.Pragma = "no-cache";
        Showing = state;
        Response.StatusCode = state switch
        {
            State.Invalid => StatusCodes.Status404NotFound,
            State.Used => StatusCodes.Status410Gone,
            _ => StatusCodes.Status200OK,
        };
        return Page();
    }
}
