using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Journeys;

/// <summary>
/// After a completed visit: when results will be ready, in business days (weekends and the location's closures
/// skipped). Transactional, so sent whatever the customer's email preferences. The survey invitation is an email of
/// its own (<see cref="Surveys.SurveyInvitations"/>). Key: <c>postvisit:{visit}</c>.
/// </summary>
public class PostVisitMessages(AppDbContext db, Outbox outbox, MessageTexts texts, TimeProvider clock, IOptions<AppOptions> app)
{
    /// <summary>Visits completed longer ago than this get no message (e.g. when the job was off for a long time).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(2);

    public async Task<int> QueueDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var visits = await db.Appointments.AsNoTracking()
            .Include(a => a.Customer).Include(a => a.Service).Include(a => a.Location).ThenInclude(l => l!.Closures)
            .Where(a => a.Status == AppointmentStatus.Completed && a.CompletedAt > now - Window && a.CompletedAt <= now)
            .Where(a => !db.OutboundEmails.Any(e => e.AppointmentId == a.Id && e.Kind == "postvisit"))
            .OrderBy(a => a.CompletedAt)
            .Take(1000)
            .ToListAsync(ct);
        if (visits.Count == 0) return 0;

        var template = await texts.ForAsync(MessageKinds.PostVisit, ct);
        var queued = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var visit in visits)
            if (await outbox.EnqueueAsync(Message(template, visit), ct))
                queued++;
        await transaction.CommitAsync(ct);
        return queued;
    }

    /// <summary>"Thursday, December 3" to "Friday, December 4": the business-day range from the local completion date.</summary>
    public static (DateOnly From, DateOnly To)? ResultsWindow(Appointment visit, Service service, Location location)
    {
        if (service.ResultsMinBusinessDays is not { } min || service.ResultsMaxBusinessDays is not { } max || visit.CompletedAt is not { } done)
            return null;
        var day = location.LocalDate(done);
        var closures = location.Closures.Select(c => new DateRange(c.From, c.To)).ToList();
        return (BusinessDays.Add(day, min, closures), BusinessDays.Add(day, max, closures));
    }

    /// <summary>The message about <paramref name="visit"/> (its customer, service and location with closures loaded) in <paramref name="template"/>'s words.</summary>
    public EmailMessage Message(MessageTemplate template, Appointment visit)
    {
        var customer = visit.Customer!;
        var location = visit.Location!;
        var results = ResultsWindow(visit, visit.Service!, location) is var (from, to)
            ? from == to
                ? $"Your results will be ready on {Day(from)}."
                : $"Your results will be ready between {Day(from)} and {Day(to)}."
            : null;
        var values = new Dictionary<string, PlaceholderValue>
        {
            ["FirstName"] = customer.Greeting,
            ["ClinicName"] = app.Value.ClinicName,
            ["LocationName"] = location.Name,
            ["LocationPhone"] = location.Phone,
            ["Results"] = results,
        };
        var (text, html) = template.RenderBody(values, MessageKinds.PostVisit.Placeholders);
        return new EmailMessage("postvisit", $"postvisit:{visit.Id}", customer.Email, customer.FullName,
            template.RenderSubject(values), text, html)
        {
            CustomerId = customer.Id,
            AppointmentId = visit.Id,
        };
    }

    private static string Day(DateOnly day) => day.ToString("dddd, MMMM d", AppointmentEmails.Culture);
}
