using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Book;

public class IndexModel(AppDbContext db) : PageModel
{
    public IReadOnlyList<Service> Services { get; private set; } = [];
    public IReadOnlyList<Location> Locations { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public Guid? ServiceId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? LocationId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Error { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Services = await db.Services.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Name).ToListAsync(ct);
        Locations = await db.Locations.AsNoTracking().OrderBy(l => l.Name).ToListAsync(ct);
        if (Error is not null)
            Error = "Choose a service and a location.";
    }
}
