using System.Globalization;
using System.Net;
using System.Text;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging.Calendar;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Messaging;

/// <summary>
/// The emails about one visit: confirmation, update and cancellation, each with a calendar invite for the
/// same UID. Subjects and invites name the service's calendar title only, never a diagnosis.
/// </summary>
public class AppointmentEmails(IOptions<AppOptions> app, IOptions<SmtpOptions> smtp)
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-US");

    public enum Change { Booked, Rescheduled, Cancelled }

    /// <summary>Which words a change is told in: a visit the clinic booked for the customer says so.</summary>
    public static MessageKind KindOf(Change change, Appointment visit) => change switch
    {
        Change.Booked when visit.Source == BookingSource.Rebooking => MessageKinds.Rebooked,
        Change.Booked => MessageKinds.Booked,
        Change.Rescheduled => MessageKinds.Rescheduled,
        _ => MessageKinds.Cancelled,
    };

    public EmailMessage Build(MessageTemplate template, Change change, Appointment visit, Service service, Location location,
        Customer customer, string manageToken, DateTimeOffset now)
    {
        var cancelled = change == Change.Cancelled;
        var values = Values(visit, service, location, customer, ManageUrl(manageToken), withNotes: !cancelled);
        var (text, html) = template.RenderBody(values, KindOf(change, visit).Placeholders);
        var kind = change switch { Change.Booked => "confirmation", Change.Rescheduled => "rescheduled", _ => "cancelled" };
        var invite = Invite(visit, service, location, customer, now, cancelled);
        return new EmailMessage(kind, $"{kind}:{visit.Id}:{visit.CalendarSequence}", customer.Email, customer.FullName,
            template.RenderSubject(values), text, html)
        {
            Ics = invite.ToIcs(),
            IcsMethod = cancelled ? "CANCEL" : "REQUEST",
            CustomerId = customer.Id,
            AppointmentId = visit.Id,
        };
    }

    /// <summary>The idempotency key of a visit's reminder: one per offset and calendar sequence.</summary>
    public static string ReminderKey(Appointment visit, int offsetMinutes) => $"reminder:{visit.Id}:{offsetMinutes}:{visit.CalendarSequence}";

    /// <summary>A reminder of a booked visit: transactional, so it goes out even to customers who opted out of marketing.</summary>
    public EmailMessage Reminder(MessageTemplate template, Appointment visit, Service service, Location location, Customer customer,
        string manageUrl, int offsetMinutes)
    {
        var values = Values(visit, service, location, customer, manageUrl, withNotes: true);
        var (text, html) = template.RenderBody(values, MessageKinds.Reminder.Placeholders);
        return new EmailMessage("reminder", ReminderKey(visit, offsetMinutes), customer.Email, customer.FullName,
            template.RenderSubject(values), text, html)
        {
            CustomerId = customer.Id,
            AppointmentId = visit.Id,
        };
    }

    /// <summary>The placeholders every email about one visit offers.</summary>
    private Dictionary<string, PlaceholderValue> Values(Appointment visit, Service service, Location location, Customer customer,
        string manageUrl, bool withNotes) => new()
    {
        ["FirstName"] = customer.Greeting,
        ["ClinicName"] = app.Value.ClinicName,
        ["CalendarTitle"] = service.CalendarTitle,
        ["ServiceName"] = service.Name,
        ["When"] = FormatWhen(visit.Start, location),
        ["LocationName"] = location.Name,
        ["LocationPhone"] = location.Phone,
        ["VisitDetails"] = VisitDetails(visit, service, location, withNotes),
        ["ManageLink"] = new PlaceholderValue(manageUrl, "Reschedule or cancel"),
        ["BookLink"] = $"{app.Value.PublicBaseUrl.TrimEnd('/')}/book",
    };

    /// <summary>What, when, where, and (for a visit still to come) directions, arrival and parking, preparation.</summary>
    private static PlaceholderValue VisitDetails(Appointment visit, Service service, Location location, bool withNotes)
    {
        var when = FormatWhen(visit.Start, location);
        var zone = ZoneName(location, visit.Start);
        var text = new StringBuilder()
            .AppendLine($"What:  {service.Name}")
            .AppendLine($"When:  {when} ({zone})")
            .AppendLine($"Where: {location.Name}, {location.FullAddress}");
        var html = new StringBuilder()
            .Append("<table role=\"presentation\" style=\"border-collapse:collapse\">")
            .Append(Row("What", H(service.Name)))
            .Append(Row("When", $"{H(when)} <span style=\"color:#4a5568\">({H(zone)})</span>"))
            .Append(Row("Where", $"{H(location.Name)}<br>{H(location.FullAddress)}"))
            .Append("</table>");
        if (withNotes)
        {
            if (location.DirectionsUrl is not null)
            {
                text.AppendLine($"Directions: {location.DirectionsUrl}");
                html.Append($"<p><a href=\"{H(location.DirectionsUrl)}\">Directions</a></p>");
            }
            if (location.ArrivalAndParking.Count > 0)
            {
                text.AppendLine().AppendLine($"Arrival and parking: {string.Join(" ", location.ArrivalAndParking)}");
                html.Append("<h2 style=\"font-size:1rem\">Arrival and parking</h2>").AppendJoin("", location.ArrivalAndParking.Select(note => $"<p>{H(note)}</p>"));
            }
            if (service.PreparationNotes is not null)
            {
                text.AppendLine().AppendLine($"How to prepare: {service.PreparationNotes}");
                html.Append($"<h2 style=\"font-size:1rem\">How to prepare</h2><p>{H(service.PreparationNotes)}</p>");
            }
        }
        return new PlaceholderValue(text.ToString(), Html: html.ToString());
    }

    /// <summary>
    /// The invite carries no manage link: calendars are shared and synced, and anyone who can see the event
    /// could move or cancel the visit with it. The emails keep theirs.
    /// </summary>
    public CalendarInvite Invite(Appointment visit, Service service, Location location, Customer customer,
        DateTimeOffset now, bool cancelled = false)
    {
        return new CalendarInvite(
            Uid: Uid(visit),
            Sequence: visit.CalendarSequence,
            Method: cancelled ? CalendarMethod.Cancel : CalendarMethod.Request,
            Start: visit.Start, End: visit.End, Stamp: now,
            Summary: $"{service.CalendarTitle} at {app.Value.ClinicName}",
            Location: $"{location.Name}, {location.FullAddress}",
            Description: CalendarDescription(service, location),
            OrganizerName: app.Value.ClinicName, OrganizerEmail: smtp.Value.From,
            AttendeeName: customer.FullName, AttendeeEmail: customer.Email,
            AlarmBefore: TimeSpan.FromHours(2));
    }

    /// <summary>What a calendar entry (the invite or the Google Calendar link) says about the visit.</summary>
    public static string CalendarDescription(Service service, Location location)
    {
        var description = new StringBuilder().AppendLine(service.Name);
        if (location.ArrivalAndParking.Count > 0) description.AppendLine().AppendLine($"Arrival and parking: {string.Join(" ", location.ArrivalAndParking)}");
        if (service.PreparationNotes is not null) description.AppendLine().AppendLine($"How to prepare: {service.PreparationNotes}");
        if (location.DirectionsUrl is not null) description.AppendLine().AppendLine($"Directions: {location.DirectionsUrl}");
        return description.AppendLine()
            .Append($"To change or cancel this visit, use the link in your confirmation email, or call {location.Name} on {location.Phone}.")
            .ToString();
    }

    public string Uid(Appointment visit) => $"{visit.Id}@{new Uri(app.Value.PublicBaseUrl).Host}";

    public string ManageUrl(string token) => $"{app.Value.PublicBaseUrl.TrimEnd('/')}/manage/{token}";

    public static DateTimeOffset ToLocal(DateTimeOffset instant, Location location) =>
        TimeZoneInfo.ConvertTime(instant, location.TimeZone);

    /// <summary>"Tuesday, December 1, 2026 at 9:00 AM" in the location's zone.</summary>
    public static string FormatWhen(DateTimeOffset instant, Location location) =>
        ToLocal(instant, location).ToString("dddd, MMMM d, yyyy 'at' h:mm tt", Culture);

    /// <summary>"Eastern Time" style label of the location's zone at that moment.</summary>
    public static string ZoneName(Location location, DateTimeOffset instant)
    {
        var zone = location.TimeZone;
        var name = zone.IsDaylightSavingTime(instant) ? zone.DaylightName : zone.StandardName;
        return $"{name}, UTC{ToLocal(instant, location):zzz}";
    }

    private static string Row(string label, string valueHtml) =>
        $"<tr><th scope=\"row\" style=\"text-align:left;padding:4px 12px 4px 0;vertical-align:top\">{label}</th><td style=\"padding:4px 0\">{valueHtml}</td></tr>";

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
