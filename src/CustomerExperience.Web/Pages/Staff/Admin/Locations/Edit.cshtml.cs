using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Admin.Locations;

/// <summary>One location: change its details, deactivate it (kept with its history, off /book) or reactivate it.</summary>
[Authorize(Policy = StaffPolicies.Admin)]
public class EditModel(AppDbContext db, LocationSettings settings) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public LocationForm Form { get; set; } = new();
    /// <summary>The row version the form was made from.</summary>
    [BindProperty] public uint Version { get; set; }
    public Location Location { get; private set; } = null!;
    public IReadOnlyList<(string Id, string Name)> Managers { get; private set; } = [];
    public int UpcomingVisits { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public string? ChangedMeanwhile { get; private set; }
    [TempData] public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Form = LocationForm.From(Location);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct) =>
        await AnswerAsync(await settings.UpdateAsync(Id, Version, Form, ct), "Saved", keepForm: true, ct);

    public async Task<IActionResult> OnPostDeactivateAsync(CancellationToken ct) =>
        await AnswerAsync(await settings.SetActiveAsync(Id, Version, active: false, ct), "Deactivated: it is no longer offered for booking; its visits and answers are kept", keepForm: false, ct);

    public async Task<IActionResult> OnPostActivateAsync(CancellationToken ct) =>
        await AnswerAsync(await settings.SetActiveAsync(Id, Version, active: true, ct), "Reactivated: it is offered for booking again", keepForm: false, ct);

    private async Task<IActionResult> AnswerAsync(PlacesSave outcome, string done, bool keepForm, CancellationToken ct)
    {
        // What was just saved, or refused, is read afresh: the form goes on from the row as it is now.
        db.ChangeTracker.Clear();
        if (outcome is PlacesSave.NotFound || !await LoadAsync(ct)) return NotFound();
        switch (outcome)
        {
            case PlacesSave.Saved saved:
                Done = $"{saved.Name}: {done}.";
                return RedirectToPage(new { id = Id });
            case PlacesSave.Invalid invalid:
                Errors = invalid.Errors;
                if (!keepForm) Form = LocationForm.From(Location);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                ChangedMeanwhile = "Someone changed this location after you opened the page, so nothing was saved. The form now shows what is saved; make your change again.";
                Form = LocationForm.From(Location);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await db.Locations.AsNoTracking().FirstOrDefaultAsync(l => l.Id == Id, ct) is not { } location) return false;
        Location = location;
        Version = location.Version;
        var managers = (await settings.RecoveryManagersAsync(Id, ct)).ToList();
        if (location.ServiceRecoveryManagerId is { } current && managers.All(m => m.Id != current)
            && await db.Users.Where(u => u.Id == current).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) is { } name)
            managers.Insert(0, (current, $"{name} (no longer a manager here)"));
        Managers = managers;
        UpcomingVisits = await settings.UpcomingVisitsAsync(Id, ct);
        return true;
    }
}
