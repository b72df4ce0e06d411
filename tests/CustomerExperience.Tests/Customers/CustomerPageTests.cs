using CustomerExperience.Web.Staff;
using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>The details form as the page shows it now (with the row version it carries), changed by <paramref name="changes"/>.</summary>
    private async Task<Dictionary<string, string>> DetailsFormAsync(Dictionary<string, string> changes)
    {
        var saved = await frontDesk.DbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id));
        var html = await dana.GetStringAsync(Page);
        Assert.Contains($"name=\"version\" value=\"{saved.Version}\"", html);
        var form = new Dictionary<string, string>
        {
            ["version"] = saved.Version.ToString(), ["fullName"] = saved.FullName, ["email"] = saved.Email,
            ["dateOfBirth"] = saved.DateOfBirth?.ToString("yyyy-MM-dd") ?? "", ["preferredName"] = saved.PreferredName ?? "",
            ["pronunciation"] = saved.Pronunciation ?? "", ["phone"] = saved.Phone ?? "", ["preferences"] = saved.Preferences ?? "",
            ["preferredTimeOfDay"] = saved.PreferredTimeOfDay.ToString(),
        };
        foreach (var (field, value) in changes) form[field] = value;
        return form;
    }

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
        var response = await PostAsync(dana, "Details", await DetailsFormAsync(new()
        {
            ["preferredName"] = "Maggie", ["pronunciation"] = "MAG-ee", ["phone"] = "(212) 555-0199",
            ["preferences"] = "Prefers a female technologist.", ["preferredTimeOfDay"] = "Morning",
            ["fullName"] = "Margaret Okafor-Reid", ["email"] = "Maggie.Reid@Example.com", ["dateOfBirth"] = "04/19/1961",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await frontDesk.DbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id));
        Assert.Equal(("Maggie", "MAG-ee", "(212) 555-0199", "Prefers a female technologist.", TimeOfDayPreference.Morning),
            (saved.PreferredName, saved.Pronunciation, saved.Phone, saved.Preferences, saved.PreferredTimeOfDay));
        Assert.Equal(("Margaret Okafor-Reid", "Maggie.Reid@Example.com", "maggie.reid@example.com", new DateOnly(1961, 4, 19)),
            (saved.FullName, saved.Email, saved.NormalizedEmail, saved.DateOfBirth));
        var entry = Assert.Single(await frontDesk.AuditAsync(AuditActions.CustomerUpdated));
        Assert.Equal(("Dana Desk", customer.Id), (entry.StaffName, entry.CustomerId!.Value));
        Assert.Contains("preferred name: “Peggy” → “Maggie”", entry.Details);
        Assert.Contains("phone: “+1 212 555 0142” → “(212) 555-0199”", entry.Details);
        Assert.Contains("preferred time of day: Any → Morning", entry.Details);
        Assert.Contains("full name: “Margaret Okafor” → “Margaret Okafor-Reid”", entry.Details);
        Assert.Contains("email: “" + customer.Email + "” → “Maggie.Reid@Example.com”", entry.Details);
        Assert.Contains("date of birth: 1961-04-09 → 1961-04-19", entry.Details);

        var html = await FrontDeskApp.HtmlAsync(await dana.GetAsync(Page));
        Assert.Contains("Greet as <strong>Maggie</strong> (say “MAG-ee”)", html);
        Assert.Contains("Details saved.", html);

        // The same values again change nothing and record nothing.
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(dana, "Details", await DetailsFormAsync([]))).StatusCode);
        Assert.Single(await frontDesk.AuditAsync(AuditActions.CustomerUpdated));
    }

    [Theory]
    [InlineData("phone", "12", "at least 7 digits")]
    [InlineData("preferredTimeOfDay", "Noon", "Choose a time of day")]
    [InlineData("preferredName", "Peg\r\ngy", "cannot contain line breaks")]
    [InlineData("fullName", "  ", "Enter your full name")]
    [InlineData("email", "peggy@", "Enter an email address like name@example.com.")]
    [InlineData("dateOfBirth", "31/04/1961", "Enter the date of birth as YYYY-MM-DD or MM/DD/YYYY, or leave it empty.")]
    [InlineData("dateOfBirth", "2030-01-01", "Date of birth cannot be in the future.")]
    [InlineData("version", "", "This form is out of date. Reload the page and make the change again.")]
    public async Task Bad_details_get_a_400_with_a_message_and_nothing_changes(string field, string value, string message)
    {
        var response = await PostAsync(dana, "Details", await DetailsFormAsync(new() { [field] = value, ["preferredName"] = field == "preferredName" ? value : "Changed" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await FrontDeskApp.HtmlAsync(response));
        Assert.Empty(await frontDesk.AuditAsync(AuditActions.CustomerUpdated));
        var saved = await frontDesk.DbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id));
        Assert.Equal(("Margaret Okafor", "Peggy", "+1 212 555 0142", new DateOnly(1961, 4, 9)), (saved.FullName, saved.PreferredName, saved.Phone, saved.DateOfBirth));
    }

    [Fact]
    public async Task Two_staff_editing_at_once_the_second_is_told_it_changed_meanwhile_and_sees_the_current_values()
    {
        var dana1 = await DetailsFormAsync(new() { ["phone"] = "(212) 555-0111" });
        var eli = await frontDesk.StaffAsync("Eli Editor");
        var eliForm = await DetailsFormAsync(new() { ["fullName"] = "Margaret Okafor-Eli" });

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(dana, "Details", dana1)).StatusCode);
        var late = await PostAsync(eli, "Details", eliForm);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var html = await FrontDeskApp.HtmlAsync(late);
        Assert.Contains("Someone else changed this customer's details meanwhile.", html);
        Assert.Contains("value=\"(212) 555-0111\"", html);
        Assert.Contains("value=\"Margaret Okafor\"", html);
        var saved = await frontDesk.DbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id));
        Assert.Equal(("Margaret Okafor", "(212) 555-0111"), (saved.FullName, saved.Phone));
        Assert.Single(await frontDesk.AuditAsync(AuditActions.CustomerUpdated));

        // With the current version Eli's change goes through.
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(eli, "Details", await DetailsFormAsync(new() { ["fullName"] = "Margaret Okafor-Eli" }))).StatusCode);
        Assert.Equal("Margaret Okafor-Eli", (await frontDesk.DbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id))).FullName);
    }

    [Fact]
    public async Task A_save_that_loses_the_race_after_loading_is_changed_meanwhile_too()
    {
        // The row changes between the page's load and its save: the xmin check in SaveChanges refuses the write.
        var form = await DetailsFormAsync(new() { ["phone"] = "(212) 555-0122" });
        await using var scope = frontDesk.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomerExperience.Web.Data.AppDbContext>();
        var stale = await db.Customers.SingleAsync(c => c.Id == customer.Id);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(dana, "Details", form)).StatusCode);

        stale.Phone = "(212) 555-0133";
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
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
