using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages.Staff.Admin.Services;

[Authorize(Policy = StaffPolicies.Admin)]
public class NewModel(ServiceSettings settings) : PageModel
{
    [BindProperty] public ServiceForm Form { get; set; } = ServiceForm.New();
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        switch (await settings.CreateAsync(Form, ct))
        {
            case PlacesSave.Saved saved:
                TempData["Done"] = $"Added {saved.Name}. Next: choose the rooms or machines that perform it, so it can be booked.";
                return RedirectToPage("Index");
            case PlacesSave.Invalid invalid:
                Errors = invalid.Errors;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                throw new InvalidOperationException("Creating a service can only succeed or be refused.");
        }
    }
}
