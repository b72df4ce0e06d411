using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Admin.Locations;

/// <summary>The locations, active first; managers read it, admins also reach the forms from it.</summary>
[Authorize(Policy = StaffPolicies.Manager)]
public class IndexModel(AppDbContext db) : PageModel
{
    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public bool IsAdmin => User.IsInRole(StaffRoles.Admin);
    [TempData] public string? Done { get; set; }

    public async Task OnGetAsync(CancellationToken ct) =>
        Locations = await db.Locations.AsNoTracking().OrderByDescending(l => l.IsActive).ThenBy(l => l.Name).ToListAsync(ct);
}
