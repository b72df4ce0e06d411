using System.Globalization;
using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Insights;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Insights;

/// <summary>
/// Satisfaction and loyalty at a glance for managers: every figure from <see cref="InsightsQueries"/>, filtered by a
/// GET form (so a view can be bookmarked and shared), each with the change against the period before.
/// </summary>
[Authorize(Policy = StaffPolicies.Manager)]
public class IndexModel(AppDbContext db, InsightsQueries queries, InsightsExport export, Goals goals, Audit audit, TimeProvider clock) : PageModel
{
    public const int PageSize = 20;
    public const int MaxNote = 2000;
    public const int MaxDays = 3 * 366;

    public static readonly (string Value, string Label, int Days)[] Presets =
        [("4w", "Last 4 weeks", 28), ("quarter", "Last quarter (13 weeks)", 91), ("year", "Last year (52 weeks)", 364), ("custom", "Custom dates", 0)];

    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Location { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Service { get; set; }
    [BindProperty(SupportsGet = true)] public string? Staff { get; set; }
    [BindProperty(SupportsGet = true)] public string? Channel { get; set; }
    [BindProperty(SupportsGet = true)] public int? Weeks { get; set; }
    [BindProperty(SupportsGet = true)] public string? Trend { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cause { get; set; }
    [BindProperty(SupportsGet = true)] public int LapsedPage { get; set; } = 1;
    [BindProperty(SupportsGet = true)] public int CommentsPage { get; set; } = 1;
    [TempData] public string? Done { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public InsightsFilter Filter { get; private set; } = null!;
    public int MinResponses => queries.MinResponses;
    public Satisfaction Now { get; private set; } = null!;
    public Satisfaction Before { get; private set; } = null!;
    public double? MedianSecondsNow { get; private set; }
    public double? MedianSecondsBefore { get; private set; }
    public IReadOnlyList<TrendWeek> TrendWeeks { get; private set; } = [];
    public string TrendLabel { get; private set; } = "Overall top-box";
    public IReadOnlyList<StaffFigure> StaffFigures { get; private set; } = [];
    public Loyalty LoyaltyNow { get; private set; } = null!;
    public Loyalty LoyaltyBefore { get; private set; } = null!;
    public Paged<LapsedCustomer> Lapsed { get; private set; } = null!;
    public RecoveryFigures Recovery { get; private set; } = null!;
    public Paged<CommentRow> Comments { get; private set; } = null!;
    public IReadOnlyList<GoalProgress> GoalsInForce { get; private set; } = [];
    public IReadOnlyList<SurveyQuestion> Questions { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Locations { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Services { get; private set; } = [];
    public IReadOnlyList<(string Id, string Name)> StaffMembers { get; private set; } = [];
    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadChoicesAsync(ct);
        Filter = ReadFilter();
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await LoadFiguresAsync(ct);
        return Page();
    }

    /// <summary>The survey responses of the filters in force as CSV (handler=responses).</summary>
    public Task<IActionResult> OnGetResponsesAsync(CancellationToken ct) =>
        CsvAsync("responses", (body, filter, withContacts) => export.WriteResponsesAsync(body, filter, withContacts, ct), ct);

    /// <summary>The recovery cases opened in the period of the filters in force as CSV (handler=cases).</summary>
    public Task<IActionResult> OnGetCasesAsync(CancellationToken ct) =>
        CsvAsync("cases", (body, filter, withContacts) => export.WriteCasesAsync(body, filter, withContacts, ct), ct);

    private async Task<IActionResult> CsvAsync(string what, Func<Stream, InsightsFilter, bool, Task> write, CancellationToken ct)
    {
        await LoadChoicesAsync(ct);
        Filter = ReadFilter();
        if (Errors.Count > 0)
            return BadRequest(string.Join(Environment.NewLine, Errors.Select(e => $"{e.Key}: {e.Value}")));
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"{InsightsExport.FileName(what, Filter)}\"";
        // Customers' names and contact details may be in it: never kept by a browser or proxy cache.
        Response.Headers.CacheControl = "no-store";
        await write(Response.Body, Filter, User.IsInRole(StaffRoles.Admin));
        return new EmptyResult();
    }

    /// <summary>The link that downloads the CSV of <paramref name="what"/> ("responses" or "cases") for the filters in force.</summary>
    public string ExportLink(string what) => With(("handler", what), ("lapsedPage", null), ("commentsPage", null));

    /// <summary>"Called — note": the call goes on the customer's timeline as a note, like any note staff add.</summary>
    public async Task<IActionResult> OnPostCalledAsync(Guid customerId, Guid serviceId, string? note, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => new { c.Id, c.FullName }).FirstOrDefaultAsync(ct);
        var service = await db.Services.AsNoTracking().Where(s => s.Id == serviceId).Select(s => s.Name).FirstOrDefaultAsync(ct);
        if (customer is null || service is null) return NotFound();
        note = note?.Trim();
        if (string.IsNullOrEmpty(note) || note.Length > MaxNote)
            return BadRequest($"note: write what came of the call (1–{MaxNote} characters).");

        var (staffId, staffName) = audit.CurrentStaff();
        var text = $"Called about their overdue {service}: {note}";
        db.CustomerNotes.Add(new CustomerNote
        {
            Id = Guid.CreateVersion7(), CustomerId = customer.Id, Text = text, CreatedAt = clock.GetUtcNow(), CreatedById = staffId, CreatedBy = staffName,
        });
        audit.Record(AuditActions.NoteAdded, $"Added a note: {CustomerProfile.Quote(text)}", customer.Id);
        await db.SaveChangesAsync(ct);
        Done = $"Noted on {customer.FullName}'s timeline.";
        return Redirect(Request.Path + QueryString.Create(Request.Query.Where(q => q.Key != "handler")).Value + "#lapsed");
    }

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        var locations = await db.Locations.AsNoTracking().OrderBy(l => l.Name).Select(l => new { l.Id, l.Name, l.TimeZoneId }).ToListAsync(ct);
        Locations = locations.ConvertAll(l => (l.Id, l.Name));
        Services = (await db.Services.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync(ct)).ConvertAll(s => (s.Id, s.Name));
        StaffMembers = (await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct))
            .ConvertAll(u => (u.Id, u.DisplayName));
        Questions = await queries.CurrentQuestionsAsync(ct);
        // "Today" at the chosen location, else at the clinic's first location (one clinic runs in one zone in practice).
        var zoneId = locations.FirstOrDefault(l => l.Id == Location)?.TimeZoneId ?? locations.FirstOrDefault()?.TimeZoneId;
        var zone = zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var z) ? z : TimeZoneInfo.Utc;
        Today = Domain.Location.DateIn(zone, clock.GetUtcNow());
    }

