using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages.Staff;

/// <summary>The staff home: where sign-in lands.</summary>
public class IndexModel : PageModel
{
    public void OnGet() { }
}
