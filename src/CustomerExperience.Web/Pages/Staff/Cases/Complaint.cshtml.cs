using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Recovery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Cases;

/// <summary>
/// "Log a complaint" from the visit panel or the customer page, for any staff member: opens a case (its owner is emailed)
/// and goes back where it came from. The form itself is the partial _LogComplaint; this page shows it again with the
/// problem when the input was wrong.
/// </summary>
public class ComplaintModel(AppDbContext db, ServiceRecovery recovery) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid CustomerId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? VisitId { get; set; }
    [BindProperty] public string? WhatHappened { get; set; }
    [BindProperty] public string? Category { get; set; }

    public Customer Customer { get; private set; } = null!;
    public (string Field, string Message)? Invalid { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        switch (await recovery.OpenComplaintAsync(CustomerId, VisitId, WhatHappened, Category, ct))
        {
            case ComplaintOutcome.Opened opened:
                var alerted = opened.Alerted.Count == 0 ? "nobody could be emailed: tell a manager"
                    : $"{string.Join(", ", opened.Alerted.Select(r => r.Name))} {(opened.Alerted.Count == 1 ? "has" : "have")} been emailed";
                TempData["Done"] = $"Complaint logged as case {opened.Case.Number}; {alerted}.";
                return Redirect(VisitId is { } visit ? $"/staff/visits/{visit}" : $"/staff/customers/{CustomerId}");
            case ComplaintOutcome.Invalid invalid:
                if (!await LoadAsync(ct)) return NotFound();
                Invalid = (invalid.Field, invalid.Message);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                return NotFound();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == CustomerId, ct) is not { } customer) return false;
        Customer = customer;
        return VisitId is null || await db.Appointments.AnyAsync(a => a.Id == VisitId && a.CustomerId == CustomerId, ct);
    }
}
