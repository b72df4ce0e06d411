using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CustomerExperience.Web.Pages.Account;

/// <summary>Second step of sign-in for accounts with an authenticator app: a 6-digit code or a recovery code.</summary>
[EnableRateLimiting(WebSecurity.PublicFormPolicy)]
public class TwoFactorModel(StaffSignInManager signIn) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("SignIn") : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
            return RedirectToPage("SignIn");
        var code = (Code ?? "").Replace(" ", "").Trim();
        if (code.Length == 0)
            return Fail("Enter the 6-digit code from your authenticator app.");

        var result = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.Succeeded)
            return LocalRedirect(SignInModel.SafeReturnUrl(ReturnUrl));
        if (result.IsLockedOut)
            return Fail("This account is locked for 15 minutes after too many failed attempts.");
        return Fail("That code is not valid. Codes change every 30 seconds; try the current one.");
    }

    private PageResult Fail(string error)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
