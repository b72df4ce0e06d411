using CustomerExperience.Web.Data;
using CustomerExperience.Web.Delays;
using CustomerExperience.Web.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff;

/// <summary>The front desk posts "running N minutes late" for a location or one room, raises or lowers it, and clears it.</summary>
public class DelaysModel(AppDbContext db, DelayService delays) : PageModel
{
    public sealed record Row(Delay Delay, Location Location, int Emailed)
    {
        public string Place => DelayService.Place(Location, Delay.Resource);
    }

    [BindProperty(SupportsGet = true)] public string? LocationId { get; set; }
    [BindProperty] public string? ResourceId { get; set; }
    [BindProperty] public string? Minutes { get; set; }
    [BindProperty] public string? Message { get; set; }

    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public ILookup<Guid, Resource> Resources { get; private set; } = Array.Empty<Resource>().ToLookup(r => r.LocationId);
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    /// <summary>A problem with one running delay's row (a bad new figure, or it ended meanwhile).</summary>
    public (Guid DelayId, string Message)? RowError { get; private set; }
    [TempData] public string? Done { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await delays.PostAsync(new DelayRequest(LocationId, ResourceId, Minutes, Message), ct);
        if (outcome is DelayOutcome.Done done)
        {
            Done = $"{(done.Updated ? "Updated" : "Posted")}: running {done.Delay.Minutes} minutes late. {Emailed(done.Emailed)}";
            return RedirectToPage();
        }
        Errors = ((DelayOutcome.Invalid)outcome).Errors;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(Guid id, string? newMinutes, CancellationToken ct)
    {
        var outcome = await delays.ChangeAsync(id, newMinutes, ct);
        if (outcome is DelayOutcome.Done done)
        {
            Done = $"Changed to {done.Delay.Minutes} minutes late. {Emailed(done.Emailed)}";
            return RedirectToPage();
        }
        return await RowProblemAsync(id, outcome, ct);
    }

    public async Task<IActionResult> OnPostClearAsync(Guid id, CancellationToken ct)
    {
        var outcome = await delays.ClearAsync(id, ct);
        if (outcome is DelayOutcome.Done)
        {
            Done = "Delay cleared. It no longer shows on visit pages or the waiting-room screen.";
            return RedirectToPage();
        }
        return await RowProblemAsync(id, outcome, ct);
    }

    private async Task<IActionResult> RowProblemAsync(Guid id, DelayOutcome outcome, CancellationToken ct)
    {
        switch (outcome)
        {
            case DelayOutcome.NotFound:
                return NotFound();
            case DelayOutcome.Invalid invalid:
                RowError = (id, invalid.Errors.Values.First());
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            default:
                Errors = new Dictionary<string, string> { ["delay"] = "That delay has already ended. Post a new one if the clinic is still running late." };
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
        }
        await LoadAsync(ct);
        return Page();
    }

    private static string Emailed(int count) => count switch
    {
        0 => "No customers needed an email.",
        1 => "1 customer emailed.",
        _ => $"{count} customers emailed.",
    };

    private async Task LoadAsync(CancellationToken ct)
    {
        Locations = await db.Locations.AsNoTracking().OrderBy(l => l.Name).ToListAsync(ct);
        Resources = (await db.Resources.AsNoTracking().Where(r => r.IsActive).OrderBy(r => r.Name).ToListAsync(ct))
            .ToLookup(r => r.LocationId);

        var running = new List<(Delay Delay, Location Location)>();
        foreach (var location in Locations)
            running.AddRange((await delays.CurrentAtAsync(location, ct)).Select(d => (d, location)));
        var ids = running.Select(r => r.Delay.Id).ToList();
        var emailed = await db.DelayNotices.Where(n => ids.Contains(n.DelayId)).GroupBy(n => n.DelayId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        Rows = running.Select(r => new Row(r.Delay, r.Location, emailed.GetValueOrDefault(r.Delay.Id))).ToList();
    }

    public static string Local(DateTimeOffset instant, Location location) => Messaging.DelayEmails.Time(instant, location);
}
