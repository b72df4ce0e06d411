using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Pages.Shared;
using CustomerExperience.Web.Scheduling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages.Book;

public class TimeModel(AvailabilityService availability, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? ServiceId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? LocationId { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Date { get; set; }
    /// <summary>Set by eligibility (recall) links: earlier days are marked as not covered.</summary>
    [BindProperty(SupportsGet = true)] public DateOnly? CoveredFrom { get; set; }

    public Service Service { get; private set; } = null!;
    public Location Location { get; private set; } = null!;
    public SlotPicker Picker { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return BadRequest();
        if (ServiceId is null || LocationId is null)
            return Redirect($"/book?serviceId={ServiceId}&locationId={LocationId}&error=choose");
        if (await availability.FindAsync(ServiceId.Value, LocationId.Value, ct) is not { } found)
            return NotFound();
        (Service, Location) = found;

        var today = Location.LocalDate(clock.GetUtcNow());
        var from = From ?? Date ?? CoveredFrom ?? today;
        if (from < today) from = today;
        if (from > today.AddYears(2)) from = today;
        var slots = await availability.GetSlotsAsync(Service.Id, Location.Id, from, SlotPicker.DaysShown, ct);
        var selected = Date ?? slots.Select(s => (DateOnly?)DateOnly.FromDateTime(s.Start.DateTime)).FirstOrDefault();

        var covered = CoveredFrom is { } c && c > today ? c : (DateOnly?)null;
        var query = $"serviceId={Service.Id}&locationId={Location.Id}" + (covered is { } cf ? $"&coveredFrom={SlotPicker.Iso(cf)}" : "");
        Picker = new SlotPicker
        {
            Location = Location,
            From = from,
            Today = today,
            Selected = selected,
            Slots = slots,
            CoveredFrom = covered,
            DayLink = day => $"/book/time?{query}&from={SlotPicker.Iso(SlotPicker.PageStart(from, day))}&date={SlotPicker.Iso(day)}#times",
            SlotLink = slot => $"/book/details?serviceId={Service.Id}&locationId={Location.Id}&start={Uri.EscapeDataString(SlotPicker.Iso(slot.Start))}",
        };
        return Page();
    }
}
