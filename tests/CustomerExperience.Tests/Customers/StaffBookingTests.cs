using CustomerExperience.Web.Staff;
using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Tests.Customers;

/// <summary>/staff/book: phone calls and walk-ins, booked through the same write path and emails as online bookings.</summary>
public partial class StaffBookingTests : IAsyncLifetime
{
    private FrontDeskApp frontDesk = null!;
    private HttpClient dana = null!;

    public async Task InitializeAsync()
    {
        frontDesk = await FrontDeskApp.StartAsync(nameof(StaffBookingTests));
        dana = await frontDesk.StaffAsync("Dana Desk");
    }

    public async Task DisposeAsync() => await frontDesk.DisposeAsync();

    private string Url(Guid? customerId, string start) =>
        $"/staff/book?{(customerId is { } id ? $"customerId={id}&" : "")}serviceId={frontDesk.Clinic.ServiceId}&locationId={frontDesk.Clinic.LocationId}&start={Uri.EscapeDataString(start)}";

    private async Task<HttpResponseMessage> BookAsync(Guid? customerId, string start, Dictionary<string, string>? fields = null)
    {
        var form = new Dictionary<string, string>(fields ?? [])
        {
            ["serviceId"] = frontDesk.Clinic.ServiceId.ToString(),
            ["locationId"] = frontDesk.Clinic.LocationId.ToString(),
            ["start"] = start,
        };
        if (customerId is { } id) form["customerId"] = id.ToString();
        return await StaffSignIn.PostFormAsync(dana, Url(customerId, start), form);
    }

    private Task<List<Appointment>> VisitsAsync() =>
        frontDesk.DbAsync(db => db.Appointments.AsNoTracking().OrderBy(a => a.CreatedAt).ToListAsync());

    [Fact]
    public async Task The_time_step_offers_the_same_free_times_as_online_and_links_each_to_the_details_step()
    {
        var customer = await frontDesk.SeedCustomerAsync("Phone Caller");
        await frontDesk.BookOnlineAsync(TestClinic.At(2026, 11, 30, 9), MailDev.UniqueAddress("taken"));

        var html = await FrontDeskApp.HtmlAsync(await dana.GetAsync(
            $"/staff/book?customerId={customer.Id}&serviceId={frontDesk.Clinic.ServiceId}&locationId={frontDesk.Clinic.LocationId}&from=2026-11-30"));

        Assert.Contains("Times on Monday, November 30", html);
        Assert.Contains($"/staff/book?customerId={customer.Id}&serviceId={frontDesk.Clinic.ServiceId}&locationId={frontDesk.Clinic.LocationId}&start=2026-11-30T08%3A00%3A00-05%3A00", html);
        Assert.DoesNotContain("start=2026-11-30T09%3A00%3A00-05%3A00", html);
        Assert.DoesNotContain("start=2026-11-30T08%3A30%3A00-05%3A00", html);
    }

