using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Admin.Rooms;

/// <summary>
/// Rooms and machines per location, and the booked visits that have no place in the set-up as it stands (left by a change
/// whose moves failed or were interrupted, or whose customers were asked to choose a new time and have not yet).
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
public class IndexModel(AppDbContext db, RoomsAffectedVisits affected, RoomsRebooking rebooking) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "location")] public Guid? LocationId { get; set; }

    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public ILookup<Guid, Resource> Rooms { get; private set; } = Array.Empty<Resource>().ToLookup(r => r.LocationId);
    public Dictionary<Guid, List<Appointment>> Stranded { get; } = [];
    public string? Done => TempData["Done"] as string;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>Moves the listed visits, or asks their customers to choose a new time; only those still without a place.</summary>
    public async Task<IActionResult> OnPostResolveAsync(Guid location, List<Guid> visits, string? then, CancellationToken ct)
    {
        if (then is not ("move" or "notify")) return BadRequest();
        var still = (await affected.StrandedAsync(location, ct)).Where(v => visits.Contains(v.Id)).ToList();
        var result = then == "move"
            ? await rebooking.MoveAsync(still, "it no longer fitted the room's set-up", ct)
            : await rebooking.AskAsync(still, "The time booked is no longer open at our clinic.", ct);
        TempData["Done"] = SetupResults.Describe(still.Count == visits.Count ? "Done." : "Some of those visits had been seen to meanwhile.", result, then == "move");
        return Redirect($"/staff/admin/rooms?location={location}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Locations = await db.Locations.AsNoTracking().Where(l => LocationId == null || l.Id == LocationId).OrderBy(l => l.Name).ToListAsync(ct);
        Rooms = (await db.Resources.AsNoTracking().Include(r => r.Services).Include(r => r.WorkingHours).AsSplitQuery()
            .OrderBy(r => r.Name).ToListAsync(ct)).ToLookup(r => r.LocationId);
        foreach (var location in Locations)
            if (await affected.StrandedAsync(location.Id, ct) is { Count: > 0 } visits)
                Stranded[location.Id] = visits;
    }
}
