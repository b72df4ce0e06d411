using System.Globalization;
using System.Security.Claims;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Delays;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.FrontDesk;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff;

/// <summary>
/// The front desk's day at one location: a column per room or machine with its visits in time order, in the
/// location's own time zone, with check-in, complete and no-show buttons. Today by default; the location is the
/// first one unless the query names another (by slug or id), and every link on the page keeps it.
/// </summary>
public class ScheduleModel(AppDbContext db, DelayService delays, CareTeam careTeam, TimeProvider clock) : PageModel
{
    public sealed record Column(Resource Resource, string Hours, IReadOnlyList<Appointment> Visits);

    [BindProperty(SupportsGet = true, Name = "location")] public string? LocationText { get; set; }
    [BindProperty(SupportsGet = true, Name = "date")] public string? DateText { get; set; }
    [TempData] public string? Done { get; set; }

    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public Location? Location { get; private set; }
    public DateOnly Date { get; private set; }
    public DateOnly Today { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public IReadOnlyList<Column> Columns { get; private set; } = [];
    /// <summary>Today's running delays at the location, so the desk sees what customers are being told.</summary>
    public IReadOnlyList<Delay> Delays { get; private set; } = [];
    public string? Problem { get; private set; }
    /// <summary>"Clocks go back an hour today" on the two days a year the zone changes its offset.</summary>
    public string? ClockChange { get; private set; }
    /// <summary>Each visit's performer picker: the location's staff, the visit's performer selected, else the signed-in user.</summary>
    public Func<Appointment, PerformerPicker> Picker { get; private set; } = null!;

    /// <summary>The schedule only answers GET; anything else (a forged or stale form) is a bad request, not an empty page.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is null) context.Result = BadRequest();
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Locations = await db.Locations.AsNoTracking().Include(l => l.Closures).OrderBy(l => l.Name).ToListAsync(ct);
        if (Locations.Count == 0)
        {
            Problem = "No locations are set up yet, so there is no schedule to show.";
            return Page();
        }

        Location = string.IsNullOrWhiteSpace(LocationText)
            ? Locations[0]
            : Locations.FirstOrDefault(l => string.Equals(l.Slug, LocationText.Trim(), StringComparison.OrdinalIgnoreCase)
                                            || (Guid.TryParse(LocationText, out var id) && l.Id == id));
        if (Location is null)
        {
            Problem = "There is no such location. Choose one from the list.";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        Now = clock.GetUtcNow();
        Today = LocalDate(Now);
        if (DateText is null)
            Date = Today;
        else if (DateOnly.TryParseExact(DateText.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                 && date.Year is > 1900 and < 9999)
            Date = date;
        else
        {
            Problem = "That is not a date. Use the date picker, or a date like 2026-11-30.";
            Date = Today;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var location = Location!;
        var zone = location.TimeZone;
        var dayStart = AvailabilityCalculator.ToInstant(zone, Date, TimeOnly.MinValue, earliest: true);
        var dayEnd = AvailabilityCalculator.ToInstant(zone, Date.AddDays(1), TimeOnly.MinValue, earliest: true);
        if (dayStart.Offset != dayEnd.Offset)
            ClockChange = dayEnd.Offset < dayStart.Offset
                ? "Clocks go back an hour today: the day has 25 hours."
                : "Clocks go forward an hour today: the day has 23 hours.";

        var visits = await db.Appointments.AsNoTracking()
            .Include(a => a.Customer).Include(a => a.Service)
            .Where(a => a.LocationId == location.Id && a.Start >= dayStart.ToUniversalTime() && a.Start < dayEnd.ToUniversalTime())
            .OrderBy(a => a.Start)
            .ToListAsync(ct);
        foreach (var visit in visits) visit.Location = location;
        Picker = await careTeam.PickersAsync(location.Id, visits, User.FindFirstValue(ClaimTypes.NameIdentifier)!, ct);

        var busyIds = visits.Select(v => v.ResourceId).Distinct().ToList();
        var resources = await db.Resources.AsNoTracking()
            .Include(r => r.WorkingHours).Include(r => r.Closures)
            .Where(r => r.LocationId == location.Id && (r.IsActive || busyIds.Contains(r.Id)))
            .OrderBy(r => r.Name)
            .AsSplitQuery()
            .ToListAsync(ct);
        var closed = location.Closures.FirstOrDefault(c => c.From <= Date && Date <= c.To);

        if (Date == Today)
            Delays = await delays.CurrentAtAsync(location, ct);
        Columns = resources.Select(r => new Column(r, Hours(r, closed), visits.Where(v => v.ResourceId == r.Id).ToList())).ToList();
    }

    private string Hours(Resource resource, LocationClosure? locationClosure)
    {
        if (locationClosure is not null) return $"Closed: {locationClosure.Reason}";
        if (resource.Closures.FirstOrDefault(c => c.From <= Date && Date <= c.To) is { } closure) return $"Closed: {closure.Reason}";
        var periods = resource.WorkingHours.Where(h => h.Day == Date.DayOfWeek).OrderBy(h => h.Opens)
            .Select(h => $"{Time(h.Opens)}–{Time(h.Closes)}").ToList();
        return periods.Count == 0 ? "Closed today" : "Open " + string.Join(", ", periods);
    }

    public DateOnly LocalDate(DateTimeOffset instant) => Location!.LocalDate(instant);

    public string DayUrl(DateOnly date) => $"/staff/schedule?location={Uri.EscapeDataString(Location!.Slug)}&date={Iso(date)}";

    public string Local(DateTimeOffset instant) => AppointmentEmails.ToLocal(instant, Location!).ToString("h:mm tt", AppointmentEmails.Culture);

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string LongDay(DateOnly date) => date.ToString("dddd, MMMM d, yyyy", AppointmentEmails.Culture);

    public static string ShortDay(DateOnly date) => date.ToString("ddd MMM d", AppointmentEmails.Culture);

    private static string Time(TimeOnly time) => time.ToString("h:mm tt", AppointmentEmails.Culture);
}
