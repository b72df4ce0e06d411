using CustomerExperience.Web.Data;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Admin.Locations;

[Authorize(Policy = StaffPolicies.Admin)]
public class NewModel(AppDbContext db, LocationSettings settings) : PageModel
{
    public const string DefaultZone = "America/New_York";

    [BindProperty] public LocationForm Form { get; set; } = new();
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    /// <summary>A new location starts in the zone of the existing ones.</summary>
    public async Task OnGetAsync(CancellationToken ct) =>
        Form.TimeZoneId = await db.Locations.OrderBy(l => l.Name).Select(l => l.TimeZoneId).FirstOrDefaultAsync(ct) ?? DefaultZone;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        switch (await settings.CreateAsync(Form, ct))
        {
            case PlacesSave.Saved saved:
                TempData["Done"] = $"Added {saved.Name}. Next: give it rooms or machines with hours, so its services can be booked.";
                return RedirectToPage("Index");
            case PlacesSave.Invalid invalid:
                Errors = invalid.Errors;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                throw new InvalidOperationException("Creating a location can only succeed or be refused.");
        }
    }
}
