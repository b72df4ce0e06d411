using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CustomerExperience.Tests.Hosting;

/// <summary>
/// Postgres goes away while customers are booking (the app reaches it through a <see cref="TcpProxy"/> that is cut and
/// restored): a friendly 503 with Retry-After while it is away, bookings again within 10 s of its return without a
/// restart, and no booking half written.
/// </summary>
public class DatabaseOutageTests(ITestOutputHelper output)
{
    private sealed record Attempt(string Email, HttpStatusCode Status, DateTimeOffset At);

    [Fact]
    public async Task Postgres_going_away_under_load_gets_a_friendly_503_recovers_by_itself_and_half_writes_nothing()
    {
        var direct = await TestDatabases.CreateAsync("db_outage");
        var database = new NpgsqlConnectionStringBuilder(direct);
        await using var postgres = new TcpProxy(database.Host!, database.Port);
        postgres.Start();
        database.Host = "127.0.0.1";
        database.Port = postgres.Port;
        database.Timeout = 2;
        await using var app = new AppFactory(database.ConnectionString)
            .With("RateLimits:PublicWritePerMinute", "100000").With("RateLimits:PublicReadPerMinute", "100000");
        var clinic = await TestClinic.SeedAsync(app.Services);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var slots = Slots(DateTime.UtcNow.Year + 1, 400);

        var attempts = new ConcurrentQueue<Attempt>();
        using var stop = new CancellationTokenSource();
        var next = -1;
        async Task BookAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= slots.Count)
                    return;
                var email = MailDev.UniqueAddress($"outage{i}");
                var response = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(slots[i], email));
                attempts.Enqueue(new Attempt(email, response.StatusCode, DateTimeOffset.UtcNow));
            }
        }
        var customers = Enumerable.Range(0, 4).Select(_ => Task.Run(BookAsync)).ToList();
        int Count(HttpStatusCode status) => attempts.Count(a => a.Status == status);

        await Eventually.TrueAsync(() => Task.FromResult(Count(HttpStatusCode.Created) >= 10), TimeSpan.FromSeconds(60), "10 bookings before the outage");
        await postgres.StopAsync();

        // While it is away: customers get a page that says so, the API a problem+json, both with Retry-After.
        await Eventually.TrueAsync(() => Task.FromResult(Count(HttpStatusCode.ServiceUnavailable) >= 8), TimeSpan.FromSeconds(60), "8 bookings answered 503");
        var page = await client.GetAsync($"/book/time?serviceId={clinic.ServiceId}&locationId={clinic.LocationId}");
        var api = await client.GetAsync("/api/v1/services");
        var createdBeforeReturn = Count(HttpStatusCode.Created);
        postgres.Start();
        var back = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => Task.FromResult(Count(HttpStatusCode.Created) > createdBeforeReturn + 5), TimeSpan.FromSeconds(10),
            "bookings to succeed again within 10 s of Postgres returning");
        var recovered = back.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(customers);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal(DatabaseOutage.RetryAfterSeconds.ToString(), page.Headers.RetryAfter?.ToString());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Back in a moment", html);
        Assert.Contains("nothing was saved", html);
        Assert.DoesNotContain("Exception", html);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DatabaseOutage.RetryAfterSeconds.ToString(), api.Headers.RetryAfter?.ToString());
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Temporarily unavailable", problem.GetProperty("title").GetString());
        Assert.DoesNotContain(postgres.Port.ToString(), problem.ToString());

        // Nothing but 201 and 503: no 500 for an outage, no 409 from a half-written booking holding its slot.
        var statuses = attempts.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{attempts.Count} bookings: {string.Join(", ", statuses.Select(s => $"{(int)s.Key}: {s.Value}"))}; bookings again {recovered.TotalSeconds:0.0} s after Postgres returned");
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable], statuses.Keys.Order());

        // Every booking is whole (customer, visit and confirmation email together) or absent; every 201 is whole.
        await using var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>()
            .UseNpgsql(direct, DatabaseSetup.ConfigureNpgsql).UseSnakeCaseNamingConvention().Options);
        var emails = attempts.Select(a => a.Email).ToList();
        var found = await db.Customers.Where(c => emails.Contains(c.Email!))
            .Select(c => new
            {
                c.Email,
                Visits = db.Appointments.Count(a => a.CustomerId == c.Id),
                Confirmations = db.OutboundEmails.Count(e => e.CustomerId == c.Id),
            }).ToListAsync();
        Assert.All(found, f => Assert.True(f.Visits == 1 && f.Confirmations >= 1, $"{f.Email}: {f.Visits} visits, {f.Confirmations} emails"));
        var whole = found.Select(f => f.Email).ToHashSet();
        Assert.All(attempts.Where(a => a.Status == HttpStatusCode.Created), a => Assert.Contains(a.Email, whole));
        // A 503 saved nothing (a reply lost after the commit is the one way one could have: then it is whole, above).
        var savedDespite503 = attempts.Count(a => a.Status == HttpStatusCode.ServiceUnavailable && whole.Contains(a.Email));
        Assert.True(savedDespite503 <= 1, $"{savedDespite503} bookings answered 503 were saved");
    }

    /// <summary>
    /// The connection under an open transaction is cut between two statements: the statement that meets the cut, and
    /// any later one on the same transaction (which Npgsql refuses with "already completed"), both count as an outage.
    /// </summary>
    [Fact]
    public async Task A_connection_cut_inside_a_transaction_is_an_outage_for_every_statement_after_it()
    {
        var direct = await TestDatabases.CreateAsync("db_cut_tx");
        var database = new NpgsqlConnectionStringBuilder(direct);
        await using var postgres = new TcpProxy(database.Host!, database.Port);
        postgres.Start();
        database.Host = "127.0.0.1";
        database.Port = postgres.Port;
        database.Pooling = false;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await new NpgsqlCommand("SELECT 1", connection, transaction).ExecuteScalarAsync();

        await postgres.StopAsync();
        var cut = await Assert.ThrowsAnyAsync<Exception>(() => new NpgsqlCommand("SELECT 2", connection, transaction).ExecuteScalarAsync());
        var after = await Assert.ThrowsAnyAsync<Exception>(() => new NpgsqlCommand("SELECT 3", connection, transaction).ExecuteScalarAsync());
        output.WriteLine($"cut: {cut.GetType().Name}: {cut.Message}; after: {after.GetType().Name}: {after.Message} (source {after.Source})");

        Assert.True(DatabaseOutage.Caused(cut), cut.ToString());
        Assert.True(DatabaseOutage.Caused(after), after.ToString());
        Assert.False(DatabaseOutage.Caused(new InvalidOperationException("Transaction is already completed")), "only Npgsql's own counts");
    }

    /// <summary>Distinct bookable starts: weekdays from 4 January, on the hour, in the test clinic's opening hours.</summary>
    private static List<string> Slots(int year, int count)
    {
        var slots = new List<string>();
        for (var day = new DateTime(year, 1, 4); slots.Count < count; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                continue;
            foreach (var hour in new[] { 8, 9, 10, 11, 13, 14, 15, 16 })
                slots.Add(TestClinic.At(day.Year, day.Month, day.Day, hour));
        }
        return slots[..count];
    }
}
