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

    public EmailMessage Build(Change change, Appointment visit, Service service, Location location, Customer customer,
        string manageToken, DateTimeOffset now)
    {
        var when = FormatWhen(visit.Start, location);
        var manageUrl = ManageUrl(manageToken);
        var clinic = app.Value.ClinicName;
        var (kind, subject, intro) = change switch
        {
            Change.Booked when visit.Source == BookingSource.Rebooking => ("confirmation",
                $"We booked your next {service.CalendarTitle.ToLowerInvariant()}: {when}",
                $"To keep you on schedule, we booked your next visit for you. If the time does not suit you, change or cancel it in one click: {manageUrl}"),
            Change.Booked => ("confirmation", $"Booked: {service.CalendarTitle}, {when}", "Your visit is booked."),
            Change.Rescheduled => ("rescheduled", $"New time: {service.CalendarTitle}, {when}", "Your visit has moved to a new time."),
            _ => ("cancelled", $"Cancelled: {service.CalendarTitle}, {when}", "Your visit is cancelled. We hope to see you another time."),
        };
        var cancelled = change == Change.Cancelled;

        var text = new StringBuilder()
            .AppendLine($"Hello {customer.Greeting},").AppendLine()
            .AppendLine(intro).AppendLine()
            .AppendLine($"What:  {service.Name}")
            .AppendLine($"When:  {when} ({ZoneName(location, visit.Start)})")
            .AppendLine($"Where: {location.Name}, {location.FullAddress}");
        if (!cancelled)
        {
            AppendVisitNotesText(text, service, location);
            text.AppendLine().AppendLine($"Reschedule or cancel: {manageUrl}");
        }
        else
            text.AppendLine().AppendLine($"Book again: {app.Value.PublicBaseUrl.TrimEnd('/')}/book");
        text.AppendLine().AppendLine($"Questions? Call {location.Name} on {location.Phone}.").AppendLine().AppendLine(clinic);

        var html = new StringBuilder()
            .Append(EmailHtml.Start)
            .Append($"<p>Hello {H(customer.Greeting)},</p><p>{H(intro)}</p>")
            .Append("<table role=\"presentation\" style=\"border-collapse:collapse\">")
            .Append(Row("What", H(service.Name)))
            .Append(Row("When", $"{H(when)} <span style=\"color:#4a5568\">({H(ZoneName(location, visit.Start))})</span>"))
            .Append(Row("Where", $"{H(location.Name)}<br>{H(location.FullAddress)}"))
            .Append("</table>");
        if (!cancelled)
        {
            AppendVisitNotesHtml(html, service, location);
            html.Append($"<p><a href=\"{H(manageUrl)}\" style=\"display:inline-block;padding:10px 16px;background:#0b5cab;color:#fff;text-decoration:none;border-radius:6px\">Reschedule or cancel</a></p>");
        }
        html.Append($"<p>Questions? Call {H(location.Name)} on <a href=\"tel:{H(location.Phone.Replace(" ", ""))}\">{H(location.Phone)}</a>.</p><p>{H(clinic)}</p>" + EmailHtml.End);

        var invite = Invite(visit, service, location, customer, now, cancelled);
        return new EmailMessage(kind, $"{kind}:{visit.Id}:{visit.CalendarSequence}", customer.Email, customer.FullName,
            subject, text.ToString(), html.ToString())
        {
            Ics = invite.ToIcs(),
            IcsMethod = cancelled ? "CANCEL" : "REQUEST",
            CustomerId = customer.Id,
            AppointmentId = visit.Id,
        };
    }

    /// <summary>A reminder of a booked visit: transactional, so it goes out even to customers who opted out of marketing.</summary>
    /// <summary>The idempotency key of a visit's reminder: one per offset and calendar sequence.</summary>
    public static string ReminderKey(Appointment visit, int offsetMinutes) => $"reminder:{visit.Id}:{offsetMinutes}:{visit.CalendarSequence}";

    public EmailMessage Reminder(Appointment visit, Service service, Location location, Customer customer, string manageUrl, int offsetMinutes)
    {
        var when = FormatWhen(visit.Start, location);
        var text = new StringBuilder()
            .AppendLine($"Hello {customer.Greeting},").AppendLine()
            .AppendLine($"A reminder of your visit: {service.Name}, {when} ({ZoneName(location, visit.Start)}).").AppendLine()
            .AppendLine($"Where: {location.Name}, {location.FullAddress}");
        AppendVisitNotesText(text, service, location);
        text.AppendLine().AppendLine($"Need to change it? {manageUrl}");
        text.AppendLine().AppendLine(app.Value.ClinicName);

        var html = new StringBuilder()
            .Append(EmailHtml.Start)
            .Append($"<p>Hello {H(customer.Greeting)},</p><p>A reminder of your visit:</p>")
            .Append("<table role=\"presentation\" style=\"border-collapse:collapse\">")
            .Append(Row("What", H(service.Name)))
            .Append(Row("When", $"{H(when)} <span style=\"color:#4a5568\">({H(ZoneName(location, visit.Start))})</span>"))
            .Append(Row("Where", $"{H(location.Name)}<br>{H(location.FullAddress)}"))
            .Append("</table>");
        AppendVisitNotesHtml(html, service, location);
        html.Append($"<p><a href=\"{H(manageUrl)}\">Reschedule or cancel</a></p>");
        html.Append($"<p>{H(app.Value.ClinicName)}</p>" + EmailHtml.End);

        return new EmailMessage("reminder", ReminderKey(visit, offsetMinutes), customer.Email, customer.FullName,
            $"Reminder: {service.CalendarTitle}, {when}", text.ToString(), html.ToString())
        {
            CustomerId = customer.Id,
            AppointmentId = visit.Id,
        };
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

    /// <summary>Directions, arrival and parking, preparation: what every email about an upcoming visit carries.</summary>
    private static void AppendVisitNotesText(StringBuilder text, Service service, Location location)
    {
        if (location.DirectionsUrl is not null) text.AppendLine($"Directions: {location.DirectionsUrl}");
        if (location.ArrivalAndParking.Count > 0) text.AppendLine().AppendLine($"Arrival and parking: {string.Join(" ", location.ArrivalAndParking)}");
        if (service.PreparationNotes is not null) text.AppendLine().AppendLine($"How to prepare: {service.PreparationNotes}");
    }

    private static void AppendVisitNotesHtml(StringBuilder html, Service service, Location location)
    {
        if (location.DirectionsUrl is not null) html.Append($"<p><a href=\"{H(location.DirectionsUrl)}\">Directions</a></p>");
        if (location.ArrivalAndParking.Count > 0)
            html.Append("<h2 style=\"font-size:1rem\">Arrival and parking</h2>").AppendJoin("", location.ArrivalAndParking.Select(note => $"<p>{H(note)}</p>"));
        if (service.PreparationNotes is not null) html.Append($"<h2 style=\"font-size:1rem\">How to prepare</h2><p>{H(service.PreparationNotes)}</p>");
    }

    private static string Row(string label, string valueHtml) =>
        $"<tr><th scope=\"row\" style=\"text-align:left;padding:4px 12px 4px 0;vertical-align:top\">{label}</th><td style=\"padding:4px 0\">{valueHtml}</td></tr>";

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
