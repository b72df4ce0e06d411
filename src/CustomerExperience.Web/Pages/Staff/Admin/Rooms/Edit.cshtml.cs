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
/// Create or change a room or machine: location, the services it performs, weekly hours with breaks, in use or not.
/// A change that would leave booked visits without a place is not saved until the admin has seen exactly those visits
/// and chosen to move them or ask the customers to choose a new time.
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
public class EditModel(AppDbContext db, RoomsEditor editor, RoomsRebooking rebooking) : PageModel
{
    /// <summary>"new", or the room's id.</summary>
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    [BindProperty] public RoomsForm Form { get; set; } = new();
    [BindProperty] public string? Stamp { get; set; }
    [BindProperty] public List<Guid> Acknowledged { get; set; } = [];
    [BindProperty] public string? Then { get; set; }
    [BindProperty(SupportsGet = true, Name = "location")] public Guid? PresetLocation { get; set; }

    public Guid? RoomId { get; private set; }
    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public IReadOnlyList<Service> Services { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public string? Problem { get; private set; }
    public Pages.Staff.Admin.AffectedVisitsPanel? Affected { get; private set; }

    public bool IsNew => RoomId is null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!TryReadId()) return NotFound();
        if (RoomId is { } id)
        {
            if (await LoadRoomAsync(id, ct) is not { } room) return NotFound();
            Form = RoomsForm.From(room);
            Stamp = RoomsForm.Stamp(room);
        }
        else
        {
            Form = new RoomsForm
            {
                Kind = nameof(ResourceKind.Room), LocationId = PresetLocation?.ToString(),
                Hours = RoomsForm.Week.ToDictionary(d => d, d => (string?)(d is DayOfWeek.Saturday or DayOfWeek.Sunday ? "" : "08:00–12:00, 13:00–17:00")),
            };
        }
        await LoadListsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!TryReadId()) return NotFound();
        // The list counts only when the admin pressed one of its buttons, so a plain "Save" never skips the question.
        var acknowledged = Then is "move" or "notify" ? Acknowledged : [];
        var outcome = await editor.SaveAsync(RoomId, Form, Stamp, acknowledged, ct);
        switch (outcome)
        {
            case SetupOutcome.Saved saved:
                RebookingResult? result = saved.Affected.Count == 0 ? null
                    : Then == "move" ? await rebooking.MoveAsync(saved.Affected, "the room's set-up changed", ct)
                    : await rebooking.AskAsync(saved.Affected, saved.CustomerReason, ct);
                TempData["Done"] = SetupResults.Describe($"Saved {Form.Name!.Trim()}.", result, Then == "move");
                return Redirect($"/staff/admin/rooms?location={Form.LocationId}");
            case SetupOutcome.Invalid invalid:
                Errors = invalid.Errors;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case SetupOutcome.Confirm confirm:
                Affected = new(confirm.Affected, confirm.ListChanged,
                    "Saving this change leaves these visits outside the room's hours, or the room out of use for them.", "Save", "/staff/admin/rooms");
                if (confirm.ListChanged) Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            case SetupOutcome.Changed changed:
                Problem = "Someone else changed this room while you were editing it, so nothing was saved. Here is how it stands now; make your change again.";
                Form = RoomsForm.From(changed.Current);
                Stamp = RoomsForm.Stamp(changed.Current);
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            default:
                return NotFound();
        }
        await LoadListsAsync(ct);
        return Page();
    }

    private bool TryReadId()
    {
        if (Id == "new") return true;
        if (!Guid.TryParse(Id, out var id)) return false;
        RoomId = id;
        return true;
    }

    private async Task<Resource?> LoadRoomAsync(Guid id, CancellationToken ct) =>
        await db.Resources.AsNoTracking().Include(r => r.Services).Include(r => r.WorkingHours).AsSplitQuery()
            .SingleOrDefaultAsync(r => r.Id == id, ct);

    private async Task LoadListsAsync(CancellationToken ct)
    {
        Locations = await db.Locations.AsNoTracking().OrderBy(l => l.Name).ToListAsync(ct);
        Services = await db.Services.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
    }
}
