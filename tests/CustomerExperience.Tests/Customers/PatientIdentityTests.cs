using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Customers;

/// <summary>
/// Families share email addresses: a customer is the same person only when email, date of birth and name agree. Coverage,
/// rebooking and unsubscribing follow the customer, never the address.
/// </summary>
public class PatientIdentityTests : IAsyncLifetime
{
    private static readonly DateOnly MotherBorn = new(1958, 2, 3);
    private FrontDeskApp frontDesk = null!;
    private HttpClient client = null!;
    private string email = null!;
    private Guid mother;

    public async Task InitializeAsync()
    {
        frontDesk = await FrontDeskApp.StartAsync(nameof(PatientIdentityTests));
        client = frontDesk.App.CreateClient();
        email = MailDev.UniqueAddress("family");
        // "Returning Customer", greeted as Rita, no phone on file; covered again from 2027-01-15.
        mother = await frontDesk.Clinic.SeedCompletedVisitAsync(frontDesk.App.Services, email, MotherBorn, new DateTimeOffset(2026, 1, 15, 14, 0, 0, TimeSpan.Zero));
    }

    public async Task DisposeAsync() => await frontDesk.DisposeAsync();

    private async Task<(HttpResponseMessage Response, string Body)> BookAsync(string start, string fullName, string dateOfBirth)
    {
        var response = await client.PostAsJsonAsync("/api/v1/bookings", frontDesk.Clinic.Booking(start, email, fullName, dateOfBirth));
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mother_and_daughter_with_one_email_are_two_customers_and_the_daughter_neither_changes_nor_sees_the_mother()
    {
        // Before the mother's coverage date: the daughter is not refused with it, because it is not hers.
        var (daughterBooking, body) = await BookAsync(TestClinic.At(2026, 12, 1, 9), "Daisy Customer", "1990-07-08");

        Assert.Equal(HttpStatusCode.Created, daughterBooking.StatusCode);
        Assert.DoesNotContain("2027-01-15", body);
        Assert.DoesNotContain("Rita", body);
        var visitId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();

        var customers = await frontDesk.DbAsync(db => db.Customers.AsNoTracking().Where(c => c.NormalizedEmail == email).OrderBy(c => c.CreatedAt).ToListAsync());
        Assert.Equal(2, customers.Count);
        var (mum, daughter) = (customers.Single(c => c.Id == mother), customers.Single(c => c.Id != mother));
        Assert.Equal(("Returning Customer", "Rita", null, MotherBorn), (mum.FullName, mum.PreferredName, mum.Phone, mum.DateOfBirth));
        Assert.Equal(("Daisy Customer", new DateOnly(1990, 7, 8), "+1 212 555 0199"), (daughter.FullName, daughter.DateOfBirth, daughter.Phone));

        var visits = await frontDesk.DbAsync(db => db.Appointments.AsNoTracking().ToListAsync());
        Assert.Equal(daughter.Id, visits.Single(v => v.Id == visitId).CustomerId);
        Assert.Single(visits, v => v.CustomerId == mother);
        var confirmation = await frontDesk.DbAsync(db => db.OutboundEmails.AsNoTracking().SingleAsync(e => e.AppointmentId == visitId));
        Assert.Equal(daughter.Id, confirmation.CustomerId);
        Assert.Contains("Daisy Customer", confirmation.TextBody);
        Assert.DoesNotContain("Rita", confirmation.TextBody);

        // The mother herself is still told when her coverage starts.
        var (motherEarly, motherBody) = await BookAsync(TestClinic.At(2026, 12, 1, 10), "Returning Customer", "1958-02-03");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, motherEarly.StatusCode);
        Assert.Contains("2027-01-15", motherBody);
    }

    [Fact]
    public async Task The_same_person_booking_again_is_the_same_customer()
    {
        var (first, _) = await BookAsync(TestClinic.At(2026, 12, 1, 9), "Daisy Customer", "1990-07-08");
        var (second, _) = await BookAsync(TestClinic.At(2026, 12, 2, 9), "daisy  CUSTOMER", "1990-07-08");
        var (third, _) = await BookAsync(TestClinic.At(2026, 12, 3, 9), "D. Customer", "1990-07-08");

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created], new[] { first.StatusCode, second.StatusCode, third.StatusCode });
        var counts = await frontDesk.DbAsync(db => db.Appointments.AsNoTracking().GroupBy(a => a.CustomerId).Select(g => g.Count()).OrderBy(n => n).ToListAsync());
        Assert.Equal([1, 3], counts);
    }

    [Fact]
    public async Task Simultaneous_first_bookings_of_one_person_make_one_customer()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(day =>
            client.PostAsJsonAsync("/api/v1/bookings", frontDesk.Clinic.Booking(TestClinic.At(2026, 12, 1 + day, 9), email, "Daisy Customer", "1990-07-08"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(2, await frontDesk.DbAsync(db => db.Customers.CountAsync(c => c.NormalizedEmail == email)));
    }

    [Fact]
    public async Task Next_year_rebooking_follows_the_customer_not_the_address()
    {
        // The daughter was booked at the front desk without a date of birth: nothing but her id says who she is.
        var daughter = await frontDesk.SeedCustomerAsync("Daisy Customer", email: email);
        var visit = await frontDesk.SeedVisitAsync(daughter.Id, new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero), v => v.Complete(v.End));

        await using var scope = frontDesk.App.Services.CreateAsyncScope();
        var rebooking = scope.ServiceProvider.GetRequiredService<NextVisitRebooking>();
        var loaded = await scope.ServiceProvider.GetRequiredService<BookingService>().FindAsync(visit.Id, default);
        var outcome = await rebooking.BookNextAsync(loaded!, default);

        var done = Assert.IsType<BookingOutcome.Done>(outcome);
        Assert.Equal(daughter.Id, done.Visit.CustomerId);
        Assert.Equal(2, await frontDesk.DbAsync(db => db.Customers.CountAsync(c => c.NormalizedEmail == email)));
    }

    [Fact]
    public async Task An_unsubscribe_link_opts_out_its_own_customer_only()
    {
        var daughter = await frontDesk.SeedCustomerAsync("Daisy Customer", email: email);
        var url = frontDesk.App.Services.GetRequiredService<Unsubscribe>().Url(daughter.Id);

        var response = await client.PostAsync(new Uri(url).PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var optedOut = await frontDesk.DbAsync(db => db.Customers.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.EmailOptOut));
        Assert.True(optedOut[daughter.Id]);
        Assert.False(optedOut[mother]);
    }
}
