using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Admin;

/// <summary>
/// Holidays and other closed days per location, or for one room: single days or ranges with a reason. A closure over
/// booked visits is saved only once the admin has seen exactly those visits and chosen to move them or ask the customers.
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
public class ClosuresModel(AppDbContext db, ClosuresEditor editor, RoomsRebooking rebooking, TimeProvider clock) : PageModel
{
    public sealed record Row(Guid Id, Location Location, string? Room, DateOnly From, DateOnly To, string Reason);

    [BindProperty(SupportsGet = true, Name = "location")] public string? LocationId { get; set; }
    [BindProperty] public string? ResourceId { get; set; }
    [BindProperty] public string? From { get; set; }
    [BindProperty] public string? To { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public List<Guid> Acknowledged { get; set; } = [];
    [BindProperty] public string? Then { get; set; }

    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public ILookup<Guid, Resource> Resources { get; private set; } = Array.Empty<Resource>().ToLookup(r => r.LocationId);
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public AffectedVisitsPanel? Affected { get; private set; }
    public string? Done => TempData["Done"] as string;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var acknowledged = Then is "move" or "notify" ? Acknowledged : [];
        var outcome = await editor.AddAsync(new ClosureForm(LocationId, ResourceId, From, To, Reason), acknowledged, ct);
        switch (outcome)
        {
            case SetupOutcome.Saved saved:
                RebookingResult? result = saved.Affected.Count == 0 ? null
                    : Then == "move" ? await rebooking.MoveAsync(saved.Affected, $"closed that day ({Reason!.Trim()})", ct)
                    : await rebooking.AskAsync(saved.Affected, saved.CustomerReason, ct);
                TempData["Done"] = SetupResults.Describe("Closure saved.", result, Then == "move");
                return Redirect($"/staff/admin/closures?location={LocationId}");
            case SetupOutcome.Invalid invalid:
                Errors = invalid.Errors;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case SetupOutcome.Confirm confirm:
                Affected = new(confirm.Affected, confirm.ListChanged, "These visits fall on the days you are closing.", "Close", "/staff/admin/closures");
                if (confirm.ListChanged) Response.StatusCode = StatusCodes.Status409Conflict;
                break;
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken ct)
    {
        TempData["Done"] = await editor.RemoveAsync(id, ct)
            ? "Closure removed: those days are open again."
            : "That closure had already been removed.";
        return Redirect($"/staff/admin/closures?location={LocationId}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Locations = await db.Locations.AsNoTracking().OrderBy(l => l.Name).ToListAsync(ct);
        var rooms = await db.Resources.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
        Resources = rooms.ToLookup(r => r.LocationId);
        var byId = Locations.ToDictionary(l => l.Id);
        // Closures ended more than a month ago are history; the list is for what is coming.
        var since = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-31);
        var atLocations = await db.LocationClosures.AsNoTracking().Where(c => c.To >= since).ToListAsync(ct);
        var onRooms = await db.ResourceClosures.AsNoTracking().Where(c => c.To >= since).ToListAsync(ct);
        var roomById = rooms.ToDictionary(r => r.Id);
        Rows = atLocations.Select(c => new Row(c.Id, byId[c.LocationId], null, c.From, c.To, c.Reason))
            .Concat(onRooms.Select(c => new Row(c.Id, byId[roomById[c.ResourceId].LocationId], roomById[c.ResourceId].Name, c.From, c.To, c.Reason)))
            .OrderBy(r => r.Location.Name).ThenBy(r => r.From).ToList();
    }
}
