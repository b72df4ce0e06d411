using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Journeys;

public sealed class RecallOptions
{
    public const string Section = "Recalls";

    /// <summary>How many days before coverage starts the first message goes out.</summary>
    [Range(0, 180)] public int LeadDays { get; set; } = 30;

    /// <summary>Follow-ups after the first message, while nothing is booked.</summary>
    [Range(0, 10)] public int FollowUps { get; set; } = 2;

    [Range(1, 90)] public int FollowUpIntervalDays { get; set; } = 14;

    /// <summary>Local hour at which a day's recalls start going out: nobody wants them at midnight.</summary>
    [Range(0, 23)] public int SendFromHour { get; set; } = 9;
}

/// <summary>
/// "You can book your next visit from …": for each customer and service with a coverage interval, the date the
/// next visit becomes covered is the last completed visit's local date plus the interval. The first message goes
/// <see cref="RecallOptions.LeadDays"/> before, then up to <see cref="RecallOptions.FollowUps"/> follow-ups; all stop
/// once a later visit is booked or the customer opts out. Marketing-like, so every message can be unsubscribed
/// in one click. Keys: <c>recall:{customer}:{service}:{coveredFrom}:{n}</c>; safe to run at any frequency.
/// </summary>
public class EligibilityRecalls(
    AppDbContext db, Outbox outbox, MessageTexts texts, Unsubscribe unsubscribe, TimeProvider clock, IOptions<RecallOptions> options,
    IOptions<AppOptions> app)
{
    private sealed class LastVisit
    {
        public Guid CustomerId { get; init; }
        public Guid LocationId { get; init; }
        public DateTimeOffset Start { get; init; }
    }

    public async Task<int> QueueDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rules = options.Value;
        var queued = 0;
        var services = await db.Services.AsNoTracking().Where(s => s.IsActive && s.CoverageIntervalDays != null).ToListAsync(ct);
        var locations = await db.Locations.AsNoTracking().ToDictionaryAsync(l => l.Id, ct);

        foreach (var service in services)
        {
            // Each customer's last completed visit of the service (an imported one too), unless something later is already booked.
            var candidates = await db.Database.SqlQueryRaw<LastVisit>($$"""
                SELECT DISTINCT ON (a.customer_id) a.customer_id, a.location_id, a.start
                FROM ({{CompletedVisit.Sql}}) a
                JOIN cx.customers c ON c.id = a.customer_id AND NOT c.email_opt_out
                WHERE a.service_id = {0} AND a.start > {1}
                  AND NOT EXISTS (SELECT 1 FROM cx.appointments later
                                  WHERE later.customer_id = a.customer_id AND later.service_id = a.service_id
                                    AND later.start > a.start AND later.status IN ('Booked', 'CheckedIn', 'Completed'))
                ORDER BY a.customer_id, a.start DESC
                """, service.Id, now - TimeSpan.FromDays(service.CoverageIntervalDays!.Value + rules.LeadDays + 400)).ToListAsync(ct);

            foreach (var batch in candidates.Chunk(500))
            {
                var due = batch
                    .Select(v => (Visit: v, Location: locations[v.LocationId]))
                    .Select(x => (x.Visit, x.Location, Step: DueStep(x.Visit.Start, service.CoverageIntervalDays.Value, x.Location.TimeZone, now, rules)))
                    .Where(x => x.Step is not null)
                    .ToList();
                if (due.Count == 0) continue;

                var ids = due.Select(d => d.Visit.CustomerId).ToList();
                var customers = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                foreach (var (visit, location, step) in due)
                {
                    var coveredFrom = CoveredFrom(visit.Start, service.CoverageIntervalDays.Value, location.TimeZone);
                    var template = await texts.ForAsync(KindOf(step!.Value), ct);
                    if (await outbox.EnqueueAsync(Message(template, customers[visit.CustomerId], service, location, coveredFrom, step.Value), ct))
                        queued++;
                }
                await transaction.CommitAsync(ct);
            }
        }
        return queued;
    }

    public static DateOnly CoveredFrom(DateTimeOffset lastVisit, int intervalDays, TimeZoneInfo zone) =>
        Eligibility.CoveredFrom(Location.DateIn(zone, lastVisit), intervalDays);

    /// <summary>
    /// Which message (0 = first, then follow-ups) is due now, or null. Only the latest due step is sent, so a
    /// customer never gets a burst after downtime; a sequence whose last step is long past is left alone.
    /// </summary>
    public static int? DueStep(DateTimeOffset lastVisit, int intervalDays, TimeZoneInfo zone, DateTimeOffset now, RecallOptions rules)
    {
        var first = CoveredFrom(lastVisit, intervalDays, zone).AddDays(-rules.LeadDays);
        int? due = null;
        for (var step = 0; step <= rules.FollowUps; step++)
        {
            var day = first.AddDays(step * rules.FollowUpIntervalDays);
            var moment = AvailabilityCalculator.ToInstant(zone, day, new TimeOnly(rules.SendFromHour, 0), earliest: true);
            if (moment <= now) due = step;
        }
        if (due is null) return null;
        var lastStepDay = first.AddDays(rules.FollowUps * rules.FollowUpIntervalDays);
        var today = Location.DateIn(zone, now);
        return today.DayNumber - lastStepDay.DayNumber > rules.FollowUpIntervalDays ? null : due;
    }

    /// <summary>The recall (<paramref name="step"/> 0) or a follow-up, in <paramref name="template"/>'s words; always with its unsubscribe line.</summary>
    public EmailMessage Message(MessageTemplate template, Customer customer, Service service, Location location, DateOnly coveredFrom, int step)
    {
        var bookUrl = $"{app.Value.PublicBaseUrl.TrimEnd('/')}/book/time?serviceId={service.Id}&locationId={location.Id}&coveredFrom={coveredFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var unsubscribeUrl = unsubscribe.Url(customer.Id);
        var values = new Dictionary<string, PlaceholderValue>
        {
            ["FirstName"] = customer.Greeting,
            ["ClinicName"] = app.Value.ClinicName,
            ["ServiceName"] = service.Name.ToLowerInvariant(),
            ["CoveredFrom"] = coveredFrom.ToString("dddd, MMMM d, yyyy", AppointmentEmails.Culture),
            ["CoveredFromShort"] = coveredFrom.ToString("MMMM d", AppointmentEmails.Culture),
            ["LocationName"] = location.Name,
            ["LocationPhone"] = location.Phone,
            ["BookLink"] = new PlaceholderValue(bookUrl, $"Book a covered time at {location.Name}"),
        };
        var (text, html) = template.RenderBody(values, KindOf(step).Placeholders, Unsubscribe.Footer(unsubscribeUrl, "these reminders"));
        return new EmailMessage("recall", $"recall:{customer.Id}:{service.Id}:{coveredFrom:yyyy-MM-dd}:{step}", customer.Email, customer.FullName,
            template.RenderSubject(values), text, html)
        {
            UnsubscribeUrl = unsubscribeUrl,
            CustomerId = customer.Id,
        };
    }

    public static MessageKind KindOf(int step) => step == 0 ? MessageKinds.Recall : MessageKinds.RecallFollowUp;
}
