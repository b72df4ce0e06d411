using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Journeys;

/// <summary>
/// Next year's visit, booked for the customer: when a visit of a recurring service is completed and nothing later
/// is booked, propose the first covered time that fits the customer's habits (same place, same room if free,
/// same weekday and time of day) and book it through the normal write path (source Rebooking), which sends the
/// confirmation and invite saying it was booked for them and how to change it. Never twice for one visit: a
/// later visit of the service, even a cancelled rebooking, stops it.
/// </summary>
public class NextVisitRebooking(AppDbContext db, AvailabilityService availability, BookingService booking, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(2);

    public async Task<int> BookDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var completed = await db.Appointments.AsNoTracking()
            .Include(a => a.Customer).Include(a => a.Service).Include(a => a.Location)
            .Where(a => a.Status == AppointmentStatus.Completed && a.CompletedAt > now - Window && a.CompletedAt <= now
                        && a.Service!.RecallIntervalDays != null && a.Service.IsActive)
            .Where(a => !db.Appointments.Any(later => later.CustomerId == a.CustomerId && later.ServiceId == a.ServiceId && later.Start > a.Start
                        && (later.Status != AppointmentStatus.Cancelled || later.Source == BookingSource.Rebooking)))
            .OrderBy(a => a.CompletedAt)
            .Take(200)
            .ToListAsync(ct);

        var booked = 0;
        foreach (var visit in completed)
            if (await BookNextAsync(visit, ct) is BookingOutcome.Done)
                booked++;
        return booked;
    }

    /// <summary>Books the proposed next visit after <paramref name="visit"/>; staff checkout can call this too.</summary>
    public async Task<BookingOutcome> BookNextAsync(Appointment visit, CancellationToken ct)
    {
        var service = visit.Service!;
        var location = visit.Location!;
        var customer = visit.Customer!;
        var days = service.CoverageIntervalDays ?? service.RecallIntervalDays ?? 365;
        var local = AppointmentEmails.ToLocal(visit.Start, location);
        var coveredFrom = DateOnly.FromDateTime(local.DateTime).AddDays(days);

        var slots = await availability.GetSlotsAsync(service.Id, location.Id, coveredFrom, 14, ct);
        if (Best(slots, local, coveredFrom, visit.ResourceId) is not { } slot)
            return new BookingOutcome.Taken([]);

        return await booking.BookAsync(new BookingRequest(service.Id, location.Id, slot.Start,
            new CustomerDetails(customer.FullName, customer.PreferredName, customer.Email, customer.Phone, customer.DateOfBirth),
            AcceptNotCovered: true, Source: BookingSource.Rebooking, PreferredResourceId: visit.ResourceId), ct);
    }

    /// <summary>
    /// The slot closest to the customer's habit. Cost in "minutes": each day after the covered date 30, another
    /// weekday 300, each minute away from the usual time of day 1, another room 10. So the same weekday and time
    /// within the first week wins, and the earliest such day among equals.
    /// </summary>
    public static Slot? Best(IReadOnlyList<Slot> slots, DateTimeOffset habit, DateOnly coveredFrom, Guid resourceId) =>
        slots.MinBy(slot =>
        {
            var day = DateOnly.FromDateTime(slot.Start.DateTime);
            var minutes = Math.Abs((slot.Start.TimeOfDay - habit.TimeOfDay).TotalMinutes);
            return (day.DayNumber - coveredFrom.DayNumber) * 30
                   + (day.DayOfWeek == habit.DayOfWeek ? 0 : 300)
                   + minutes
                   + (slot.FreeResourceIds.Contains(resourceId) ? 0 : 10);
        });
}
