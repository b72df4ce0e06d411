using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CustomerExperience.Web.Pages.Account;

/// <summary>Staff sign-in. There is no registration: admins create accounts.</summary>
[EnableRateLimiting(WebSecurity.PublicWritePolicy)]
public class SignInModel(StaffSignInManager signIn) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet() => Response.Headers.CacheControl = "no-cache, no-store";

    public async Task<IActionResult> OnPostAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
            return Fail("Enter your email and password.");

        // A new session: whatever cookie came with the request is dropped before the new one is issued.
        await signIn.SignOutAsync();
        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        if (result.RequiresTwoFactor)
            return RedirectToPage("TwoFactor", new { returnUrl = SafeReturnUrl(ReturnUrl) });
        if (result.IsLockedOut)
            return Fail("This account is locked for 15 minutes after too many failed sign-ins. An admin can unlock it sooner.");
        if (result.IsNotAllowed)
            return Fail("This account is disabled. Ask an admin if you need access again.");
        return Fail("That email and password do not match an account.");
    }

    private PageResult Fail(string error)
    {
        Error = error;
        Password = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>Only this site's own pages: a sign-in link must not bounce staff to somebody else's site.</summary>
    public static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/staff";
}
