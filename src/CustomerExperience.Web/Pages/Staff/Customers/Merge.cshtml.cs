using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Customers;

/// <summary>Merge <see cref="OtherId"/> into customer <see cref="Id"/>: the GET shows both and what moves, the POST merges.</summary>
[Authorize(Policy = StaffPolicies.Manager)]
public class MergeModel(AppDbContext db, CustomerMerge merge) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true)] public Guid OtherId { get; set; }

    public Customer Kept { get; private set; } = null!;
    public Customer Other { get; private set; } = null!;
    public int OtherVisits { get; private set; }
    public int OtherNotes { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id == OtherId) return Refuse("A customer cannot be merged into itself. Choose two different customers.");
        if (await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == Id, ct) is not { } kept
            || await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == OtherId, ct) is not { } other)
            return NotFound();
        (Kept, Other) = (kept, other);
        OtherVisits = await db.Appointments.CountAsync(a => a.CustomerId == OtherId, ct);
        OtherNotes = await db.CustomerNotes.CountAsync(n => n.CustomerId == OtherId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        switch (await merge.MergeAsync(Id, OtherId, ct))
        {
            case MergeOutcome.Merged merged:
                TempData["Done"] = merged.Summary + ".";
                return Redirect($"/staff/customers/{Id}");
            case MergeOutcome.Refused refused:
                return Refuse(refused.Reason);
            default:
                return NotFound();
        }
    }

    private IActionResult Refuse(string reason)
    {
        Problem = reason;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
