using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Accounts;

/// <summary>One staff account: an admin changes its name, home locations or role, or gives it a temporary password.</summary>
[Authorize(Policy = StaffPolicies.Admin)]
public class AccountModel(AppDbContext db, StaffAccounts accounts, UserManager<StaffUser> users) : PageModel
{
    public StaffUser Person { get; private set; } = null!;
    public string CurrentRole { get; private set; } = "";
    public bool IsSelf { get; private set; }
    public List<string> Errors { get; } = [];
    [TempData] public string? Done { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? TemporaryPassword { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public List<Guid> HomeLocations { get; set; } = [];
    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public IReadOnlyCollection<Guid> CurrentHomes { get; private set; } = [];

    public async Task<IActionResult> OnPostDetailsAsync(string id)
    {
        if (!await LoadAsync(id))
            return NotFound();
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DisplayName)) errors.Add("Enter the name colleagues know them by.");
        else if (DisplayName.Trim().Length > 200) errors.Add("Keep the name under 200 characters.");
        if (await AccountsModel.HomeLocationsProblemAsync(db, ModelState, HomeLocations) is { } places) errors.Add(places);
        if (errors.Count > 0)
        {
            CurrentHomes = HomeLocations;
            return Refuse([.. errors]);
        }
        var result = await accounts.ChangeDetailsAsync(Person, DisplayName!, HomeLocations);
        if (!result.Succeeded)
            return Refuse(result.Errors.Select(e => e.Description).ToArray());
        Done = $"Saved: {Person.DisplayName} works at {WorksAt(HomeLocations)}.";
        return RedirectToPage(new { id });
    }

    public string WorksAt(IReadOnlyCollection<Guid> homes) =>
        homes.Count == 0 ? "no location yet" : string.Join(", ", Locations.Where(l => homes.Contains(l.Id)).Select(l => l.Name));

    public async Task<IActionResult> OnGetAsync(string id) => await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRoleAsync(string id)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (IsSelf)
            return Refuse("You cannot change your own role; another admin can.");
        var result = await accounts.ChangeRoleAsync(Person, Role ?? "");
        if (!result.Succeeded)
            return Refuse(result.Errors.Select(e => e.Description).ToArray());
        Done = $"{Person.DisplayName} is now {Role}. They are signed out and see the new role's pages when they sign in again.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostTemporaryPasswordAsync(string id)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (IsSelf)
            return Refuse("Change your own password on your password page.");
        if (string.IsNullOrEmpty(TemporaryPassword))
            return Refuse("Enter a temporary password (at least 12 characters, with upper and lower case and a digit).");
        var result = await accounts.SetTemporaryPasswordAsync(Person, TemporaryPassword, HttpContext.RequestAborted);
        if (!result.Succeeded)
            return Refuse(result.Errors.Select(e => e.Description).ToArray());
        Done = $"Temporary password set. Give it to {Person.DisplayName} in person; they choose their own when they sign in.";
        return RedirectToPage(new { id });
    }

    private PageResult Refuse(params string[] errors)
    {
        Errors.AddRange(errors);
        TemporaryPassword = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(string id)
    {
        if (await users.FindByIdAsync(id) is not { } person)
            return false;
        Person = person;
        CurrentRole = (await users.GetRolesAsync(person)).FirstOrDefault() ?? "—";
        IsSelf = person.Id == users.GetUserId(User);
        Locations = await db.Locations.AsNoTracking().OrderBy(l => l.Name).ToListAsync();
        CurrentHomes = await db.StaffLocations.Where(s => s.StaffUserId == person.Id).Select(s => s.LocationId).ToListAsync();
        return true;
    }
}
