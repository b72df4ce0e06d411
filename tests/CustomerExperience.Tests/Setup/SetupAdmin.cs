using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Customers;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Tests.Setup;

/// <summary>The test clinic (New York, one room open weekdays 08–12 and 13–17; now is Monday 23 November 2026, 07:00 there) and an admin signed in.</summary>
public sealed partial class SetupAdmin : IAsyncDisposable
{
    public FrontDeskApp Clinic { get; private init; } = null!;
    public HttpClient Admin { get; private init; } = null!;
    public TestClinic Test => Clinic.Clinic;

    public static async Task<SetupAdmin> StartAsync(string name, Action<AppFactory>? configure = null)
    {
        var clinic = await FrontDeskApp.StartAsync(name, configure);
        return new SetupAdmin { Clinic = clinic, Admin = await StaffSignIn.ClientAsync(clinic.App, StaffRoles.Admin) };
    }

    public async ValueTask DisposeAsync() => await Clinic.DisposeAsync();

    /// <summary>GETs the page for its antiforgery token, then POSTs the fields (a key may repeat, as checkboxes do).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        var token = await StaffSignIn.AntiforgeryTokenAsync(client, page);
        return await client.PostAsync(action ?? page, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
    }

    /// <summary>The room form's fields for the test room as seeded, with <paramref name="hours"/> on every weekday.</summary>
    public List<KeyValuePair<string, string>> RoomFields(string name = "Room 1", string hours = "08:00–12:00, 13:00–17:00",
        bool active = true, string? stamp = null, string? kind = "Room", Guid? service = null, Guid? location = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Form.Name", name), new("Form.Kind", kind ?? ""), new("Form.LocationId", (location ?? Test.LocationId).ToString()),
            new("Form.Services", (service ?? Test.ServiceId).ToString()), new("stamp", stamp ?? ""),
        };
        foreach (var day in new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" })
            fields.Add(new($"Form.Hours[{day}]", hours));
        if (active) fields.Add(new("Form.Active", "true"));
        fields.Add(new("Form.Active", "false"));
        return fields;
    }

    public async Task<string> StampAsync(Guid roomId)
    {
        var html = await Admin.GetStringAsync($"/staff/admin/rooms/{roomId}");
        return StampField().Match(html).Groups[1].Value;
    }

    /// <summary>The visit ids the confirm step lists, top to bottom.</summary>
    public static List<Guid> Listed(string html)
    {
        var table = html.IndexOf("id=\"affected-visits\"", StringComparison.Ordinal);
        Assert.True(table >= 0, "no list of affected visits on the page");
        return ListedVisit().Matches(html[table..html.IndexOf("</table>", table, StringComparison.Ordinal)])
            .Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
    }

    public static IEnumerable<KeyValuePair<string, string>> Decide(IEnumerable<Guid> visits, string then) =>
        visits.Select(v => new KeyValuePair<string, string>("acknowledged", v.ToString())).Append(new("then", then));

    public Task<Appointment> VisitAsync(Guid id) => Clinic.DbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id));

    /// <summary>Books online through the API and delivers the confirmation, so later emails are the change's own.</summary>
    public async Task<Guid> BookAsync(string start, string email)
    {
        var (id, _) = await Clinic.BookOnlineAsync(start, email);
        await Clinic.DeliverEmailsAsync();
        await MailDev.WaitForAsync(email);
        return id;
    }

    /// <summary>The emails to <paramref name="email"/> whose subject starts with <paramref name="subject"/>, once at least one has arrived.</summary>
    public static async Task<List<JsonElement>> EmailsAsync(string email, string subject, int count = 1)
    {
        List<JsonElement> found = [];
        await Eventually.TrueAsync(async () => (found = (await MailDev.MessagesToAsync(email))
                .Where(m => m.GetProperty("subject").GetString()!.StartsWith(subject, StringComparison.Ordinal)).ToList()).Count >= count,
            TimeSpan.FromSeconds(15), $"{count} “{subject}” email(s) to {email}");
        return found;
    }

    public static async Task<string> HtmlAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    [GeneratedRegex("name=\"stamp\" value=\"([0-9A-F]*)\"")]
    private static partial Regex StampField();

    [GeneratedRegex("data-visit=\"([0-9a-f-]{36})\"")]
    private static partial Regex ListedVisit();
}
