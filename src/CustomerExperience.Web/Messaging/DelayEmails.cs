using System.Net;
using System.Text;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Messaging;

/// <summary>
/// "We're running about N minutes late": transactional (sent even to customers who opted out of other email), one per
/// delay and visit, again only with a new figure. The subject names the place and time, never the service.
/// </summary>
public class DelayEmails(IOptions<AppOptions> app)
{
    public const string Kind = "delay";

    public EmailMessage Build(Delay delay, Appointment visit, Location location, Customer customer, string manageUrl)
    {
        var booked = Time(visit.Start, location);
        var expected = Time(visit.Start.AddMinutes(delay.Minutes), location);
        var checkedIn = visit.Status == AppointmentStatus.CheckedIn;
        var lead = $"{location.Name} is running about {delay.Minutes} minutes late. Your visit booked for {booked} is now expected to start at about {expected}.";
        var advice = checkedIn
            ? "Thank you for your patience; we will call you as soon as we can."
            : "We may catch up, so please still come at your booked time if you can.";
        var latest = $"The latest expected time is always on your visit page: {manageUrl}";

        var text = new StringBuilder()
            .AppendLine($"Hello {customer.Greeting},").AppendLine()
            .AppendLine(lead).AppendLine();
        if (delay.Message is not null) text.AppendLine($"From the clinic: {delay.Message}").AppendLine();
        text.AppendLine(advice).AppendLine()
            .AppendLine(latest).AppendLine()
            .AppendLine("Sorry for the wait.").AppendLine(app.Value.ClinicName);

        var html = new StringBuilder()
            .Append(EmailHtml.Start)
            .Append($"<p>Hello {H(customer.Greeting)},</p>")
            .Append($"<p>{H(location.Name)} is running about {delay.Minutes} minutes late. Your visit booked for {H(booked)} is now expected to start at about <strong>{H(expected)}</strong>.</p>");
        if (delay.Message is not null) html.Append($"<p>From the clinic: {H(delay.Message)}</p>");
        html.Append($"<p>{H(advice)}</p>");
        html.Append($"<p>The latest expected time is always on <a href=\"{H(manageUrl)}\">your visit page</a>.</p>");
        html.Append($"<p>Sorry for the wait.<br>{H(app.Value.ClinicName)}</p>" + EmailHtml.End);

        return new EmailMessage(Kind, $"delay:{delay.Id}:{visit.Id}:{delay.Minutes}", customer.Email, customer.FullName,
            $"Running late: {location.Name}, your visit now about {expected}", text.ToString(), html.ToString())
        {
            CustomerId = customer.Id,
            AppointmentId = visit.Id,
        };
    }

    /// <summary>"9:45 AM" in the location's zone.</summary>
    public static string Time(DateTimeOffset instant, Location location) =>
        AppointmentEmails.ToLocal(instant, location).ToString("h:mm tt", AppointmentEmails.Culture);

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
