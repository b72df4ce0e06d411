using System.Net;
using System.Text;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Setup;

/// <summary>What was done for the visits a set-up change left without a place.</summary>
public sealed record RebookingResult(int Done, IReadOnlyList<(Appointment Visit, string Why)> NotDone);

/// <summary>
/// The two ways of looking after visits a set-up change leaves out. Moving goes through the front desk's own reschedule
/// (<see cref="BookingService.RescheduleAsync(Guid, DateTimeOffset, CancellationToken, bool, Action{Appointment}, uint?)"/>):
/// same checks, same updated invite, same audit. Asking sends one email per visit and state with a fresh manage link;
/// the visit stays booked until the customer or the desk moves it.
/// </summary>
public class RoomsRebooking(
    AppDbContext db, BookingService booking, AvailabilityService availability, Outbox outbox, Audit audit,
    AppointmentEmails appointmentEmails, IOptions<AppOptions> app, TimeProvider clock)
{
    public const string EmailKind = "rebook-request";
    /// <summary>How far ahead a move looks for the next free time.</summary>
    public const int SearchDays = 62;

    /// <summary>Each visit to the first free time at or after its own for the same service and location, on any room.</summary>
    /// <param name="visits">As read when the change was decided: a visit changed since then (its version differs) is left alone.</param>
    public async Task<RebookingResult> MoveAsync(IReadOnlyList<Appointment> visits, string why, CancellationToken ct)
    {
        var moved = 0;
        var notMoved = new List<(Appointment, string)>();
        foreach (var visit in visits)
        {
            var location = visit.Location!;
            var slots = await availability.GetSlotsAsync(visit.ServiceId, visit.LocationId, location.LocalDate(visit.Start), SearchDays, ct,
                ignoreAppointmentId: visit.Id, staff: true);
            string? problem = $"No free time in the next {SearchDays} days.";
            // A time taken meanwhile costs one try; the next one is as good.
            foreach (var slot in slots.Where(s => s.Start >= visit.Start).Take(3))
            {
                var from = AppointmentEmails.FormatWhen(visit.Start, location);
                var outcome = await booking.RescheduleAsync(visit.Id, slot.Start, ct, staffOverride: true, shownVersion: visit.Version,
                    audit: v => audit.Record(AuditActions.VisitRescheduled,
                        $"Moved from {from} to {AppointmentEmails.FormatWhen(v.Start, location)}: {why}", v.CustomerId, v.Id));
                problem = outcome switch
                {
                    BookingOutcome.Done => null,
                    BookingOutcome.Taken => problem,
                    BookingOutcome.Changed changed => changed.Message,
                    BookingOutcome.Closed closed => closed.Reason,
                    BookingOutcome.Invalid invalid => string.Join(" ", invalid.Errors.Values),
                    _ => "It could not be moved.",
                };
                if (outcome is not BookingOutcome.Taken) break;
            }
            if (problem is null) moved++;
            else notMoved.Add((visit, problem));
        }
        return new RebookingResult(moved, notMoved);
    }

    /// <summary>One email per visit asking the customer to choose a new time; asking again about the same visit as it stands sends nothing.</summary>
    /// <param name="customerReason">Why, in the customer's words, e.g. "Riverside is closed that day (staff training)."</param>
    public async Task<RebookingResult> AskAsync(IReadOnlyList<Appointment> visits, string customerReason, CancellationToken ct)
    {
        var asked = 0;
        var notAsked = new List<(Appointment, string)>();
        foreach (var shown in visits)
        {
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var visit = await db.Appointments.FromSql($"SELECT *, xmin FROM cx.appointments WHERE id = {shown.Id} FOR UPDATE")
                .AsNoTracking().Include(a => a.Service).Include(a => a.Location).Include(a => a.Customer).SingleOrDefaultAsync(ct);
            if (visit is null || visit.Version != shown.Version || visit.Status != AppointmentStatus.Booked)
            {
                notAsked.Add((shown, "The visit changed meanwhile, so no email was sent."));
                continue;
            }
            var token = ManageToken.New();
            if (!await outbox.EnqueueAsync(Email(visit, customerReason, token), ct))
            {
                notAsked.Add((shown, "The customer was already asked about this visit."));
                continue;
            }
            ManageToken.Keep(db, visit.Id, token, now);
            audit.Record(AuditActions.VisitAskedToRebook,
                $"Asked to choose a new time for {visit.Service!.Name} of {AppointmentEmails.FormatWhen(visit.Start, visit.Location!)}: {customerReason}",
                visit.CustomerId, visit.Id);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            asked++;
        }
        return new RebookingResult(asked, notAsked);
    }

    /// <summary>Transactional (sent whatever the marketing opt-out); the subject names the calendar title only, never a diagnosis.</summary>
    public EmailMessage Email(Appointment visit, string customerReason, string manageToken)
    {
        var (service, location, customer) = (visit.Service!, visit.Location!, visit.Customer!);
        var when = AppointmentEmails.FormatWhen(visit.Start, location);
        var manageUrl = appointmentEmails.ManageUrl(manageToken);
        var lead = $"We are sorry: we can no longer see you for your {service.Name} on {when}. {customerReason}";
        var keep = "Your visit stays booked until you choose a new time.";
        var call = $"If no time online suits you, call {location.Name} on {location.Phone} and we will find one with you.";

        var text = new StringBuilder()
            .AppendLine($"Hello {customer.Greeting},").AppendLine()
            .AppendLine(lead).AppendLine()
            .AppendLine($"Choose a new time: {manageUrl}").AppendLine(keep).AppendLine()
            .AppendLine(call).AppendLine().AppendLine(app.Value.ClinicName);
        var html = new StringBuilder()
            .Append(EmailHtml.Start)
            .Append($"<p>Hello {H(customer.Greeting)},</p><p>{H(lead)}</p>")
            .Append($"<p><a href=\"{H(manageUrl)}\" style=\"display:inline-block;padding:10px 16px;background:#0b5cab;color:#fff;text-decoration:none;border-radius:6px\">Choose a new time</a></p>")
            .Append($"<p>{H(keep)}</p><p>{H(call)}</p><p>{H(app.Value.ClinicName)}</p>")
            .Append(EmailHtml.End);
        return new EmailMessage(EmailKind, $"{EmailKind}:{visit.Id}:{visit.CalendarSequence}", customer.Email, customer.FullName,
            $"Please choose a new time: {service.CalendarTitle}, {when}", text.ToString(), html.ToString())
        {
            CustomerId = customer.Id,
            AppointmentId = visit.Id,
        };
    }

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
