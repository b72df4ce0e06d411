using CustomerExperience.Web.Staff;
using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Tests.Customers;

/// <summary>/staff/customers/{id}: details, notes, visits and the timeline, each staff change audited with the staff member's name.</summary>
public class CustomerPageTests : IAsyncLifetime
{
    private FrontDeskApp frontDesk = null!;
    private HttpClient dana = null!;
    private Customer customer = null!;

    public async Task InitializeAsync()
    {
        frontDesk = await FrontDeskApp.StartAsync(nameof(CustomerPageTests));
        dana = await frontDesk.StaffAsync("Dana Desk");
        customer = await frontDesk.SeedCustomerAsync("Margaret Okafor", "Peggy", "+1 212 555 0142", new DateOnly(1961, 4, 9));
    }

    public async Task DisposeAsync() => await frontDesk.DisposeAsync();

    private string Page => $"/staff/customers/{customer.Id}";

    private Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, Dictionary<string, string> fields) =>
        StaffSignIn.PostFormAsync(client, Page, fields, $"{Page}?handler={handler}");

    [Fact]
    public async Task Notes_added_and_edited_show_who_and_when_and_write_audit_entries()
    {
        var empty = await FrontDeskApp.HtmlAsync(await dana.GetAsync(Page));
        Assert.Contains($"action=\"{Page}?handler=AddNote\"", empty);
        Assert.Contains("No notes yet.", empty);
        var added = await PostAsync(dana, "AddNote", new() { ["noteText"] = "Nervous about results: explain the timeline." });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal($"{Page}#notes", added.Headers.Location!.ToString());
        var note = await frontDesk.DbAsync(db => db.CustomerNotes.AsNoTracking().SingleAsync());

        frontDesk.Clock.Advance(TimeSpan.FromMinutes(90));
        var eli = await frontDesk.StaffAsync("Eli Editor");
        var edited = await PostAsync(eli, "EditNote", new() { ["noteId"] = note.Id.ToString(), ["noteText"] = "Nervous about results: call her with them." });
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);

        var html = await FrontDeskApp.HtmlAsync(await dana.GetAsync(Page));
        Assert.Contains($"action=\"{Page}?handler=EditNote\"", html);
        Assert.Contains("Nervous about results: call her with them.", html);
        Assert.DoesNotContain("explain the timeline", html[html.IndexOf("id=\"note-list\"", StringComparison.Ordinal)..html.IndexOf("id=\"visits\"", StringComparison.Ordinal)]);
        Assert.Contains("Added by <span class=\"who\">Dana Desk</span> on <time datetime=\"2026-11-23T12:00:00+00:00\">Mon Nov 23, 2026 7:00 AM</time>", html);
        Assert.Contains("edited by <span class=\"who\">Eli Editor</span> on <time datetime=\"2026-11-23T13:30:00+00:00\">Mon Nov 23, 2026 8:30 AM</time>", html);

        var addedEntry = Assert.Single(await frontDesk.AuditAsync(AuditActions.NoteAdded));
        Assert.Equal(("Dana Desk", customer.Id), (addedEntry.StaffName, addedEntry.CustomerId!.Value));
        Assert.Contains("explain the timeline", addedEntry.Details);
        var editedEntry = Assert.Single(await frontDesk.AuditAsync(AuditActions.NoteEdited));
        Assert.Equal("Eli Editor", editedEntry.StaffName);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 13, 30, 0, TimeSpan.Zero), editedEntry.At);
        Assert.Contains("“Nervous about results: explain the timeline.” to “Nervous about results: call her with them.”", editedEntry.Details);
    }

    [Theory]
    [InlineData("", "Write the note first.")]
    [InlineData("   ", "Write the note first.")]
    [InlineData("bell\u0007", "cannot contain control characters")]
    public async Task A_bad_note_gets_a_message_and_nothing_is_saved(string text, string message)
    {
        var response = await PostAsync(dana, "AddNote", new() { ["noteText"] = text });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await FrontDeskApp.HtmlAsync(response));
        Assert.Equal(0, await frontDesk.DbAsync(db => db.CustomerNotes.CountAsync()));
        Assert.Empty(await frontDesk.AuditAsync(AuditActions.NoteAdded));
    }

    [Fact]
    public async Task A_note_of_another_customer_cannot_be_edited_through_this_page()
    {
        var other = await frontDesk.SeedCustomerAsync("Someone Else");
        await StaffSignIn.PostFormAsync(dana, $"/staff/customers/{other.Id}", new() { ["noteText"] = "Theirs." }, $"/staff/customers/{other.Id}?handler=AddNote");
        var note = await frontDesk.DbAsync(db => db.CustomerNotes.AsNoTracking().SingleAsync());

        var response = await PostAsync(dana, "EditNote", new() { ["noteId"] = note.Id.ToString(), ["noteText"] = "Changed." });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Theirs.", (await frontDesk.DbAsync(db => db.CustomerNotes.AsNoTracking().SingleAsync())).Text);
    }

    [Fact]
    public async Task Editing_details_saves_them_and_audits_what_changed()
    {
        var response = await PostAsync(dana, "Details", new()
        {
            ["preferredName"] = "Maggie", ["pronunciation"] = "MAG-ee", ["phone"] = "(212) 555-0199",
            ["preferences"] = "Prefers a female technologist.", ["preferredTimeOfDay"] = "Morning",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await frontDesk.DbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id));
        Assert.Equal(("Maggie", "MAG-ee", "(212) 555-0199", "Prefers a female technologist.", TimeOfDayPreference.Morning),
            (saved.PreferredName, saved.Pronunciation, saved.Phone, saved.Preferences, saved.PreferredTimeOfDay));
        var entry = Assert.Single(await frontDesk.AuditAsync(AuditActions.CustomerUpdated));
        Assert.Equal(("Dana Desk", customer.Id), (entry.StaffName, entry.CustomerId!.Value));
        Assert.Contains("preferred name: “Peggy” → “Maggie”", entry.Details);
        Assert.Contains("phone: “+1 212 555 0142” → “(212) 555-0199”", entry.Details);
        Assert.Contains("preferred time of day: Any → Morning", entry.Details);

        var html = await FrontDeskApp.HtmlAsync(await dana.GetAsync(Page));
        Assert.Contains("Greet as <strong>Maggie</strong> (say “MAG-ee”)", html);
        Assert.Contains("Details saved.", html);

        // The same values again change nothing and record nothing.
        await PostAsync(dana, "Details", new()
        {
            ["preferredName"] = "Maggie", ["pronunciation"] = "MAG-ee", ["phone"] = "(212) 555-0199",
            ["preferences"] = "Prefers a female technologist.", ["preferredTimeOfDay"] = "Morning",
        });
        Assert.Single(await frontDesk.AuditAsync(AuditActions.CustomerUpdated));
    }

    [Theory]
    [InlineData("phone", "12", "at least 7 digits")]
    [InlineData("preferredTimeOfDay", "Noon", "Choose a time of day")]
    [InlineData("preferredName", "Peg\r\ngy", "cannot contain line breaks")]
    public async Task Bad_details_get_a_message_and_nothing_changes(string field, string value, string message)
    {
        var fields = new Dictionary<string, string> { ["preferredName"] = "Peggy", ["phone"] = "+1 212 555 0142", ["preferredTimeOfDay"] = "Any" };
        fields[field] = value;

        var response = await PostAsync(dana, "Details", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await FrontDeskApp.HtmlAsync(response));
        Assert.Empty(await frontDesk.AuditAsync(AuditActions.CustomerUpdated));
        var saved = await frontDesk.DbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id));
        Assert.Equal(("Peggy", "+1 212 555 0142"), (saved.PreferredName, saved.Phone));
    }

    [Fact]
    public async Task The_timeline_lists_booking_email_check_in_and_note_newest_first()
    {
        var email = MailDev.UniqueAddress("timeline");
        var (visitId, _) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 11, 30, 9), email, "Timeline Customer");
        frontDesk.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await frontDesk.DeliverEmailsAsync());
        frontDesk.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 13, 55, 0, TimeSpan.Zero));
        await frontDesk.DbAsync(async db =>
        {
            var visit = await db.Appointments.SingleAsync(a => a.Id == visitId);
            visit.CheckIn(frontDesk.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });
        frontDesk.Clock.Advance(TimeSpan.FromMinutes(5));
        // A week later: yesterday's sign-in has expired.
        dana = await frontDesk.StaffAsync("Dana Desk");
        var customerId = await frontDesk.DbAsync(db => db.Customers.Where(c => c.Email == email).Select(c => c.Id).SingleAsync());
        await StaffSignIn.PostFormAsync(dana, $"/staff/customers/{customerId}", new() { ["noteText"] = "Asked about parking." },
            $"/staff/customers/{customerId}?handler=AddNote");

        var html = await FrontDeskApp.HtmlAsync(await dana.GetAsync($"/staff/customers/{customerId}"));

        Assert.Equal([TimelineKinds.Note, TimelineKinds.CheckedIn, TimelineKinds.Email, TimelineKinds.Booked], FrontDeskApp.TimelineKinds(html));
        var timeline = html[html.IndexOf("id=\"timeline\"", StringComparison.Ordinal)..];
        Assert.Contains("Booked Screening mammogram for Mon Nov 30, 2026 9:00 AM at Test Screening Center", timeline);
        Assert.Contains("Source: online", timeline);
        Assert.Contains("Email: Booked: Clinic appointment, Monday, November 30, 2026 at 9:00 AM", timeline);
        Assert.Contains("confirmation · sent", timeline);
        Assert.Contains("Mon Nov 23, 2026 7:01 AM", timeline);
        Assert.Contains("Checked in for Screening mammogram at Test Screening Center", timeline);
        Assert.Contains("Asked about parking.", timeline);
        Assert.Contains("by <span class=\"who\">Dana Desk</span>", timeline);

        var visits = html[html.IndexOf("id=\"visit-history\"", StringComparison.Ordinal)..];
        Assert.Contains($"data-visit-id=\"{visitId}\" data-status=\"CheckedIn\"", visits);
        Assert.Contains("Mon Nov 30, 2026 9:00 AM", visits);
    }

    [Fact]
    public async Task Staff_changes_to_a_visit_appear_once_on_the_timeline_with_who_did_them()
    {
        var visit = await frontDesk.SeedVisitAsync(customer.Id, new DateTimeOffset(2026, 12, 2, 10, 0, 0, TestClinic.Eastern));
        frontDesk.Clock.Advance(TimeSpan.FromMinutes(1));
        await StaffSignIn.PostFormAsync(dana, $"/staff/visits/{visit.Id}/reschedule", new() { ["reason"] = "Called: has the flu." },
            $"/staff/visits/{visit.Id}/reschedule?handler=Cancel");

        var html = await FrontDeskApp.HtmlAsync(await dana.GetAsync(Page));

        Assert.Equal([TimelineKinds.Email, TimelineKinds.Cancelled, TimelineKinds.Booked], FrontDeskApp.TimelineKinds(html));
        var timeline = html[html.IndexOf("id=\"timeline\"", StringComparison.Ordinal)..];
        Assert.Contains("Cancelled Screening mammogram of Wed Dec 2, 2026 10:00 AM at Test Screening Center", timeline);
        Assert.Contains("Reason: Called: has the flu.", timeline);
        Assert.Contains("by <span class=\"who\">Dana Desk</span>", timeline);
        Assert.Contains("email:", timeline.ToLowerInvariant());
    }

    [Fact]
    public async Task An_unknown_customer_is_a_404()
    {
        var response = await dana.GetAsync($"/staff/customers/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Forms_without_the_antiforgery_token_are_refused()
    {
        foreach (var handler in new[] { "AddNote", "EditNote", "Details" })
        {
            var response = await dana.PostAsync($"{Page}?handler={handler}",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["noteText"] = "Forged.", ["preferredName"] = "Forged" }));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Equal(0, await frontDesk.DbAsync(db => db.CustomerNotes.CountAsync()));
        Assert.Equal(0, await frontDesk.DbAsync(db => db.AuditEntries.CountAsync()));
    }
}
