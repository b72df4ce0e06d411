using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Scheduling;

/// <summary>
/// When insurance covers a service again: the last completed visit's local date (an imported one too, see
/// <see cref="CompletedVisit"/>) plus the service's coverage
/// interval. A public form reveals it only for the customer its details identify (the booking first matches them by
/// email, date of birth and name, see <see cref="CustomerIdentity"/>, and asks only for that customer), so
/// typing somebody's email address does not tell you when they last had a screening.
/// </summary>
public class Eligibility(AppDbContext db, TimeProvider clock)
{
    /// <summary>Null when the customer is covered today (or the service has no coverage limit).</summary>
    public async Task<DateOnly?> CoveredFromAsync(Guid customerId, Service service, CancellationToken ct)
    {
        if (service.CoverageIntervalDays is not { } interval) return null;
        var last = await db.CompletedVisits
            .Where(v => v.CustomerId == customerId && v.ServiceId == service.Id)
            .OrderByDescending(v => v.Start)
            .Join(db.Locations, v => v.LocationId, l => l.Id, (v, l) => new { v.Start, l.TimeZoneId })
            .FirstOrDefaultAsync(ct);
        if (last is null) return null;

        var zone = TimeZoneInfo.FindSystemTimeZoneById(last.TimeZoneId);
        var coveredFrom = CoveredFrom(Location.DateIn(zone, last.Start), interval);
        var today = Location.DateIn(zone, clock.GetUtcNow());
        return coveredFrom > today ? coveredFrom : null;
    }

    public static DateOnly CoveredFrom(DateOnly lastVisit, int intervalDays) => lastVisit.AddDays(intervalDays);
}