    private InsightsFilter ReadFilter()
    {
        Period = string.IsNullOrEmpty(Period) ? "4w" : Period;
        var preset = Presets.FirstOrDefault(p => p.Value == Period);
        DateOnly from = Today.AddDays(-27), to = Today;
        if (preset.Value is null)
            Errors["period"] = "Choose a period: last 4 weeks, quarter, year or custom dates.";
        else if (preset.Value == "custom")
        {
            if (!DateOnly.TryParseExact(From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out from))
                Errors["from"] = "Give the first day as a date (YYYY-MM-DD).";
            if (!DateOnly.TryParseExact(To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out to))
                Errors["to"] = "Give the last day as a date (YYYY-MM-DD).";
            if (Errors.Count == 0 && from > to)
                Errors["to"] = "The last day must not be before the first.";
            else if (Errors.Count == 0 && to.DayNumber - from.DayNumber + 1 > MaxDays)
                Errors["from"] = "Choose at most three years.";
        }
        else
            (from, to) = (Today.AddDays(1 - preset.Days), Today);
        if (Errors.Count == 0)
            (From, To) = (from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        if (Location is { } l && Locations.All(x => x.Id != l)) Errors["location"] = "That location does not exist.";
        if (Service is { } s && Services.All(x => x.Id != s)) Errors["service"] = "That service does not exist.";
        if (!string.IsNullOrEmpty(Staff) && StaffMembers.All(x => x.Id != Staff)) Errors["staff"] = "That staff member does not exist.";
        SurveyChannel? channel = null;
        if (!string.IsNullOrEmpty(Channel))
        {
            if (Enum.TryParse<SurveyChannel>(Channel, ignoreCase: true, out var c) && Enum.IsDefined(c)) channel = c;
            else Errors["channel"] = "Choose the kiosk or email channel.";
        }
        Weeks ??= 12;
        if (Weeks is not (12 or 52)) Errors["weeks"] = "Show the trend over 12 or 52 weeks.";
        if (!string.IsNullOrEmpty(Trend) && Questions.All(q => q.Key != Trend)) Errors["trend"] = "That question is not in the survey.";
        if (!string.IsNullOrEmpty(Cause) && (!Enum.TryParse<RootCause>(Cause, out var rc) || !Enum.IsDefined(rc))) Errors["cause"] = "That is not a root cause.";
        if (LapsedPage < 1) Errors["lapsedPage"] = "Pages start at 1.";
        if (CommentsPage < 1) Errors["commentsPage"] = "Pages start at 1.";
        return new InsightsFilter(from, to, Location, Service, string.IsNullOrEmpty(Staff) ? null : Staff, channel);
    }

    private async Task LoadFiguresAsync(CancellationToken ct)
    {
        Now = await queries.SatisfactionAsync(Filter, ct);
        Before = await queries.SatisfactionAsync(Filter.Previous(), ct);
        MedianSecondsNow = await queries.MedianSecondsAsync(Filter, ct);
        MedianSecondsBefore = await queries.MedianSecondsAsync(Filter.Previous(), ct);
        var trendQuestion = string.IsNullOrEmpty(Trend) ? null : Trend;
        TrendWeeks = await queries.TrendAsync(Filter, Weeks!.Value, trendQuestion, ct);
        if (trendQuestion is not null) TrendLabel = "Top-box: " + Questions.First(q => q.Key == trendQuestion).Text;
        StaffFigures = await queries.StaffAsync(Filter, ct);
        LoyaltyNow = await queries.LoyaltyAsync(Filter, ct);
        LoyaltyBefore = await queries.LoyaltyAsync(Filter.Previous(), ct);
        Lapsed = await queries.LapsedAsync(Filter, LapsedPage, PageSize, ct);
        Recovery = await queries.RecoveryAsync(Filter, ct);
        Comments = await queries.CommentsAsync(Filter, string.IsNullOrEmpty(Cause) ? null : Enum.Parse<RootCause>(Cause), CommentsPage, PageSize, ct);
        GoalsInForce = await goals.InForceAsync(Today, ct);
    }

    public string? Error(string field) => Errors.GetValueOrDefault(field);

    /// <summary>The current query string with some values replaced (paging, trend links).</summary>
    public string With(params (string Key, string? Value)[] changes)
    {
        var query = Request.Query.Where(q => q.Key != "handler").ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in changes) query[key] = value;
        return "/staff/insights" + QueryString.Create(query.Where(q => !string.IsNullOrEmpty(q.Value))).Value;
    }
}