    [Fact]
    public async Task A_walk_in_is_booked_for_the_next_free_time_today_which_online_booking_does_not_offer()
    {
        // 08:20 in New York: the room opened at 08:00. Online needs two hours' notice; the desk books 08:30.
        frontDesk.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 13, 20, 0, TimeSpan.Zero));
        var customer = await frontDesk.SeedCustomerAsync("Walk In");
        var soon = TestClinic.At(2026, 11, 23, 8, 30);

        var staffTimes = await FrontDeskApp.HtmlAsync(await dana.GetAsync(
            $"/staff/book?customerId={customer.Id}&serviceId={frontDesk.Clinic.ServiceId}&locationId={frontDesk.Clinic.LocationId}&from=2026-11-23"));
        Assert.Contains("start=" + Uri.EscapeDataString(soon), staffTimes);
        Assert.DoesNotContain("start=" + Uri.EscapeDataString(TestClinic.At(2026, 11, 23, 8, 15)), staffTimes);
        var onlineTimes = await (await frontDesk.App.CreateClient().GetAsync(
            $"/book/time?serviceId={frontDesk.Clinic.ServiceId}&locationId={frontDesk.Clinic.LocationId}&from=2026-11-23")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("start=" + Uri.EscapeDataString(soon), onlineTimes);

        var response = await BookAsync(customer.Id, soon);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var visit = Assert.Single(await VisitsAsync());
        Assert.Equal(DateTimeOffset.Parse(soon), visit.Start);
    }

    [Fact]
    public async Task Staff_booking_sends_one_confirmation_with_invite_and_audits_it_with_the_staff_name()
    {
        var email = MailDev.UniqueAddress("frontdesk");
        var customer = await frontDesk.SeedCustomerAsync("Rosa Delgado", "Rosie", "+1 212 555 0177", new DateOnly(1958, 8, 14), email);

        var confirm = await FrontDeskApp.HtmlAsync(await dana.GetAsync(Url(customer.Id, TestClinic.At(2026, 12, 1, 9))));
        Assert.Contains("value=\"Rosie\"", confirm);
        Assert.Contains("value=\"+1 212 555 0177\"", confirm);
        var response = await BookAsync(customer.Id, TestClinic.At(2026, 12, 1, 9), new() { ["preferredName"] = "Rosie", ["phone"] = "+1 212 555 0177" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/customers/{customer.Id}", response.Headers.Location!.ToString());
        var visit = Assert.Single(await VisitsAsync());
        Assert.Equal((customer.Id, BookingSource.FrontDesk), (visit.CustomerId, visit.Source));
        var entry = Assert.Single(await frontDesk.AuditAsync(AuditActions.VisitBooked));
        Assert.Equal(("Dana Desk", customer.Id, visit.Id), (entry.StaffName, entry.CustomerId!.Value, entry.AppointmentId!.Value));
        Assert.Contains("Screening mammogram at Test Screening Center for Tuesday, December 1, 2026 at 9:00 AM", entry.Details);
        Assert.Empty(await frontDesk.AuditAsync(AuditActions.CustomerUpdated));

        Assert.Equal(1, await frontDesk.DeliverEmailsAsync());
        var message = Assert.Single(await MailDev.WaitForAsync(email));
        Assert.Equal("Booked: Clinic appointment, Tuesday, December 1, 2026 at 9:00 AM", message.GetProperty("subject").GetString());
        Assert.Contains("Hello Rosie,", message.GetProperty("text").GetString());
        var ics = await IcalJs.ParseAsync(await MailDev.AttachmentAsync(message, "invite.ics"));
        Assert.Equal("REQUEST", ics.GetProperty("method").GetString());
        var invite = ics.GetProperty("events")[0];
        Assert.Equal($"{visit.Id}@127.0.0.1", invite.GetProperty("uid").GetString());
        Assert.Equal(0, invite.GetProperty("sequence").GetInt32());
        Assert.Equal("2026-12-01T14:00:00.000Z", invite.GetProperty("dtstart").GetString());

        var page = await FrontDeskApp.HtmlAsync(await dana.GetAsync($"/staff/customers/{customer.Id}"));
        Assert.Contains($"A confirmation with a calendar invite is on its way to {email}.", page);
    }

    [Fact]
    public async Task A_phone_number_confirmed_while_booking_is_saved_and_audited()
    {
        var customer = await frontDesk.SeedCustomerAsync("Old Number", phone: "+1 212 555 0100");

        await BookAsync(customer.Id, TestClinic.At(2026, 12, 1, 10), new() { ["phone"] = "(917) 555-0123" });

        Assert.Equal("(917) 555-0123", (await frontDesk.DbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id))).Phone);
        var entry = Assert.Single(await frontDesk.AuditAsync(AuditActions.CustomerUpdated));
        Assert.Equal("Dana Desk", entry.StaffName);
        Assert.Contains("phone: “+1 212 555 0100” → “(917) 555-0123”", entry.Details);
        Assert.Single(await VisitsAsync());
    }

    [Fact]
    public async Task A_new_customer_is_created_from_the_details_typed_in()
    {
        var email = MailDev.UniqueAddress("walkin");

        var response = await BookAsync(null, TestClinic.At(2026, 12, 1, 11), new()
        {
            ["fullName"] = "Walk In", ["email"] = email, ["phone"] = "212 555 0123", ["dateOfBirth"] = "05/31/1970",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var customer = await frontDesk.DbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Email == email));
        Assert.Equal(("Walk In", new DateOnly(1970, 5, 31)), (customer.FullName, customer.DateOfBirth));
        Assert.Equal($"/staff/customers/{customer.Id}", response.Headers.Location!.ToString());
        Assert.Equal(customer.Id, Assert.Single(await frontDesk.AuditAsync(AuditActions.VisitBooked)).CustomerId);
    }

    [Fact]
    public async Task A_new_customer_who_is_a_customer_on_file_is_pointed_to_that_customer()
    {
        var existing = await frontDesk.SeedCustomerAsync("Already Here", dateOfBirth: new DateOnly(1970, 5, 31));

        var response = await BookAsync(null, TestClinic.At(2026, 12, 1, 11), new()
        {
            ["fullName"] = "already here", ["email"] = existing.Email.ToUpperInvariant(), ["dateOfBirth"] = "1970-05-31",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await FrontDeskApp.HtmlAsync(response);
        Assert.Contains("This is an existing customer, Already Here (same email, date of birth and name). Book for them.", html);
        Assert.Contains($"id=\"book-for-owner\" href=\"/staff/book?customerId={existing.Id}&", html);
        Assert.Empty(await VisitsAsync());
    }

    [Fact]
    public async Task Someone_else_with_an_email_on_file_becomes_a_customer_of_their_own()
    {
        var mother = await frontDesk.SeedCustomerAsync("Already Here", dateOfBirth: new DateOnly(1950, 1, 2));

        var response = await BookAsync(null, TestClinic.At(2026, 12, 1, 11), new()
        {
            ["fullName"] = "Daughter Here", ["email"] = mother.Email, ["dateOfBirth"] = "1980-03-04",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var daughter = await frontDesk.DbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id != mother.Id));
        Assert.Equal(("Daughter Here", mother.Email), (daughter.FullName, daughter.Email));
        Assert.Equal(daughter.Id, Assert.Single(await VisitsAsync()).CustomerId);
        var unchanged = await frontDesk.DbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id == mother.Id));
        Assert.Equal(("Already Here", new DateOnly(1950, 1, 2)), (unchanged.FullName, unchanged.DateOfBirth));
    }

    [Theory]
    [InlineData("dateOfBirth", "31/05/1970", "Enter the date of birth as YYYY-MM-DD or MM/DD/YYYY.")]
    [InlineData("email", "not-an-email", "Enter an email address like")]
    [InlineData("fullName", "", "Enter your full name")]
    public async Task Bad_details_get_a_message_and_nothing_is_booked(string field, string value, string message)
    {
        var fields = new Dictionary<string, string> { ["fullName"] = "Kept Name", ["email"] = MailDev.UniqueAddress("bad") };
        fields[field] = value;

        var response = await BookAsync(null, TestClinic.At(2026, 12, 1, 11), fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await FrontDeskApp.HtmlAsync(response));
        Assert.Empty(await VisitsAsync());
    }

    [Fact]
    public async Task A_staff_booking_into_a_taken_slot_is_refused_with_alternatives()
    {
        await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("first"));
        var customer = await frontDesk.SeedCustomerAsync("Second Caller");

        var response = await BookAsync(customer.Id, TestClinic.At(2026, 12, 1, 9));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await FrontDeskApp.HtmlAsync(response);
        Assert.Contains("That time is taken", html);
        var alternatives = Alternative().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, alternatives.Count);
        Assert.Contains("2026-12-01T09:45:00-05:00", alternatives);
        Assert.Single(await VisitsAsync());
        Assert.Empty(await frontDesk.AuditAsync(AuditActions.VisitBooked));

        var taken = await BookAsync(customer.Id, TestClinic.At(2026, 12, 1, 9), new() { ["alternative"] = "2026-12-01T09:45:00-05:00" });
        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        Assert.Equal(2, (await VisitsAsync()).Count);
    }

    [Fact]
    public async Task Not_covered_is_a_warning_staff_override_consciously()
    {
        var email = MailDev.UniqueAddress("covered");
        var customerId = await frontDesk.Clinic.SeedCompletedVisitAsync(frontDesk.App.Services, email, new DateOnly(1965, 1, 2),
            new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.Zero));

        var warned = await BookAsync(customerId, TestClinic.At(2026, 12, 1, 9));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, warned.StatusCode);
        var html = await FrontDeskApp.HtmlAsync(warned);
        Assert.Contains("<label for=\"acceptNotCovered\">Book anyway; not covered by insurance until March 2, 2027</label>", html);
        Assert.Single(await VisitsAsync());

        var booked = await BookAsync(customerId, TestClinic.At(2026, 12, 1, 9), new() { ["acceptNotCovered"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        Assert.Equal(2, (await VisitsAsync()).Count);
        var entry = Assert.Single(await frontDesk.AuditAsync(AuditActions.VisitBooked));
        Assert.Contains("booked anyway, not covered by insurance until 2027-03-02", entry.Details);
    }

    [Fact]
    public async Task Unknown_or_malformed_choices_are_4xx_pages_not_errors()
    {
        var customer = await frontDesk.SeedCustomerAsync("Anyone");
        Assert.Equal(HttpStatusCode.OK, (await dana.GetAsync("/staff/book")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dana.GetAsync($"/staff/book?customerId={Guid.CreateVersion7()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dana.GetAsync($"/staff/book?serviceId={Guid.CreateVersion7()}&locationId={frontDesk.Clinic.LocationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await dana.GetAsync($"/staff/book?serviceId=nonsense")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await dana.GetAsync(Url(customer.Id, "tomorrow"))).StatusCode);
        var missing = await dana.GetAsync($"/staff/book?serviceId={frontDesk.Clinic.ServiceId}&locationId=");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("Choose a service and a location.", await FrontDeskApp.HtmlAsync(missing));
    }

    [Fact]
    public async Task A_booking_form_without_the_antiforgery_token_is_refused()
    {
        var customer = await frontDesk.SeedCustomerAsync("Forged");
        var response = await dana.PostAsync(Url(customer.Id, TestClinic.At(2026, 12, 1, 9)), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["customerId"] = customer.Id.ToString(), ["serviceId"] = frontDesk.Clinic.ServiceId.ToString(),
            ["locationId"] = frontDesk.Clinic.LocationId.ToString(), ["start"] = TestClinic.At(2026, 12, 1, 9),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await VisitsAsync());
    }

    [GeneratedRegex("name=\"alternative\" value=\"([^\"]+)\"")]
    private static partial Regex Alternative();
}
