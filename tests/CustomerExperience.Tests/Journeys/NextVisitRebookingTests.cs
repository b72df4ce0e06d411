using System.Net;
using System.Net.Http.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Journeys;

/// <summary>Completing an annual visit books next year's, at the customer's usual weekday and time.</summary>
public class NextVisitRebookingTests : IAsyncLifetime
{
    // Wednesday 25 November 2026, 09:00 in New York (14:00Z); completed at 09:30.
    private static readonly DateTimeOffset VisitStart = new(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(VisitStart.AddMinutes(31));
    private AppFactory app = null!;
    private TestClinic clinic = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(NextVisitRebookingTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        clinic = await TestClinic.SeedAsync(app.Services, rooms: 2);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<int> RunAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NextVisitRebooking>().BookDueAsync(default);
    }

    [Fact]
    public async Task Completing_an_annual_visit_books_next_years_on_the_same_weekday_and_time_with_one_invite()
    {
        var email = MailDev.UniqueAddress("nextyear");
        var customer = await clinic.SeedCompletedVisitAsync(app.Services, email, new DateOnly(1960, 2, 3), VisitStart);

        Assert.Equal(1, await RunAsync());
        Assert.Equal(0, await RunAsync()); // a rerun, or a second node, books nothing more

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var next = await db.Appointments.Include(a => a.Location).SingleAsync(a => a.CustomerId == customer && a.Status == AppointmentStatus.Booked);
        var local = AppointmentEmails.ToLocal(next.Start, next.Location!);
        Assert.Equal(BookingSource.Rebooking, next.Source);
        Assert.Equal(clinic.RoomId, next.ResourceId);
        Assert.True(DateOnly.FromDateTime(local.DateTime) >= new DateOnly(2027, 11, 25), $"{local} is before coverage starts");
        // Covered from Thursday 25 November 2027; the first Wednesday after is 1 December, at 09:00 as before.
        Assert.Equal(new DateTimeOffset(2027, 12, 1, 9, 0, 0, TimeSpan.FromHours(-5)), local);

        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);
        var message = Assert.Single(await MailDev.WaitForAsync(email));
        Assert.Equal("We booked your next visit: Clinic appointment, Wednesday, December 1, 2027 at 9:00 AM", message.GetProperty("subject").GetString());
        Assert.Contains("we booked your next visit for you", message.GetProperty("text").GetString()!);
        Assert.Contains("/manage/", message.GetProperty("text").GetString()!);
        var ics = await IcalJs.ParseAsync(await MailDev.AttachmentAsync(message, "invite.ics"));
        Assert.Equal("REQUEST", ics.GetProperty("method").GetString());
        Assert.Equal("2027-12-01T14:00:00.000Z", ics.GetProperty("events")[0].GetProperty("dtstart").GetString());
    }

    [Fact]
    public async Task A_customer_who_cancels_the_proposed_visit_is_not_rebooked_again()
    {
        var customer = await clinic.SeedCompletedVisitAsync(app.Services, MailDev.UniqueAddress("cancelled"), new DateOnly(1960, 2, 3), VisitStart);
        Assert.Equal(1, await RunAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var next = await db.Appointments.SingleAsync(a => a.CustomerId == customer && a.Status == AppointmentStatus.Booked);
            next.Cancel("Customer will book later", clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        Assert.Equal(0, await RunAsync());
    }

    [Fact]
    public async Task A_customer_who_already_booked_ahead_gets_no_proposal()
    {
        var email = MailDev.UniqueAddress("ahead");
        await clinic.SeedCompletedVisitAsync(app.Services, email, new DateOnly(1960, 2, 3), VisitStart);
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(TestClinic.At(2027, 11, 30, 10), email, "Returning Customer", dateOfBirth: "1960-02-03"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        Assert.Equal(0, await RunAsync());
    }
}
