using System.Security.Claims;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Recovery;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Cases;

/// <summary>Service-recovery cases: open, overdue, mine, resolved, each with its count, for every location or one.</summary>
[Authorize(Policy = StaffPolicies.Manager)]
public class IndexModel(AppDbContext db, CaseQueries queries, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? View { get; set; }
    [BindProperty(SupportsGet = true)] public string? Location { get; set; }

    public CaseView Shown { get; private set; } = CaseView.Open;
    public Location? Place { get; private set; }
    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public IReadOnlyDictionary<CaseView, int> Counts { get; private set; } = new Dictionary<CaseView, int>();
    public IReadOnlyList<CaseRow> Rows { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Locations = await db.Locations.AsNoTracking().OrderBy(l => l.Name).ToListAsync(ct);
        if (!string.IsNullOrEmpty(View))
        {
            if (Enum.TryParse<CaseView>(View, ignoreCase: true, out var view) && Enum.IsDefined(view))
                Shown = view;
            else
                Error = $"\"{View}\" is not a list. Choose open, overdue, mine or resolved.";
        }
        if (!string.IsNullOrEmpty(Location))
        {
            Place = Locations.FirstOrDefault(l => l.Slug == Location);
            if (Place is null) Error = $"There is no location \"{Location}\".";
        }
        if (Error is not null) Response.StatusCode = StatusCodes.Status400BadRequest;

        var me = User.FindFirstValue(ClaimTypes.NameIdentifier);
        Now = clock.GetUtcNow();
        Counts = await queries.CountsAsync(me, Place?.Id, ct);
        Rows = await queries.ListAsync(Shown, me, Place?.Id, ct);
        return Page();
    }

    public string Link(CaseView view) =>
        $"/staff/cases?view={view.ToString().ToLowerInvariant()}" + (Place is null ? "" : $"&location={Uri.EscapeDataString(Place.Slug)}");

    /// <summary>The insights export of cases, for the last year at the location shown.</summary>
    public string ExportLink => "/staff/insights?handler=cases&period=year" + (Place is null ? "" : $"&location={Place.Id}");

    public static string Label(CaseView view) => view switch
    {
        CaseView.Open => "Open",
        CaseView.Overdue => "Overdue",
        CaseView.Mine => "Mine",
        _ => "Resolved",
    };

    public static string StatusLabel(CaseStatus status) => status switch
    {
        CaseStatus.Open => "Open",
        CaseStatus.Contacted => "Contacted",
        _ => "Resolved",
    };
}
