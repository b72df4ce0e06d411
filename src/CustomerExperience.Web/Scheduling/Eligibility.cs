using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Scheduling;

/// <summary>
/// When insurance covers a service again: the last completed visit's local date plus the service's coverage
/// interval. A public form reveals it only when both email and date of birth match the customer on file, so
/// typing somebody's email address does not tell you when they last had a screening.
/// </summary>
public class Eligibility(AppDbContext db, TimeProvider clock)
{
    public async Task<DateOnly?> CoveredFromAsync(string email, DateOnly? dateOfBirth, Service service, CancellationToken ct)
    {
        if (service.CoverageIntervalDays is null || dateOfBirth is null) return null;
        var normalized = Customer.Normalize(email);
        var customerId = await db.Customers.AsNoTracking()
            .Where(c => c.NormalizedEmail == normalized && c.DateOfBirth == dateOfBirth)
            .Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        return customerId is null ? null : await CoveredFromAsync(customerId.Value, service, ct);
    }

    /// <summary>Null when the customer is covered today (or the service has no coverage limit).</summary>
    public async Task<DateOnly?> CoveredFromAsync(Guid customerId, Service service, CancellationToken ct)
    {
        if (service.CoverageIntervalDays is not { } interval) return null;
        var last = await db.Appointments.AsNoTracking()
            .Where(a => a.CustomerId == customerId && a.ServiceId == service.Id && a.Status == AppointmentStatus.Completed)
            .OrderByDescending(a => a.Start)
            .Select(a => new { a.Start, a.Location!.TimeZoneId })
            .FirstOrDefaultAsync(ct);
        if (last is null) return null;

        var zone = TimeZoneInfo.FindSystemTimeZoneById(last.TimeZoneId);
        var coveredFrom = CoveredFrom(Location.DateIn(zone, last.Start), interval);
        var today = Location.DateIn(zone, clock.GetUtcNow());
        return coveredFrom > today ? coveredFrom : null;
    }

    public static DateOnly CoveredFrom(DateOnly lastVisit, int intervalDays) => lastVisit.AddDays(intervalDays);
}
