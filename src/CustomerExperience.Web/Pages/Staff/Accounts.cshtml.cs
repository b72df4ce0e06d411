using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff;

/// <summary>Admins create staff accounts (there is no self-registration), disable and re-enable them, and lift lockouts.</summary>
[Authorize(Policy = StaffPolicies.Admin)]
public class AccountsModel(AppDbContext db, StaffAccounts accounts, UserManager<StaffUser> users, SignInThrottle throttle, TimeProvider clock) : PageModel
{
    public sealed record Row(string Id, string Email, string Name, string Role, bool Disabled, bool LockedOut, bool TwoFactor, DateTimeOffset CreatedAt)
    {
        public IReadOnlyList<string> WorksAt { get; init; } = [];
    }

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    /// <summary>The latest account changes: who made them, to which account.</summary>
    public IReadOnlyList<AuditEntry> Events { get; private set; } = [];
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public List<Guid> HomeLocations { get; set; } = [];
    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public List<string> Errors { get; } = [];
    [TempData] public string? Done { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || !Email.Contains('@')) Errors.Add("Enter the person's work email.");
        if (string.IsNullOrWhiteSpace(DisplayName)) Errors.Add("Enter the name colleagues know them by.");
        if (Role is null || !StaffRoles.All.Contains(Role)) Errors.Add("Choose a role.");
        if (string.IsNullOrEmpty(Password)) Errors.Add("Enter a first password (at least 12 characters, with upper and lower case and a digit).");
        if (await HomeLocationsProblemAsync(db, ModelState, HomeLocations) is { } places) Errors.Add(places);
        if (Errors.Count == 0)
        {
            var (user, errors) = await accounts.CreateAuditedAsync(Email!, DisplayName!, Role!, Password!, HomeLocations);
            Errors.AddRange(errors);
            if (user is not null)
            {
                Done = $"Account created for {user.DisplayName}. Give them the first password in person: it is temporary, and they choose their own when they first sign in.";
                return RedirectToPage();
            }
        }
        Password = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(string id) => await SetDisabledAsync(id, true);

    public async Task<IActionResult> OnPostEnableAsync(string id) => await SetDisabledAsync(id, false);

    public async Task<IActionResult> OnPostUnlockAsync(string id)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return NotFound();
        await accounts.UnlockAsync(user, HttpContext.RequestAborted);
        Done = $"{user.DisplayName} can sign in again.";
        return RedirectToPage();
    }

    private async Task<IActionResult> SetDisabledAsync(string id, bool disabled)
    {
        if (disabled && id == users.GetUserId(User))
        {
            Errors.Add("You cannot disable your own account.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync();
            return Page();
        }
        if (!await accounts.SetDisabledAsync(id, disabled)) return NotFound();
        Done = disabled ? "Account disabled: it cannot sign in, and open sessions end within a minute." : "Account enabled.";
        return RedirectToPage();
    }

    /// <summary>Null when <paramref name="chosen"/> are real locations, at least one when the clinic has any; otherwise the message.</summary>
    public static async Task<string?> HomeLocationsProblemAsync(AppDbContext db, Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state,
        List<Guid> chosen)
    {
        var known = await db.Locations.Select(l => l.Id).ToListAsync();
        if ((state.TryGetValue(nameof(HomeLocations), out var entry) && entry.Errors.Count > 0) || chosen.Any(id => !known.Contains(id)))
            return "Choose home locations from the list.";
        return known.Count > 0 && chosen.Count == 0 ? "Choose at least one home location: where this person works." : null;
    }

    public static readonly string[] RoleChoices = [StaffRoles.FrontDesk, StaffRoles.Clinician, StaffRoles.Manager, StaffRoles.Admin];

    /// <summary>How a role reads on the accounts pages.</summary>
    public static string RoleLabel(string role) => role switch
    {
        StaffRoles.FrontDesk => "Front desk",
        StaffRoles.Clinician => "Clinician (technologist)",
        _ => role,
    };

    private async Task LoadAsync()
    {
        Locations = await db.Locations.AsNoTracking().OrderBy(l => l.Name).ToListAsync();
        var now = clock.GetUtcNow();
        var lockedOut = await throttle.LockedAccountsAsync(HttpContext.RequestAborted);
        var rows = await (from u in db.Users
                      join ur in db.UserRoles on u.Id equals ur.UserId into roles
                      from ur in roles.DefaultIfEmpty()
                      join r in db.Roles on ur.RoleId equals r.Id into named
                      from r in named.DefaultIfEmpty()
                      orderby u.DisplayName
                      select new Row(u.Id, u.Email!, u.DisplayName, r != null ? r.Name! : "—", u.DisabledAt != null,
                          u.LockoutEnd != null && u.LockoutEnd > now, u.TwoFactorEnabled, u.CreatedAt))
            .ToListAsync();
        var homes = await db.StaffLocations.AsNoTracking().ToListAsync();
        Rows = rows.Select(r => r with
        {
            LockedOut = r.LockedOut || lockedOut.Contains(r.Id),
            WorksAt = Locations.Where(l => homes.Any(h => h.StaffUserId == r.Id && h.LocationId == l.Id)).Select(l => l.Name).ToList(),
        }).ToList();
        Events = await db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith(AuditActions.AccountPrefix))
            .OrderByDescending(e => e.Id).Take(30).ToListAsync();
        // The clinic's zone (its first location's), as on the messages page.
        var zoneId = await db.Locations.OrderBy(l => l.Name).Select(l => l.TimeZoneId).FirstOrDefaultAsync();
        if (zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
            Zone = zone;
    }
}
