using System.Globalization;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Insights;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Insights;

/// <summary>Managers and admins set targets ("explained each step" top-box ≥ 90 % at Riverside this quarter) and remove them.</summary>
[Authorize(Policy = StaffPolicies.Manager)]
public class GoalsModel(AppDbContext db, InsightsQueries queries, Goals goals, Audit audit, TimeProvider clock) : PageModel
{
    public const int MaxDays = 3 * 366;

    [BindProperty] public string? Metric { get; set; }
    [BindProperty] public string? Question { get; set; }
    [BindProperty] public string? Location { get; set; }
    [BindProperty] public string? Staff { get; set; }
    [BindProperty] public string? Target { get; set; }
    [BindProperty] public string? From { get; set; }
    [BindProperty] public string? To { get; set; }
    [TempData] public string? Done { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<GoalProgress> All { get; private set; } = [];
    public IReadOnlyList<SurveyQuestion> Questions { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Locations { get; private set; } = [];
    public IReadOnlyList<(string Id, string Name)> StaffMembers { get; private set; } = [];
    public DateOnly Today { get; private set; }

    public string? Error(string field) => Errors.GetValueOrDefault(field);

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        From ??= Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        To ??= Today.AddMonths(3).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var goal = Validate();
        if (goal is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        goal.CreatedById = audit.CurrentStaff().Id;
        db.Goals.Add(goal);
        audit.Record(AuditActions.GoalSet, Describe(goal));
        await db.SaveChangesAsync(ct);
        Done = "Goal set: " + Describe(goal);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        var goal = await db.Goals.FirstOrDefaultAsync(g => g.Id == id, ct);
        if (goal is null) return NotFound();
        await LoadAsync(ct);
        db.Goals.Remove(goal);
        audit.Record(AuditActions.GoalDeleted, Describe(goal));
        await db.SaveChangesAsync(ct);
        Done = "Goal removed: " + Describe(goal);
        return RedirectToPage();
    }

    private string Describe(Goal goal)
    {
        var scope = goal.LocationId is { } l ? Locations.FirstOrDefault(x => x.Id == l).Name
            : goal.StaffUserId is { } s ? StaffMembers.FirstOrDefault(x => x.Id == s).Name : "the organisation";
        var question = goal.QuestionKey is null ? null : Questions.FirstOrDefault(q => q.Key == goal.QuestionKey)?.Text;
        var target = goal.Target.ToString("0.#", CultureInfo.InvariantCulture) + (goal.Metric == GoalMetric.Nps ? "" : " %");
        return $"{Goals.MetricName(goal.Metric, question)} {(goal.LowerIsBetter ? "≤" : "≥")} {target} for {scope}, {goal.From:yyyy-MM-dd} to {goal.To:yyyy-MM-dd}";
    }

    private Goal? Validate()
    {
        GoalMetric metric = default;
        if (string.IsNullOrEmpty(Metric) || !Enum.TryParse(Metric, out metric) || !Enum.IsDefined(metric))
            Errors["metric"] = "Choose what the goal measures.";
        string? question = null;
        if (metric == GoalMetric.QuestionTopBox && Errors.Count == 0)
        {
            if (Questions.All(q => q.Key != Question)) Errors["question"] = "Choose the question whose top-box the goal is about.";
            else question = Question;
        }
        Guid? location = null;
        if (!string.IsNullOrEmpty(Location))
        {
            if (!Guid.TryParse(Location, out var l) || Locations.All(x => x.Id != l)) Errors["location"] = "That location does not exist.";
            else location = l;
        }
        string? staff = null;
        if (!string.IsNullOrEmpty(Staff))
        {
            if (StaffMembers.All(x => x.Id != Staff)) Errors["staff"] = "That staff member does not exist.";
            else staff = Staff;
        }
        if (location is not null && staff is not null) Errors["staff"] = "A goal is for a location or a staff member, not both.";
        var (min, max) = metric == GoalMetric.Nps ? (-100m, 100m) : (0m, 100m);
        if (!decimal.TryParse(Target, NumberStyles.Number, CultureInfo.InvariantCulture, out var target) || target < min || target > max
            || decimal.Round(target, 1) != target)
            Errors["target"] = $"Give the target as a number from {min} to {max} (one decimal at most).";
        if (!DateOnly.TryParseExact(From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from))
            Errors["from"] = "Give the first day as a date (YYYY-MM-DD).";
        if (!DateOnly.TryParseExact(To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
            Errors["to"] = "Give the last day as a date (YYYY-MM-DD).";
        else if (!Errors.ContainsKey("from") && to < from) Errors["to"] = "The last day must not be before the first.";
        else if (!Errors.ContainsKey("from") && to.DayNumber - from.DayNumber + 1 > MaxDays) Errors["to"] = "A goal spans at most three years.";
        if (Errors.Count > 0) return null;
        return new Goal
        {
            Id = Guid.CreateVersion7(), Metric = metric, QuestionKey = question, LocationId = location, StaffUserId = staff,
            Target = target, From = from, To = to, CreatedAt = clock.GetUtcNow(), CreatedById = "",
        };
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var locations = await db.Locations.AsNoTracking().OrderBy(l => l.Name).Select(l => new { l.Id, l.Name, l.TimeZoneId }).ToListAsync(ct);
        Locations = locations.ConvertAll(l => (l.Id, l.Name));
        StaffMembers = (await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct))
            .ConvertAll(u => (u.Id, u.DisplayName));
        Questions = await queries.CurrentQuestionsAsync(ct);
        var zone = locations.Count > 0 && TimeZoneInfo.TryFindSystemTimeZoneById(locations[0].TimeZoneId, out var z) ? z : TimeZoneInfo.Utc;
        Today = Domain.Location.DateIn(zone, clock.GetUtcNow());
        var list = await db.Goals.AsNoTracking().OrderByDescending(g => g.To).ThenBy(g => g.Metric).Take(200).ToListAsync(ct);
        All = await goals.ProgressAsync(list, Today, ct);
    }
}
