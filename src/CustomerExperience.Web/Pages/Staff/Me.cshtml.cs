using CustomerExperience.Web.Data;
using CustomerExperience.Web.Insights;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff;

/// <summary>
/// "My scores": the signed-in staff member's own figures, goals and kudos. The staff filter is always the signed-in
/// account, never a query value, so nobody can read a colleague's figures here.
/// </summary>
[Authorize(Policy = StaffPolicies.Staff)]
public class MeModel(AppDbContext db, InsightsQueries queries, Goals goals, Audit audit, TimeProvider clock) : PageModel
{
    public const int KudosShown = 20;

    public static readonly (string Value, string Label, int Days)[] Presets =
        [("4w", "Last 4 weeks", 28), ("13w", "Last 13 weeks", 91), ("52w", "Last 52 weeks", 364)];

    [BindProperty(SupportsGet = true)] public string? Period { get; set; }

    public InsightsFilter Filter { get; private set; } = null!;
    public int MinResponses => queries.MinResponses;
    public Satisfaction Mine { get; private set; } = null!;
    public IReadOnlyList<GoalProgress> MyGoals { get; private set; } = [];
    public Paged<CommentRow> Kudos { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Request.Query.ContainsKey("staffId") || Request.Query.ContainsKey("staff"))
            return BadRequest("staffId: My scores shows only your own figures; managers see anyone's on Insights.");
        Period = string.IsNullOrEmpty(Period) ? "13w" : Period;
        var preset = Presets.FirstOrDefault(p => p.Value == Period);
        if (preset.Value is null) return BadRequest("period: choose the last 4, 13 or 52 weeks.");

        var me = audit.CurrentStaff().Id;
        var homes = await db.StaffLocations.AsNoTracking().Where(s => s.StaffUserId == me).Select(s => s.LocationId).ToListAsync(ct);
        // "Today" at their (first) home location, else at the clinic's first location.
        var zoneId = await db.Locations.AsNoTracking().OrderBy(l => homes.Contains(l.Id) ? 0 : 1).ThenBy(l => l.Name)
            .Select(l => l.TimeZoneId).FirstOrDefaultAsync(ct);
        var zone = zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var z) ? z : TimeZoneInfo.Utc;
        var today = Domain.Location.DateIn(zone, clock.GetUtcNow());

        Filter = new InsightsFilter(today.AddDays(1 - preset.Days), today, StaffId: me);
        Mine = await queries.SatisfactionAsync(Filter, ct);
        Kudos = await queries.CommentsAsync(Filter, null, 1, KudosShown, ct, praiseOnly: true);
        // Their own goals, and the organisation's and their home locations' (figures of a place, not of a colleague).
        var inForce = await db.Goals.AsNoTracking()
            .Where(g => g.From <= today && g.To >= today)
            .Where(g => g.StaffUserId == me || (g.StaffUserId == null && (g.LocationId == null || homes.Contains(g.LocationId.Value))))
            .OrderBy(g => g.StaffUserId == null).ThenBy(g => g.Metric).ThenBy(g => g.From).ToListAsync(ct);
        MyGoals = await goals.ProgressAsync(inForce, today, ct);
        return Page();
    }
}
