using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages.Account;

/// <summary>POST only (with antiforgery), so a link or an image cannot sign staff out.</summary>
public class SignOutModel(StaffSignInManager signIn) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("SignIn");

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return RedirectToPage("SignIn");
    }
}
