using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Scheduling;

public class AvailabilityServiceTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly DateOnly Tuesday = new(2027, 3, 2);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private string connectionString = "";
    private Location location = null!;
    private Service service = null!;
    private Service notOfferedHere = null!;
    private Resource room = null!;
    private Customer customer = null!;

    public async Task InitializeAsync()
    {
        connectionString = await TestDatabases.CreateAsync(nameof(AvailabilityServiceTests));
        await using var db = TestDatabases.Context(connectionString);
        location = new Location
        {
            Id = Guid.NewGuid(), Slug = "l", Name = "L", AddressLine = "1 Main St", City = "New York", Region = "NY",
            PostalCode = "10001", TimeZoneId = "America/New_York", Phone = "+1 212 555 0100",
        };
        service = new Service { Id = Guid.NewGuid(), Slug = "s", Name = "S", DurationMinutes = 30, BufferMinutes = 10, CalendarTitle = "Visit" };
        notOfferedHere = new Service { Id = Guid.NewGuid(), Slug = "other", Name = "Other", DurationMinutes = 30, CalendarTitle = "Visit" };
        room = new Resource
        {
            Id = Guid.NewGuid(), LocationId = location.Id, Name = "Room 1", Services = [service],
            WorkingHours = [new WorkingHours { Id = Guid.NewGuid(), Day = DayOfWeek.Tuesday, Opens = new(8, 0), Closes = new(12, 0) }],
        };
        customer = new Customer { Id = Guid.NewGuid(), FullName = "Ada Lovelace", Email = "ada@example.test" };
        db.AddRange(location, service, notOfferedHere, room, customer);
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Should_leave_out_booked_time_but_not_cancelled_time()
    {
        var booked = await BookAsync(Local(9, 0), cancelled: false);
        await BookAsync(Local(10, 0), cancelled: true);

        var starts = (await SlotsAsync()).Select(s => s.Start).ToList();

        // 08:30 and 08:45 would run into the 09:00 visit with their own 10-minute buffer; 09:00–09:39 is the visit and its buffer.
        Assert.Equal(15 - 5, starts.Count);
        Assert.Contains(Local(8, 15), starts);
        Assert.DoesNotContain(Local(8, 30), starts);
        Assert.DoesNotContain(Local(8, 45), starts);
        Assert.DoesNotContain(Local(9, 0), starts);
        Assert.DoesNotContain(Local(9, 30), starts);
        Assert.Contains(Local(9, 45), starts);
        Assert.Contains(Local(10, 0), starts);
        Assert.Equal(TimeSpan.FromHours(-5), starts[0].Offset);

        var rescheduling = (await SlotsAsync(ignore: booked)).Select(s => s.Start).ToList();
        Assert.Contains(Local(9, 0), rescheduling);
        Assert.Equal(15, rescheduling.Count);
    }

    [Fact]
    public async Task Should_offer_nothing_for_a_service_not_performed_at_the_location()
    {
        await using var db = TestDatabases.Context(connectionString);
        var availability = new AvailabilityService(db, clock, Options.Create(new BookingRules()));

        Assert.Empty(await availability.GetSlotsAsync(notOfferedHere.Id, location.Id, Tuesday, 7, CancellationToken.None));
        Assert.Empty(await availability.GetSlotsAsync(Guid.NewGuid(), location.Id, Tuesday, 7, CancellationToken.None));
        Assert.Null(await availability.FindAsync(notOfferedHere.Id, location.Id, CancellationToken.None));
        Assert.Null(await availability.FindAsync(Guid.NewGuid(), location.Id, CancellationToken.None));
        Assert.Null(await availability.FindAsync(service.Id, Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task Should_come_from_the_app_with_booking_rules_from_configuration()
    {
        await using var app = new AppFactory(connectionString).With("Booking:SlotStepMinutes", "60");
        app.TestServices = services => services.AddSingleton<TimeProvider>(clock);
        await using var scope = app.Services.CreateAsyncScope();
        var availability = scope.ServiceProvider.GetRequiredService<AvailabilityService>();

        var slots = await availability.GetSlotsAsync(service.Id, location.Id, Tuesday, 1, CancellationToken.None);

        Assert.Equal([Local(8, 0), Local(9, 0), Local(10, 0), Local(11, 0)], slots.Select(s => s.Start));
    }

    private async Task<IReadOnlyList<Slot>> SlotsAsync(Guid? ignore = null)
    {
        await using var db = TestDatabases.Context(connectionString);
        var availability = new AvailabilityService(db, clock, Options.Create(new BookingRules()));
        return await availability.GetSlotsAsync(service.Id, location.Id, Tuesday, 1, CancellationToken.None, ignore);
    }

    private async Task<Guid> BookAsync(DateTimeOffset start, bool cancelled)
    {
        await using var db = TestDatabases.Context(connectionString);
        var appointment = new Appointment
        {
            Id = Guid.NewGuid(), CustomerId = customer.Id, ServiceId = service.Id, LocationId = location.Id, ResourceId = room.Id,
            CreatedAt = clock.GetUtcNow(),
        };
        appointment.Schedule(start, service.Duration, service.Buffer);
        if (cancelled)
            appointment.Cancel("customer asked", clock.GetUtcNow());
        db.Appointments.Add(appointment);
        await db.SaveChangesAsync();
        return appointment.Id;
    }

    private static DateTimeOffset Local(int hour, int minute) =>
        AvailabilityCalculator.ToInstant(NewYork, Tuesday, new TimeOnly(hour, minute), earliest: true);
}
