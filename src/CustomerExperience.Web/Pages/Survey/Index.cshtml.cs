using CustomerExperience.Web.Data;
using CustomerExperience.Web.Journeys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Survey;

/// <summary>Where the after-visit email's survey link lands. The survey itself is its own issue; this page checks the link.</summary>
public class IndexModel(PostVisitMessages messages, AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    public string LocationName { get; private set; } = "";
    public string Phone { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        if (messages.SurveyVisit(Token) is not { } visitId) return NotFound();
        var location = await db.Appointments.Where(a => a.Id == visitId).Select(a => a.Location).SingleOrDefaultAsync(ct);
        if (location is null) return NotFound();
        (LocationName, Phone) = (location.Name, location.Phone);
        return Page();
    }
}
