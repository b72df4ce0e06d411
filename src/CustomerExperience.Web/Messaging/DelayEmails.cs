using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Messaging;

/// <summary>
/// "We're running about N minutes late": transactional (sent even to customers who opted out of other email), one per
/// delay and visit, again only with a new figure. The default subject names the place and time, never the service.
/// </summary>
public class DelayEmails(IOptions<AppOptions> app)
{
    public const string Kind = "delay";

    public EmailMessage Build(MessageTemplate template, Delay delay, Appointment visit, Location location, Customer customer, string manageUrl)
    {
        var values = new Dictionary<string, PlaceholderValue>
        {
            ["FirstName"] = customer.Greeting,
            ["ClinicName"] = app.Value.ClinicName,
            ["LocationName"] = location.Name,
            ["Minutes"] = delay.Minutes.ToString(AppointmentEmails.Culture),
            ["BookedTime"] = Time(visit.Start, location),
            ["ExpectedTime"] = Time(visit.Start.AddMinutes(delay.Minutes), location),
            ["ClinicMessage"] = delay.Message,
            ["Advice"] = visit.Status == AppointmentStatus.CheckedIn
                ? "Thank you for your patience; we will call you as soon as we can."
                : "We may catch up, so please still come at your booked time if you can.",
            ["ManageLink"] = new PlaceholderValue(manageUrl, "Your visit page"),
        };
        var (text, html) = template.RenderBody(values, MessageKinds.Delay.Placeholders);
        return new EmailMessage(Kind, $"delay:{delay.Id}:{visit.Id}:{delay.Minutes}", customer.Email, customer.FullName,
            template.RenderSubject(values), text, html)
        {
            CustomerId = customer.Id,
            AppointmentId = visit.Id,
        };
    }

    /// <summary>"9:45 AM" in the location's zone.</summary>
    public static string Time(DateTimeOffset instant, Location location) =>
        AppointmentEmails.ToLocal(instant, location).ToString("h:mm tt", AppointmentEmails.Culture);
}
