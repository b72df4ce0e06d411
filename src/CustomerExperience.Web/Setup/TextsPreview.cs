using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Setup;

/// <summary>
/// A sample email in draft words, built by the same code that builds the real one (the kind's builder), about a made-up
/// customer and visit at the clinic's first location and service (or sample ones before there are any). Nothing is
/// stored or sent.
/// </summary>
public class TextsPreview(
    AppDbContext db, AppointmentEmails appointments, DelayEmails delays, EligibilityRecalls recalls, PostVisitMessages postVisit,
    SurveyInvitations surveys, TimeProvider clock)
{
    public async Task<EmailMessage> EmailAsync(MessageKind kind, MessageTemplate draft, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var location = await db.Locations.AsNoTracking().Include(l => l.Closures).OrderBy(l => l.Name).FirstOrDefaultAsync(ct) ?? SampleLocation;
        var service = await db.Services.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Name).FirstOrDefaultAsync(ct) ?? SampleService;
        var customer = new Customer { Id = Guid.Empty, FullName = "Alex Sample", PreferredName = "Alex", Email = "alex.sample@example.com" };
        var start = AppointmentEmails.ToLocal(now, location).Date.AddDays(7).AddHours(9);
        var visit = new Appointment
        {
            Id = Guid.Empty, Customer = customer, Service = service, Location = location,
            Source = kind == MessageKinds.Rebooked ? BookingSource.Rebooking : BookingSource.Online,
        };
        visit.Schedule(new DateTimeOffset(start, location.TimeZone.GetUtcOffset(start)), service.Duration, service.Buffer);
        const string token = "sample-link";

        if (kind == MessageKinds.Booked || kind == MessageKinds.Rebooked)
            return appointments.Build(draft, AppointmentEmails.Change.Booked, visit, service, location, customer, token, now);
        if (kind == MessageKinds.Rescheduled)
            return appointments.Build(draft, AppointmentEmails.Change.Rescheduled, visit, service, location, customer, token, now);
        if (kind == MessageKinds.Cancelled)
            return appointments.Build(draft, AppointmentEmails.Change.Cancelled, visit, service, location, customer, token, now);
        if (kind == MessageKinds.Reminder)
            return appointments.Reminder(draft, visit, service, location, customer, appointments.ManageUrl(token), 24 * 60);
        if (kind == MessageKinds.Delay)
            return delays.Build(draft, new Delay { Minutes = 20, Message = "The scanner needed a restart.", PostedById = "", PostedBy = "" },
                visit, location, customer, appointments.ManageUrl(token));
        if (kind == MessageKinds.Recall || kind == MessageKinds.RecallFollowUp)
            return recalls.Message(draft, customer, service, location, DateOnly.FromDateTime(start).AddDays(30), kind == MessageKinds.Recall ? 0 : 1);

        visit.CheckIn(now);
        visit.Complete(now);
        if (kind == MessageKinds.PostVisit)
        {
            service.ResultsMinBusinessDays ??= 1;
            service.ResultsMaxBusinessDays ??= 2;
            return postVisit.Message(draft, visit);
        }
        if (kind == MessageKinds.Survey)
            return surveys.Message(draft, visit);
        throw new ArgumentException($"No preview for {kind.Key}.", nameof(kind));
    }

    private static Location SampleLocation => new()
    {
        Slug = "sample", Name = "Sample Imaging Center", AddressLine = "1 Sample Street", City = "Springfield", Region = "IL",
        PostalCode = "62701", TimeZoneId = "America/Chicago", Phone = "555 0100",
        DirectionsUrl = "https://maps.example/sample", ArrivalNotes = "Free parking behind the building.",
    };

    private static Service SampleService => new()
    {
        Slug = "sample", Name = "Screening mammogram", CalendarTitle = "Clinic appointment", DurationMinutes = 30,
        PreparationNotes = "Please wear no deodorant on the day.", ResultsMinBusinessDays = 1, ResultsMaxBusinessDays = 2,
    };
}
