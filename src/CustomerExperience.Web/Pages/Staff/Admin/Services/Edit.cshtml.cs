using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Admin.Services;

/// <summary>One service: change it, deactivate it (off booking and recalls, history and booked visits kept) or reactivate it.</summary>
[Authorize(Policy = StaffPolicies.Admin)]
public class EditModel(AppDbContext db, ServiceSettings settings) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public ServiceForm Form { get; set; } = new();
    /// <summary>The row version the form was made from.</summary>
    [BindProperty] public uint Version { get; set; }
    public Service Service { get; private set; } = null!;
    public int UpcomingVisits { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public string? ChangedMeanwhile { get; private set; }
    [TempData] public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Form = ServiceForm.From(Service);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct) =>
        await AnswerAsync(await settings.UpdateAsync(Id, Version, Form, ct), "Saved", ct);

    public async Task<IActionResult> OnPostDeactivateAsync(CancellationToken ct) =>
        await AnswerAsync(await settings.SetActiveAsync(Id, Version, active: false, ct),
            "Deactivated: it is no longer offered for booking or in recalls; visits already booked stay booked", ct);

    public async Task<IActionResult> OnPostActivateAsync(CancellationToken ct) =>
        await AnswerAsync(await settings.SetActiveAsync(Id, Version, active: true, ct), "Reactivated: it is offered for booking again", ct);

    private async Task<IActionResult> AnswerAsync(PlacesSave outcome, string done, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        if (outcome is PlacesSave.NotFound || !await LoadAsync(ct)) return NotFound();
        switch (outcome)
        {
            case PlacesSave.Saved saved:
                Done = $"{saved.Name}: {done}.";
                return RedirectToPage(new { id = Id });
            case PlacesSave.Invalid invalid:
                Errors = invalid.Errors;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                ChangedMeanwhile = "Someone changed this service after you opened the page, so nothing was saved. The form now shows what is saved; make your change again.";
                Form = ServiceForm.From(Service);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Id == Id, ct) is not { } service) return false;
        Service = service;
        Version = service.Version;
        UpcomingVisits = await settings.UpcomingVisitsAsync(Id, ct);
        return true;
    }
}
