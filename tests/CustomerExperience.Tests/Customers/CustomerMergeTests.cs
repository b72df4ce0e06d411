using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Tests.Customers;

/// <summary>Possible duplicates (/staff/customers/duplicates) and merging two records of one person (managers).</summary>
public class CustomerMergeTests : IAsyncLifetime
{
    private FrontDeskApp frontDesk = null!;
    private HttpClient manager = null!;
    private string familyEmail = null!;
    private Guid kept;
    private Guid other;
    private Guid otherVisit;
    private string otherToken = null!;

    public async Task InitializeAsync()
    {
        frontDesk = await FrontDeskApp.StartAsync(nameof(CustomerMergeTests));
        manager = await StaffSignIn.ClientAsync(frontDesk.App, StaffRoles.Manager);
        familyEmail = MailDev.UniqueAddress("family");
        // One person who booked twice with two addresses; her mother shares the first address.
        var (keptVisit, _) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), familyEmail, "Daisy Customer");
        (otherVisit, otherToken) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 2, 9), MailDev.UniqueAddress("work"), "daisy customer");
        await frontDesk.SeedCustomerAsync("Mum Customer", dateOfBirth: new DateOnly(1940, 1, 2), email: familyEmail);
        kept = await frontDesk.DbAsync(db => db.Appointments.Where(a => a.Id == keptVisit).Select(a => a.CustomerId).SingleAsync());
        other = await frontDesk.DbAsync(db => db.Appointments.Where(a => a.Id == otherVisit).Select(a => a.CustomerId).SingleAsync());
    }

    public async Task DisposeAsync() => await frontDesk.DisposeAsync();

    private string MergeUrl(Guid keep, Guid merge) => $"/staff/customers/{keep}/merge?otherId={merge}";

    [Fact]
    public async Task The_duplicates_list_shows_customers_sharing_an_email_and_customers_with_the_same_name_and_birth_date()
    {
        var desk = await frontDesk.StaffAsync("Dana Desk");
        var html = await FrontDeskApp.HtmlAsync(await desk.GetAsync("/staff/customers/duplicates"));

        var byEmail = html[html.IndexOf("data-reason=\"The same email\"", StringComparison.Ordinal)..];
        byEmail = byEmail[..byEmail.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains("Daisy Customer", byEmail);
        Assert.Contains("Mum Customer", byEmail);
        var byName = html[html.IndexOf("data-reason=\"The same name and date of birth\"", StringComparison.Ordinal)..];
        byName = byName[..byName.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains($"data-customer-id=\"{kept}\"", byName);
        Assert.Contains($"data-customer-id=\"{other}\"", byName);
        Assert.DoesNotContain("Mum Customer", byName);
        Assert.Contains($"href=\"{MergeUrl(kept, other)}\"", byName);
    }

    [Fact]
    public async Task Merging_moves_visits_notes_emails_and_audit_to_the_kept_customer_and_is_audited_on_its_timeline()
    {
        var desk = await frontDesk.StaffAsync("Dana Desk");
        await StaffSignIn.PostFormAsync(desk, $"/staff/customers/{other}", new() { ["noteText"] = "Prefers mornings." }, $"/staff/customers/{other}?handler=AddNote");
        var confirm = await FrontDeskApp.HtmlAsync(await manager.GetAsync(MergeUrl(kept, other)));
        Assert.Contains("1 visits, 1 notes", confirm);

        var response = await StaffSignIn.PostFormAsync(manager, MergeUrl(kept, other), new() { ["otherId"] = other.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/customers/{kept}", response.Headers.Location!.ToString());
        Assert.False(await frontDesk.DbAsync(db => db.Customers.AnyAsync(c => c.Id == other)));
        Assert.Equal(kept, await frontDesk.DbAsync(db => db.Appointments.Where(a => a.Id == otherVisit).Select(a => a.CustomerId).SingleAsync()));
        Assert.Equal(kept, (await frontDesk.DbAsync(db => db.CustomerNotes.AsNoTracking().SingleAsync())).CustomerId);
        Assert.Equal(2, await frontDesk.DbAsync(db => db.OutboundEmails.CountAsync(e => e.CustomerId == kept)));
        Assert.False(await frontDesk.DbAsync(db => db.OutboundEmails.AnyAsync(e => e.CustomerId == other)));
        Assert.Equal(kept, Assert.Single(await frontDesk.AuditAsync(AuditActions.NoteAdded)).CustomerId);
        var merged = Assert.Single(await frontDesk.AuditAsync(AuditActions.CustomerMerged));
        Assert.Equal((kept, "Test Manager"), (merged.CustomerId!.Value, merged.StaffName));
        Assert.Contains("Merged daisy customer", merged.Details);
        Assert.Contains("1 visits, 1 notes, 1 emails and 1 audit entries moved", merged.Details);

        // The moved visit's manage link still opens it; the kept customer's page shows both visits and the merge.
        Assert.Equal(HttpStatusCode.OK, (await frontDesk.App.CreateClient().GetAsync($"/manage/{otherToken}")).StatusCode);
        var page = await FrontDeskApp.HtmlAsync(await manager.GetAsync($"/staff/customers/{kept}"));
        Assert.Contains(TimelineKinds.Merged, FrontDeskApp.TimelineKinds(page));
        Assert.Contains("Merged with a duplicate customer", page);
        Assert.Contains($"data-visit-id=\"{otherVisit}\"", page);
    }

    [Fact]
    public async Task Merging_a_customer_into_itself_or_a_missing_one_is_refused_and_changes_nothing()
    {
        var self = await StaffSignIn.PostFormAsync(manager, $"/staff/customers/{kept}", new() { ["otherId"] = kept.ToString() }, MergeUrl(kept, kept));
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Contains("A customer cannot be merged into itself.", await FrontDeskApp.HtmlAsync(self));
        Assert.Equal(HttpStatusCode.BadRequest, (await manager.GetAsync(MergeUrl(kept, kept))).StatusCode);

        var missing = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync(MergeUrl(kept, missing))).StatusCode);
        var gone = await StaffSignIn.PostFormAsync(manager, $"/staff/customers/{kept}", new() { ["otherId"] = missing.ToString() }, MergeUrl(kept, missing));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        Assert.Equal(3, await frontDesk.DbAsync(db => db.Customers.CountAsync()));
        Assert.Empty(await frontDesk.AuditAsync(AuditActions.CustomerMerged));
    }

    [Fact]
    public async Task Front_desk_cannot_merge()
    {
        var desk = await frontDesk.StaffAsync("Dana Desk");
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.GetAsync(MergeUrl(kept, other))).StatusCode);
        Assert.Equal(3, await frontDesk.DbAsync(db => db.Customers.CountAsync()));
    }
}
