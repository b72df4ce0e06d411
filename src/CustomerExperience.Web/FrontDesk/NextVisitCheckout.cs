using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.FrontDesk;

/// <summary>What came of booking next year's visit at checkout.</summary>
public abstract record CheckoutOutcome
{
    public sealed record Booked(Appointment Visit) : CheckoutOutcome;
    /// <summary>A next visit of the service exists already (booked at the desk, online or by the rebooking job).</summary>
    public sealed record AlreadyBooked(Appointment Next) : CheckoutOutcome;
    /// <summary>Not booked; <paramref name="Alternatives"/> are covered times to offer instead (possibly none).</summary>
    public sealed record Refused(string Message, IReadOnlyList<Slot> Alternatives, bool BadRequest = false) : CheckoutOutcome;
}

/// <summary>
/// "Book next year" at checkout: after a completed visit of a recurring service, the front desk books the next
/// one on a covered date, at the same place and preferably the same room, through the normal write path (which
/// sends the confirmation with the invite). It runs under the rebooking job's lock and checks for a later visit
/// inside it, so the desk and the job never both book; the job then sees this booking and leaves the visit alone.
/// </summary>
public class NextVisitCheckout(AppDbContext db, NextVisitRebooking rebooking, BookingService booking, Audit audit)
{
    /// <summary>The visit with what the checkout needs (customer, service, location, room); null when there is none.</summary>
    public async Task<Appointment?> FindAsync(Guid visitId, CancellationToken ct) =>
        await db.Appointments.AsNoTracking()
            .Include(a => a.Customer).Include(a => a.Service).Include(a => a.Location).Include(a => a.Resource)
            .FirstOrDefaultAsync(a => a.Id == visitId, ct);

    public static bool IsRecurring(Service service) => service.RecallIntervalDays is not null || service.CoverageIntervalDays is not null;

    /// <summary>Null when next year's visit can be booked after <paramref name="visit"/>; otherwise why not.</summary>
    public static string? WhyNot(Appointment visit) =>
        !IsRecurring(visit.Service!) ? $"{visit.Service!.Name} is not a recurring service, so there is no next visit to book."
        : visit.Status != AppointmentStatus.Completed ? "Next year's visit is booked at checkout, once this visit is completed."
        : null;

    public async Task<CheckoutOutcome> BookAsync(Appointment visit, DateTimeOffset start, CancellationToken ct)
    {
        if (WhyNot(visit) is { } why) return new CheckoutOutcome.Refused(why, []);
        var location = visit.Location!;
        var coveredFrom = NextVisitRebooking.CoveredFrom(visit);
        if (location.LocalDate(start) < coveredFrom)
            return new CheckoutOutcome.Refused($"That time is before the next visit is covered ({Day(coveredFrom)}). Choose a covered time.", [], BadRequest: true);

        return await rebooking.OneAtATimeAsync<CheckoutOutcome>(visit, async () =>
        {
            if (await rebooking.NextBookedAsync(visit, ct) is { } next)
                return new CheckoutOutcome.AlreadyBooked(next);

            var customer = visit.Customer!;
            var outcome = await booking.BookAsync(new BookingRequest(visit.ServiceId, visit.LocationId, start,
                new CustomerDetails(customer.FullName, customer.PreferredName, customer.Email, customer.Phone, customer.DateOfBirth),
                AcceptNotCovered: false, Source: BookingSource.FrontDesk, PreferredResourceId: visit.ResourceId, CustomerId: customer.Id), ct,
                // Saved in the booking's own transaction: the visit, its confirmation and who booked it commit together.
                audit: next => audit.Record(AuditActions.VisitNextBooked,
                    $"Booked next visit at checkout: {visit.Service!.Name}, {AppointmentEmails.FormatWhen(next.Start, location)}",
                    visit.CustomerId, next.Id));
            switch (outcome)
            {
                case BookingOutcome.Done done:
                    return new CheckoutOutcome.Booked(done.Visit);
                case BookingOutcome.Taken taken:
                    return new CheckoutOutcome.Refused("That time was just taken. These are the nearest covered times:",
                        taken.Alternatives.Where(s => DateOnly.FromDateTime(s.Start.DateTime) >= coveredFrom).ToList());
                case BookingOutcome.NotCovered notCovered:
                    return new CheckoutOutcome.Refused($"The customer's insurance covers this visit only from {Day(notCovered.CoveredFrom)}. Choose a covered time.", []);
                case BookingOutcome.Invalid invalid:
                    return new CheckoutOutcome.Refused(
                        $"The booking was refused: {string.Join(" ", invalid.Errors.Values)} Check the time, or the customer's details on their page.", [], BadRequest: true);
                case BookingOutcome.NotFound:
                    return new CheckoutOutcome.Refused($"{visit.Service!.Name} is no longer offered at {location.Name}.", []);
                default:
                    return new CheckoutOutcome.Refused("The visit could not be booked. Please try another time.", []);
            }
        }, ct);
    }

    public static string Day(DateOnly day) => day.ToString("dddd, MMMM d, yyyy", AppointmentEmails.Culture);
}
