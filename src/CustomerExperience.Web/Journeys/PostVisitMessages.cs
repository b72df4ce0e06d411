using System.Net;
using System.Text;
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
public class PostVisitMessages(AppDbContext db, Outbox outbox, TimeProvider clock, IOptions<AppOptions> app)
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

        var queued = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var visit in visits)
            if (await outbox.EnqueueAsync(Message(visit), ct))
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

    private EmailMessage Message(Appointment visit)
    {
        var customer = visit.Customer!;
        var service = visit.Service!;
        var location = visit.Location!;

        var results = ResultsWindow(visit, service, location) is var (from, to)
            ? from == to
                ? $"Your results will be ready on {Day(from)}."
                : $"Your results will be ready between {Day(from)} and {Day(to)}."
            : null;

        var text = new StringBuilder().AppendLine($"Hello {customer.Greeting},").AppendLine()
            .AppendLine($"Thank you for visiting {location.Name} today.");
        if (results is not null) text.AppendLine().AppendLine(results + " We will let you know how to see them; if anything needs a closer look, we will call you.");
        text.AppendLine().AppendLine($"Questions? Call {location.Phone}.").AppendLine().AppendLine(app.Value.ClinicName);

        var html = new StringBuilder()
            .Append(EmailHtml.Start)
            .Append($"<p>Hello {H(customer.Greeting)},</p><p>Thank you for visiting {H(location.Name)} today.</p>");
        if (results is not null) html.Append($"<p><strong>{H(results)}</strong> We will let you know how to see them; if anything needs a closer look, we will call you.</p>");
        html.Append($"<p>Questions? Call {H(location.Phone)}.</p><p>{H(app.Value.ClinicName)}</p>" + EmailHtml.End);

        return new EmailMessage("postvisit", $"postvisit:{visit.Id}", customer.Email, customer.FullName,
            $"Thank you for visiting {location.Name}", text.ToString(), html.ToString())
        {
            CustomerId = customer.Id,
            AppointmentId = visit.Id,
        };
    }

    private static string Day(DateOnly day) => day.ToString("dddd, MMMM d", AppointmentEmails.Culture);

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
