using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CustomerExperience.Web.Pages.Account;

/// <summary>Staff sign-in. There is no registration: admins create accounts.</summary>
[EnableRateLimiting(WebSecurity.PublicFormPolicy)]
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
        var result = await signIn.SignInWithPasswordAsync(Email.Trim(), Password, SignInThrottle.ClientOf(HttpContext), HttpContext.RequestAborted);
        if (result.Succeeded)
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        if (result.RequiresTwoFactor)
            return RedirectToPage("TwoFactor", new { returnUrl = SafeReturnUrl(ReturnUrl) });
        // One answer for every refusal (unknown, wrong, disabled, locked), so the form cannot be used to find accounts.
        return Fail(Refused);
    }

    public const string Refused = "That email and password did not sign you in. Check them and try again; "
        + "after several tries, wait 15 minutes or ask an admin to check your account.";

    private PageResult Fail(string error)
    {
        Error = error;
        Password = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>
    /// Only this site's own pages: a sign-in link must not bounce staff to somebody else's site. Control characters are
    /// refused too (browsers drop a tab or line break, so "/\t/evil.example" leads off the site), as LocalRedirect would.
    /// </summary>
    public static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") && !url.Any(char.IsControl)
            ? url : "/staff";
}
