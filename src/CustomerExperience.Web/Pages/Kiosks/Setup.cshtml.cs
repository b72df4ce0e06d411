using CustomerExperience.Web.Data;
using CustomerExperience.Web.Kiosks;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Kiosks;

/// <summary>
/// Where an enrolment link lands on the tablet. Opening it only asks; the button enrols (so a link preview or a
/// prefetch cannot use up the single-use link).
/// </summary>
public class SetupModel(KioskDevices devices, AppDbContext db, StaffSignInManager signIn) : PageModel
{
    public enum State { Ready, Invalid, Used }

    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    public State Showing { get; private set; }
    public EnrolmentLink? Link { get; private set; }
    public string LocationName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await ShowAsync(State.Ready, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var link = await devices.ReadLinkAsync(Token, ct);
        var staff = link is null ? null : await devices.StaffAsync(link.StaffId, ct);
        if (link is null || staff is null)
            return await ShowAsync(State.Invalid, ct);
        var how = devices.IsDemoToken(Token) ? "through the demo link" : "through an enrolment link";
        switch (await devices.EnrolAsync(link.KioskId, link.LocationId, link.Name, staff.Value, how, ct))
        {
            case EnrolOutcome.Enrolled enrolled:
                if (User.Identity?.IsAuthenticated == true)
                    await signIn.SignOutAsync();
                devices.WriteCookie(HttpContext, enrolled.Secret);
                return Redirect($"/kiosk/{enrolled.Slug}");
            case EnrolOutcome.LinkUsed:
                return await ShowAsync(State.Used, ct);
            default:
                return await ShowAsync(State.Invalid, ct);
        }
    }

    private async Task<IActionResult> ShowAsync(State state, CancellationToken ct)
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers.CacheControl = "no-store";
        Link = state == State.Ready ? await devices.ReadLinkAsync(Token, ct) : null;
        if (Link is not null && await db.Kiosks.AnyAsync(k => k.Id == Link.KioskId, ct))
            (state, Link) = (State.Used, null);
        Showing = Link is null && state == State.Ready ? State.Invalid : state;
        if (Link is not null)
            LocationName = await db.Locations.Where(l => l.Id == Link.LocationId).Select(l => l.Name).SingleOrDefaultAsync(ct) ?? "";
        Response.StatusCode = Showing switch
        {
            State.Invalid => StatusCodes.Status404NotFound,
            State.Used => StatusCodes.Status410Gone,
            _ => StatusCodes.Status200OK,
        };
        return Page();
    }
}
