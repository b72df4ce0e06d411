using CustomerExperience.Web.Customers;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages.Staff.Customers;

/// <summary>Customers that may be one person, for staff to check and, for managers, merge.</summary>
public class DuplicatesModel(CustomerDuplicates duplicates) : PageModel
{
    public IReadOnlyList<DuplicateGroup> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Groups = await duplicates.FindAsync(ct);
}
