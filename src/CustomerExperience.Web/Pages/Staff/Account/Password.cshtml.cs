using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages.Staff.Account;

/// <summary>One's own password, with the current one; the only staff page open while a temporary password is in use.</summary>
public class PasswordModel(UserManager<StaffUser> users, StaffAccounts accounts, StaffSignInManager signIn, SignInThrottle throttle) : PageModel
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    public List<string> Errors { get; } = [];
    [TempData] public string? Done { get; set; }
    public bool MustChange => User.HasClaim(c => c.Type == StaffClaims.MustChangePassword);

    public void OnGet() => Response.Headers.CacheControl = "no-cache, no-store";

    public async Task<IActionResult> OnPostAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        if (string.IsNullOrEmpty(CurrentPassword) || string.IsNullOrEmpty(NewPassword))
            return Refuse("Enter your current password and the new one.");
        if (NewPassword != ConfirmPassword)
            return Refuse("The new password and its repetition differ.");
        if (NewPassword == CurrentPassword)
            return Refuse("Choose a new password, not the current one.");

        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed in without an account.");
        var client = SignInThrottle.ClientOf(HttpContext);
        // The current password is checked against the same per-client count as sign-in, so this form is no way round it.
        if (!await throttle.TryAttemptAsync(user.Id, client, HttpContext.RequestAborted))
            return Refuse("Too many wrong passwords from this device. Wait 15 minutes, or ask an admin to unlock your account.");
        if (!await users.CheckPasswordAsync(user, CurrentPassword))
            return Refuse("That is not your current password.");
        await throttle.SucceededAsync(user.Id, client, HttpContext.RequestAborted);

        var changed = await accounts.ChangePasswordAsync(user, CurrentPassword, NewPassword);
        if (!changed.Succeeded)
            return Refuse(changed.Errors.Select(e => e.Description).ToArray());
        // A changed password gives a new security stamp: renew this session's cookie (which also drops the temporary mark).
        await signIn.RefreshSignInAsync(user);
        Done = "Your password is changed. Other sessions of your account end within a minute.";
        return RedirectToPage();
    }

    private PageResult Refuse(params string[] errors)
    {
        Errors.AddRange(errors);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
