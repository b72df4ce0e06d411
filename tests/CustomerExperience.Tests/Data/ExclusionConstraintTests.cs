using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CustomerExperience.Tests.Data;

public class ExclusionConstraintTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Nine = new(2027, 3, 2, 14, 0, 0, TimeSpan.Zero);
    private string connectionString = "";
    private Resource room = null!;
    private Service service = null!;
    private Customer customer = null!;

    public async Task InitializeAsync()
    {
        connectionString = await TestDatabases.CreateAsync(nameof(ExclusionConstraintTests));
        await using var db = TestDatabases.Context(connectionString);
        var location = new Location
        {
            Id = Guid.NewGuid(), Slug = "l", Name = "L", AddressLine = "1 Main St", City = "New York", Region = "NY",
            PostalCode = "10001", TimeZoneId = "America/New_York", Phone = "+1 212 555 0100",
        };
        service = new Service { Id = Guid.NewGuid(), Slug = "s", Name = "S", DurationMinutes = 30, BufferMinutes = 10, CalendarTitle = "Visit" };
        room = new Resource { Id = Guid.NewGuid(), LocationId = location.Id, Name = "Room 1", Services = [service] };
        customer = new Customer { Id = Guid.NewGuid(), FullName = "Ada Lovelace", Email = "ada@example.test" };
        db.AddRange(location, service, room, customer);
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Migrations_apply_to_an_empty_database()
    {
        var empty = await TestDatabases.CreateEmptyAsync("migrations_empty");
        await using var db = TestDatabases.Context(empty);

        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(0, await db.Appointments.CountAsync());
    }

    [Fact]
    public async Task Overlapping_visit_on_the_same_resource_is_rejected_with_23P01()
    {
        await BookAsync(Nine);

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => BookAsync(Nine.AddMinutes(15)));

        var postgres = Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal(PostgresErrorCodes.ExclusionViolation, postgres.SqlState);
        Assert.Equal("appointments_no_overlap", postgres.ConstraintName);
    }

    [Fact]
    public async Task Next_visit_inside_the_buffer_is_rejected()
    {
        await BookAsync(Nine);

        // 30 minutes plus a 10-minute buffer: 09:35 is still taken.
        await Assert.ThrowsAsync<DbUpdateException>(() => BookAsync(Nine.AddMinutes(35)));
    }

    [Fact]
    public async Task Back_to_back_visits_after_the_buffer_are_allowed()
    {
        await BookAsync(Nine);
        await BookAsync(Nine.AddMinutes(40));

        await using var db = TestDatabases.Context(connectionString);
        Assert.Equal(2, await db.Appointments.CountAsync(a => a.ResourceId == room.Id));
    }

    [Fact]
    public async Task A_cancelled_visit_does_not_block_its_time()
    {
        var first = await BookAsync(Nine);
        await using (var db = TestDatabases.Context(connectionString))
        {
            var appointment = await db.Appointments.SingleAsync(a => a.Id == first);
            appointment.Cancel("customer asked", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        await BookAsync(Nine);

        await using var check = TestDatabases.Context(connectionString);
        Assert.Equal(2, await check.Appointments.CountAsync(a => a.Start == Nine));
    }

    private async Task<Guid> BookAsync(DateTimeOffset start)
    {
        await using var db = TestDatabases.Context(connectionString);
        var appointment = new Appointment
        {
            Id = Guid.NewGuid(), CustomerId = customer.Id, ServiceId = service.Id, LocationId = room.LocationId, ResourceId = room.Id,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        appointment.Schedule(start, service.Duration, service.Buffer);
        db.Appointments.Add(appointment);
        await db.SaveChangesAsync();
        return appointment.Id;
    }
}
