using System.ComponentModel.DataAnnotations;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Surveys;

public sealed class SurveyOptions
{
    public const string Section = "Survey";

    /// <summary>How long after the visit's completion the email survey invitation goes out (the kiosk answers first).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan EmailDelay { get; set; } = TimeSpan.FromHours(3);
}

/// <summary>
/// The email survey invitation, <see cref="SurveyOptions.EmailDelay"/> after a visit was completed, for visits that have
/// no survey response yet (the exit kiosk may have answered). A request for feedback, not a transactional message: a
/// customer who opted out gets none, and each one can be unsubscribed in one click. Key: <c>survey:{visit}</c>.
/// </summary>
public class SurveyInvitations(
    AppDbContext db, Outbox outbox, MessageTexts texts, SurveyLinks links, Unsubscribe unsubscribe, TimeProvider clock,
    IOptions<SurveyOptions> options, IOptions<AppOptions> app)
{
    /// <summary>Visits whose delay ran out longer ago than this are not invited (the job was off for a long time).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(2);

    public const int BatchSize = 500;
    public const string Kind = "survey";

    public async Task<int> QueueDueAsync(CancellationToken ct)
    {
        var dueBefore = clock.GetUtcNow() - options.Value.EmailDelay;
        var queued = 0;
        while (true)
        {
            // A queued invitation leaves its visit out of the next batch's query.
            var visits = await db.Appointments.AsNoTracking()
                .Include(a => a.Customer).Include(a => a.Location).Include(a => a.Service)
                .Where(a => a.Status == AppointmentStatus.Completed && a.CompletedAt > dueBefore - Window && a.CompletedAt <= dueBefore)
                .Where(a => !a.Customer!.EmailOptOut)
                .Where(a => !db.SurveyResponses.Any(r => r.AppointmentId == a.Id))
                .Where(a => !db.OutboundEmails.Any(e => e.AppointmentId == a.Id && e.Kind == Kind))
                .OrderBy(a => a.CompletedAt).ThenBy(a => a.Id)
                .Take(BatchSize)
                .ToListAsync(ct);
            if (visits.Count == 0) return queued;

            var template = await texts.ForAsync(MessageKinds.Survey, ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var added = (await outbox.EnqueueManyAsync([.. visits.Select(v => Message(template, v))], ct)).Count;
            await transaction.CommitAsync(ct);
            queued += added;
            if (visits.Count < BatchSize || added == 0) return queued;
        }
    }

    /// <summary>The invitation for <paramref name="visit"/> (its customer and location loaded) in <paramref name="template"/>'s words, with its unsubscribe line.</summary>
    public EmailMessage Message(MessageTemplate template, Appointment visit)
    {
        var customer = visit.Customer!;
        var location = visit.Location!;
        var unsubscribeUrl = unsubscribe.Url(customer.Id);
        var values = new Dictionary<string, PlaceholderValue>
        {
            ["FirstName"] = customer.Greeting,
            ["ClinicName"] = app.Value.ClinicName,
            ["LocationName"] = location.Name,
            ["VisitDay"] = location.LocalDate(visit.CompletedAt!.Value).ToString("dddd, MMMM d", AppointmentEmails.Culture),
            ["LinkEnds"] = location.LocalDate(visit.CompletedAt.Value + SurveyLinks.Lifetime).ToString("MMMM d", AppointmentEmails.Culture),
            ["SurveyLink"] = new PlaceholderValue(links.Url(visit.Id), "Tell us how your visit went"),
        };
        var (text, html) = template.RenderBody(values, MessageKinds.Survey.Placeholders, Unsubscribe.Footer(unsubscribeUrl, "emails like this"));
        return new EmailMessage(Kind, $"survey:{visit.Id}", customer.Email, customer.FullName, template.RenderSubject(values), text, html)
        {
            UnsubscribeUrl = unsubscribeUrl,
            CustomerId = customer.Id,
            AppointmentId = visit.Id,
        };
    }
}
