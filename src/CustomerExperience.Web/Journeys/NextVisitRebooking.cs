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
/// later visit of the service, even a cancelled one the clinic booked (this job or the front desk at checkout),
/// stops it. The front desk proposes with <see cref="ProposeAsync"/> and books under the same lock
/// (<see cref="OneAtATimeAsync{T}"/>), so the job and a checkout never both book.
/// </summary>
public class NextVisitRebooking(AppDbContext db, AvailabilityService availability, BookingService booking, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(2);
    public const int DaysSearched = 14;

    /// <summary>The best covered time after a visit, and the other covered times of the first <see cref="DaysSearched"/> days.</summary>
    public sealed record Proposal(DateOnly CoveredFrom, Slot? Proposed, IReadOnlyList<Slot> Alternatives);

    public async Task<int> BookDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var completed = await db.Appointments.AsNoTracking()
            .Include(a => a.Customer).Include(a => a.Service).Include(a => a.Location)
            .Where(a => a.Status == AppointmentStatus.Completed && a.CompletedAt > now - Window && a.CompletedAt <= now
                        && a.Service!.RecallIntervalDays != null && a.Service.IsActive)
            .Where(a => !db.Appointments.Any(later => later.CustomerId == a.CustomerId && later.ServiceId == a.ServiceId && later.Start > a.Start
                        && (later.Status != AppointmentStatus.Cancelled || later.Source != BookingSource.Online)))
            .OrderBy(a => a.CompletedAt)
            .Take(200)
            .ToListAsync(ct);

        var booked = 0;
        foreach (var visit in completed)
            if (await BookNextAsync(visit, ct) is BookingOutcome.Done)
                booked++;
        return booked;
    }

    /// <summary>Books the proposed next visit after <paramref name="visit"/> (source Rebooking), unless a later one exists by now.</summary>
    public async Task<BookingOutcome> BookNextAsync(Appointment visit, CancellationToken ct) =>
        await OneAtATimeAsync(visit, async () =>
        {
            // The same rule as BookDueAsync, checked again under the lock: the front desk may have booked meanwhile.
            if (await db.Appointments.AnyAsync(later => later.CustomerId == visit.CustomerId && later.ServiceId == visit.ServiceId
                    && later.Start > visit.Start && (later.Status != AppointmentStatus.Cancelled || later.Source != BookingSource.Online), ct))
                return new BookingOutcome.Closed("A later visit of this service is already booked.");

            var customer = visit.Customer!;
            if ((await ProposeAsync(visit, ct)).Proposed is not { } slot)
                return new BookingOutcome.Taken([]);
            return await booking.BookAsync(new BookingRequest(visit.ServiceId, visit.LocationId, slot.Start,
                new CustomerDetails(customer.FullName, customer.PreferredName, customer.Email, customer.Phone, customer.DateOfBirth),
                AcceptNotCovered: true, Source: BookingSource.Rebooking, PreferredResourceId: visit.ResourceId, CustomerId: customer.Id), ct);
        }, ct);

    /// <summary>
    /// The first covered time that fits the habit of <paramref name="visit"/> (its service and location loaded), and
    /// the other free covered times of the first <see cref="DaysSearched"/> days, without booking anything.
    /// </summary>
    public async Task<Proposal> ProposeAsync(Appointment visit, CancellationToken ct)
    {
        var coveredFrom = CoveredFrom(visit);
        var slots = await availability.GetSlotsAsync(visit.ServiceId, visit.LocationId, coveredFrom, DaysSearched, ct);
        var best = Best(slots, AppointmentEmails.ToLocal(visit.Start, visit.Location!), coveredFrom, visit.ResourceId);
        return new Proposal(coveredFrom, best, slots.Where(s => s != best).ToList());
    }

    /// <summary>The local date from which the next visit is covered (or due, for a service with a recall but no coverage limit).</summary>
    public static DateOnly CoveredFrom(Appointment visit)
    {
        var service = visit.Service!;
        var days = service.CoverageIntervalDays ?? service.RecallIntervalDays ?? 365;
        return visit.Location!.LocalDate(visit.Start).AddDays(days);
    }

    /// <summary>The customer's next visit of the same service after <paramref name="visit"/>, unless cancelled.</summary>
    public async Task<Appointment?> NextBookedAsync(Appointment visit, CancellationToken ct) =>
        await db.Appointments.AsNoTracking()
            .Where(later => later.CustomerId == visit.CustomerId && later.ServiceId == visit.ServiceId && later.Start > visit.Start
                            && later.Status != AppointmentStatus.Cancelled)
            .OrderBy(later => later.Start)
            .FirstOrDefaultAsync(ct);

    /// <summary>
    /// Runs <paramref name="work"/> holding a Postgres advisory lock for the customer and service of <paramref name="visit"/>,
    /// on this context's connection, so a check for a later visit and the booking that follows it cannot interleave with
    /// another node's job or a checkout at the desk. Session-level, because the booking commits its own transaction.
    /// </summary>
    public async Task<T> OneAtATimeAsync<T>(Appointment visit, Func<Task<T>> work, CancellationToken ct)
    {
        var key = $"next-visit:{visit.CustomerId}:{visit.ServiceId}";
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock(hashtextextended({key}, 0))", ct);
            try
            {
                return await work();
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock(hashtextextended({key}, 0))", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
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
