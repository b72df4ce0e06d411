using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Admin.Services;

/// <summary>The services, active first; managers read it, admins also reach the forms from it.</summary>
[Authorize(Policy = StaffPolicies.Manager)]
public class IndexModel(AppDbContext db) : PageModel
{
    public IReadOnlyList<Service> Services { get; private set; } = [];
    public bool IsAdmin => User.IsInRole(StaffRoles.Admin);
    [TempData] public string? Done { get; set; }

    public async Task OnGetAsync(CancellationToken ct) =>
        Services = await db.Services.AsNoTracking().OrderByDescending(s => s.IsActive).ThenBy(s => s.Name).ToListAsync(ct);
}
