using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Book;

public class IndexModel(AppDbContext db) : PageModel
{
    public IReadOnlyList<Service> Services { get; private set; } = [];
    public IReadOnlyList<Location> Locations { get; private set; } = [];
    /// <summary>A signed-in admin gets a link to the set-up pages when there is nothing to book.</summary>
    public bool CanSetUp => User.IsInRole(StaffRoles.Admin);

    [BindProperty(SupportsGet = true)] public Guid? ServiceId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? LocationId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Error { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        // Offered = an active room or machine at an active location performs the active service.
        var offered = await db.Resources.AsNoTracking()
            .Where(r => r.IsActive && r.Location!.IsActive)
            .SelectMany(r => r.Services.Where(s => s.IsActive).Select(s => new { ServiceId = s.Id, r.LocationId }))
            .Distinct().ToListAsync(ct);
        var serviceIds = offered.Select(o => o.ServiceId).ToHashSet();
        var locationIds = offered.Select(o => o.LocationId).ToHashSet();
        Services = await db.Services.AsNoTracking().Where(s => serviceIds.Contains(s.Id)).OrderBy(s => s.Name).ToListAsync(ct);
        Locations = await db.Locations.AsNoTracking().Where(l => locationIds.Contains(l.Id)).OrderBy(l => l.Name).ToListAsync(ct);
        if (Error is not null)
            Error = "Choose a service and a location.";
    }
}
