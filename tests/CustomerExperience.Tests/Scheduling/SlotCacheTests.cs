using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Tests.Setup;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerExperience.Tests.Scheduling;

/// <summary>
/// The slot cache: each instance keeps free slots in memory, and every change that can alter them (a booking, a move, a
/// cancellation, a closure, new hours) shows in the very next availability response, on the instance that made the
/// change and on a second one sharing the database. Both instances' caches are warm before each change.
/// </summary>
public class SlotCacheTests : IAsyncLifetime
{
    private const string Day = "2026-12-09"; // a Wednesday: the test room is open 08–12 and 13–17
    private static readonly string Nine = TestClinic.At(2026, 12, 9, 9, 0), Ten = TestClinic.At(2026, 12, 9, 10, 0);
    private SetupAdmin setup = null!;
    private AppFactory second = null!;
    private HttpClient[] nodes = null!;

    public async Task InitializeAsync()
    {
        setup = await SetupAdmin.StartAsync(nameof(SlotCacheTests));
        second = new AppFactory(setup.Clinic.App.ConnectionString)
        {
            TestServices = services => services.AddSingleton<TimeProvider>(setup.Clinic.Clock),
        };
        second.With("RateLimits:PublicWritePerMinute", "1000").With("RateLimits:PublicReadPerMinute", "1000");
        nodes = [setup.Clinic.App.CreateClient(), second.CreateClient()];
    }

    public async Task DisposeAsync()
    {
        await second.DisposeAsync();
        await setup.DisposeAsync();
    }

    /// <summary>The day's offered starts as each instance answers, first instance first.</summary>
    private async Task<List<string>[]> StartsAsync() =>
        await Task.WhenAll(nodes.Select(async node =>
        {
            var body = await node.GetFromJsonAsync<JsonElement>(
                $"/api/v1/availability?serviceId={setup.Test.ServiceId}&locationId={setup.Test.LocationId}&from={Day}&days=1");
            return body.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetString()!).ToList();
        }));

    /// <summary>Reads the day on both instances, which keeps it in both caches, and checks they agree.</summary>
    private async Task<List<string>[]> WarmAsync()
    {
        var starts = await StartsAsync();
        Assert.Equal(starts[0], starts[1]);
        return starts;
    }

    [Fact]
    public async Task A_booking_on_either_instance_disappears_from_both_at_once()
    {
        var before = await WarmAsync();
        Assert.All(before, starts => Assert.Contains(Nine, starts));

        var booked = await nodes[1].PostAsJsonAsync("/api/v1/bookings", setup.Test.Booking(Nine, MailDev.UniqueAddress("cache-book")));
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);

        var after = await StartsAsync();
        Assert.All(after, starts => Assert.DoesNotContain(Nine, starts));
        Assert.All(after, starts => Assert.Contains(Ten, starts));
        Assert.All(after, starts => Assert.Equal(before[0].Count - 5, starts.Count)); // 08:30–09:30 meet the visit or its buffer

        var again = await nodes[0].PostAsJsonAsync("/api/v1/bookings", setup.Test.Booking(Ten, MailDev.UniqueAddress("cache-book-2")));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.All(await StartsAsync(), starts => Assert.DoesNotContain(Ten, starts));
    }

    [Fact]
    public async Task A_move_and_a_cancellation_show_on_both_instances_at_once()
    {
        var (_, token) = await setup.Clinic.BookOnlineAsync(Nine, MailDev.UniqueAddress("cache-move"));
        Assert.All(await WarmAsync(), starts => Assert.DoesNotContain(Nine, starts));

        var moved = await nodes[1].PostAsJsonAsync($"/api/v1/bookings/{token}/reschedule", new { start = Ten });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var afterMove = await StartsAsync();
        Assert.All(afterMove, starts => Assert.Contains(Nine, starts));
        Assert.All(afterMove, starts => Assert.DoesNotContain(Ten, starts));

        var cancelled = await nodes[0].PostAsync($"/api/v1/bookings/{token}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.All(await StartsAsync(), starts => Assert.Contains(Ten, starts));
    }

    [Fact]
    public async Task A_new_closure_empties_the_day_on_both_instances_at_once()
    {
        Assert.All(await WarmAsync(), starts => Assert.NotEmpty(starts));

        var closed = await SetupAdmin.PostAsync(setup.Admin, "/staff/admin/closures",
        [
            new("location", setup.Test.LocationId.ToString()), new("resourceId", ""), new("from", Day), new("to", ""), new("reason", "Staff training"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);

        Assert.All(await StartsAsync(), starts => Assert.Empty(starts));
    }

    [Fact]
    public async Task Changed_hours_show_on_both_instances_at_once()
    {
        Assert.All(await WarmAsync(), starts => Assert.Contains(TestClinic.At(2026, 12, 9, 8, 0), starts));

        var edited = await SetupAdmin.PostAsync(setup.Admin, $"/staff/admin/rooms/{setup.Test.RoomId}",
            setup.RoomFields(hours: "09:00–12:00", stamp: await setup.StampAsync(setup.Test.RoomId)));
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);

        var after = await StartsAsync();
        Assert.All(after, starts => Assert.Equal(TestClinic.At(2026, 12, 9, 9, 0), starts[0]));
        Assert.All(after, starts => Assert.DoesNotContain(TestClinic.At(2026, 12, 9, 13, 0), starts));
    }

    /// <summary>
    /// What the others rest on: a response really comes from memory while the location's version stands. A visit written
    /// behind the triggers' back (replication role: no triggers fire) stays offered until anything bumps the version.
    /// </summary>
    [Fact]
    public async Task A_copy_is_served_until_the_locations_version_moves()
    {
        Assert.All(await WarmAsync(), starts => Assert.Contains(Nine, starts));
        var customer = await setup.Clinic.SeedCustomerAsync("Behind The Back");
        await using (var connection = new NpgsqlConnection(setup.Clinic.App.ConnectionString))
        {
            await connection.OpenAsync();
            await using var unseen = new NpgsqlCommand("""
                SET session_replication_role = replica;
                INSERT INTO cx.appointments (id, customer_id, service_id, location_id, resource_id, start, "end", blocked_until,
                                             status, source, calendar_sequence, created_at)
                VALUES (gen_random_uuid(), @customer, @service, @location, @room, @start, @start + interval '30 minutes',
                        @start + interval '30 minutes', 'Booked', 'Online', 0, now());
                SET session_replication_role = origin;
                """, connection);
            unseen.Parameters.AddWithValue("customer", customer.Id);
            unseen.Parameters.AddWithValue("service", setup.Test.ServiceId);
            unseen.Parameters.AddWithValue("location", setup.Test.LocationId);
            unseen.Parameters.AddWithValue("room", setup.Test.RoomId);
            unseen.Parameters.AddWithValue("start", DateTimeOffset.Parse(Nine).ToUniversalTime());
            await unseen.ExecuteNonQueryAsync();
        }

        Assert.All(await StartsAsync(), starts => Assert.Contains(Nine, starts));

        var other = await nodes[0].PostAsJsonAsync("/api/v1/bookings", setup.Test.Booking(TestClinic.At(2026, 12, 9, 14, 0), MailDev.UniqueAddress("cache-bump")));
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.All(await StartsAsync(), starts => Assert.DoesNotContain(Nine, starts));
    }
}
