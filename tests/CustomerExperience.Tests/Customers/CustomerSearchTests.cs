using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;

namespace CustomerExperience.Tests.Customers;

/// <summary>/staff/customers?q=… through a signed-in front-desk client, against three customers who look alike.</summary>
public partial class CustomerSearchTests : IAsyncLifetime
{
    private FrontDeskApp frontDesk = null!;
    private HttpClient staff = null!;
    private Customer elodie = null!, jane = null!, janet = null!;

    public async Task InitializeAsync()
    {
        frontDesk = await FrontDeskApp.StartAsync(nameof(CustomerSearchTests));
        staff = await frontDesk.StaffAsync("Dana Desk");
        elodie = await frontDesk.SeedCustomerAsync("Élodie Martin", "Lo", "+1 212 555 0101", new DateOnly(1970, 5, 31), MailDev.UniqueAddress("elodie"));
        jane = await frontDesk.SeedCustomerAsync("Jane Smith", null, "(212) 555-0102", new DateOnly(1980, 2, 3), MailDev.UniqueAddress("jane"));
        janet = await frontDesk.SeedCustomerAsync("Janet Smithers", "Jet", "646-555-0101", new DateOnly(1970, 5, 30), MailDev.UniqueAddress("janet"));
    }

    public async Task DisposeAsync() => await frontDesk.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Html, List<Guid> Found)> SearchAsync(string q)
    {
        var response = await staff.GetAsync($"/staff/customers?q={Uri.EscapeDataString(q)}");
        var html = await FrontDeskApp.HtmlAsync(response);
        return (response.StatusCode, html, CustomerRow().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList());
    }

    [Theory]
    [InlineData("elodie")]
    [InlineData("ÉLODIE")]
    [InlineData("martin elodie")]
    [InlineData("Elodie Martin")]
    public async Task Finds_a_full_name_ignoring_case_and_accents(string q)
    {
        var (status, _, found) = await SearchAsync(q);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([elodie.Id], found);
    }

    [Fact]
    public async Task Finds_a_preferred_name()
    {
        var (_, _, found) = await SearchAsync("Jet");
        Assert.Equal([janet.Id], found);
    }

    [Fact]
    public async Task Every_word_must_match_somewhere_in_the_name()
    {
        var (_, html, found) = await SearchAsync("smith jane");
        Assert.Equal([jane.Id, janet.Id], found);
        Assert.Contains("2 customers with names containing “smith jane”", html);
    }

    [Fact]
    public async Task Finds_an_email_whatever_its_case()
    {
        var (_, _, found) = await SearchAsync(jane.Email.ToUpperInvariant());
        Assert.Equal([jane.Id], found);
    }

    [Theory]
    [InlineData("(212) 555-0101")]
    [InlineData("212.555.0101")]
    [InlineData("+1 (212) 555 0101")]
    public async Task Finds_a_phone_number_by_its_digits_only(string q)
    {
        // Stored as "+1 212 555 0101"; Janet's 646-555-0101 shares the last seven digits but not the area code.
        var (_, _, found) = await SearchAsync(q);
        Assert.Equal([elodie.Id], found);
    }

    [Fact]
    public async Task The_last_seven_digits_find_every_number_ending_in_them()
    {
        var (_, _, found) = await SearchAsync("555-0101");
        Assert.Equal([elodie.Id, janet.Id], found);
    }

    [Theory]
    [InlineData("1970-05-31")]
    [InlineData("05/31/1970")]
    public async Task Finds_a_date_of_birth_in_either_format(string q)
    {
        var (_, html, found) = await SearchAsync(q);
        Assert.Equal([elodie.Id], found);
        Assert.Contains("1 customer with date of birth 1970-05-31", html);
    }

    [Theory]
    [InlineData("1970-02-30")]
    [InlineData("02/30/1970")]
    [InlineData("31.05.1970")]
    [InlineData("5/31/70")]
    public async Task A_date_of_birth_that_is_not_a_date_gets_a_message_not_a_500(string q)
    {
        var (status, html, found) = await SearchAsync(q);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Enter it as YYYY-MM-DD or MM/DD/YYYY", html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Contains($"value=\"{q}\"", html);
        Assert.Empty(found);
    }

    [Fact]
    public async Task No_query_shows_a_prompt_and_no_customers()
    {
        var (status, html, found) = await SearchAsync("");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Type a name, an email, a phone number or a date of birth", html);
        Assert.Empty(found);
        Assert.DoesNotContain("id=\"customers\"", html);
    }

    [Fact]
    public async Task No_match_says_so()
    {
        var (status, html, found) = await SearchAsync("Zebedee");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(found);
        Assert.Contains("No customers with names containing “Zebedee”", html);
    }

    [Fact]
    public async Task Like_wildcards_in_the_query_are_taken_literally()
    {
        var (_, _, found) = await SearchAsync("%_%");
        Assert.Empty(found);
    }

    [Fact]
    public async Task Results_show_email_birth_date_phone_and_the_last_and_next_visit_in_local_time()
    {
        await frontDesk.SeedVisitAsync(elodie.Id, new DateTimeOffset(2025, 11, 3, 9, 0, 0, TestClinic.Eastern), v => v.Complete(v.End));
        await frontDesk.SeedVisitAsync(elodie.Id, new DateTimeOffset(2025, 12, 3, 9, 0, 0, TestClinic.Eastern), v => v.Cancel("moved away", v.Start));
        await frontDesk.SeedVisitAsync(elodie.Id, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TestClinic.Eastern));

        var (_, html, _) = await SearchAsync("Élodie");

        var row = html[html.IndexOf($"data-customer-id=\"{elodie.Id}\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("(Lo)", row);
        Assert.Contains(elodie.Email, row);
        Assert.Contains("1970-05-31", row);
        Assert.Contains("+1 212 555 0101", row);
        Assert.Contains("Mon Nov 3, 2025 9:00 AM", row);
        Assert.Contains("Tue Dec 1, 2026 10:00 AM", row);
    }

    [Fact]
    public async Task At_most_fifty_customers_are_listed_with_a_hint_to_narrow_down()
    {
        for (var i = 0; i < 55; i++)
            await frontDesk.SeedCustomerAsync($"Many Namesake {i:00}");

        var (_, html, found) = await SearchAsync("namesake");

        Assert.Equal(50, found.Count);
        Assert.Contains("First 50 customers with names containing", html);
        Assert.Contains("More customers match", html);
    }

    [GeneratedRegex("<tr data-customer-id=\"([0-9a-f-]{36})\"")]
    private static partial Regex CustomerRow();
}
