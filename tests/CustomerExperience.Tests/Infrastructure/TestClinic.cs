using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>A small clinic for booking tests: one location in New York, one annual screening, one room open weekdays 08–12 and 13–17.</summary>
public sealed record TestClinic(Guid LocationId, Guid ServiceId, Guid RoomId)
{
    public static readonly TimeSpan Eastern = TimeSpan.FromHours(-5);

    public static async Task<TestClinic> SeedAsync(IServiceProvider services, int rooms = 1)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var location = new Location
        {
            Id = Guid.CreateVersion7(), Slug = "test-" + Guid.NewGuid().ToString("N")[..8], Name = "Test Screening Center",
            AddressLine = "1 Test Street", City = "New York", Region = "NY", PostalCode = "10001",
            TimeZoneId = "America/New_York", Phone = "+1 212 555 0100",
            DirectionsUrl = "https://maps.example/test", ArrivalNotes = "Park behind the building.",
        };
        var service = new Service
        {
            Id = Guid.CreateVersion7(), Slug = "test-screening-" + Guid.NewGuid().ToString("N")[..8], Name = "Screening mammogram",
            DurationMinutes = 30, BufferMinutes = 10, CoverageIntervalDays = 365, RecallIntervalDays = 365,
            ReminderOffsetsMinutes = [7 * 24 * 60, 24 * 60, 120], PreparationNotes = "No deodorant on the day.",
            ResultsMinBusinessDays = 1, ResultsMaxBusinessDays = 2, CalendarTitle = "Clinic appointment",
        };
        db.Locations.Add(location);
        db.Services.Add(service);
        Guid first = default;
        for (var i = 0; i < rooms; i++)
        {
            var room = new Resource { Id = Guid.CreateVersion7(), LocationId = location.Id, Name = $"Room {i + 1}", Services = [service] };
            foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
            {
                room.WorkingHours.Add(new WorkingHours { Day = day, Opens = new TimeOnly(8, 0), Closes = new TimeOnly(12, 0) });
                room.WorkingHours.Add(new WorkingHours { Day = day, Opens = new TimeOnly(13, 0), Closes = new TimeOnly(17, 0) });
            }
            db.Resources.Add(room);
            if (i == 0) first = room.Id;
        }
        await db.SaveChangesAsync();
        return new TestClinic(location.Id, service.Id, first);
    }

    /// <summary>A customer with one completed visit of the clinic's service; returns the customer's id.</summary>
    public async Task<Guid> SeedCompletedVisitAsync(IServiceProvider services, string email, DateOnly dateOfBirth, DateTimeOffset start, bool optedOut = false)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = "Returning Customer", PreferredName = "Rita", Email = email,
            DateOfBirth = dateOfBirth, CreatedAt = start, EmailOptOut = optedOut,
        };
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = ServiceId, LocationId = LocationId,
            ResourceId = RoomId, CreatedAt = start,
        };
        visit.Schedule(start, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
        visit.Complete(start.AddMinutes(30));
        db.Customers.Add(customer);
        db.Appointments.Add(visit);
        await db.SaveChangesAsync();
        return customer.Id;
    }

    /// <summary>A local (Eastern, standard time) wall-clock time as the API writes it.</summary>
    public static string At(int year, int month, int day, int hour, int minute = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, Eastern).ToString("yyyy-MM-dd'T'HH:mm:sszzz");

    public object Booking(string start, string email, string fullName = "Zoë Test", string dateOfBirth = "1970-03-04", bool acceptNotCovered = false) => new
    {
        serviceId = ServiceId,
        locationId = LocationId,
        start,
        acceptNotCovered,
        customer = new { fullName, email, phone = "+1 212 555 0199", dateOfBirth },
    };
}
