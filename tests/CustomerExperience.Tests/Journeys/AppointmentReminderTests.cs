using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Journeys;

/// <summary>Reminders at their moments in the location's zone, with time moved by a fake clock, real Postgres and maildev.</summary>
public class AppointmentReminderTests : IAsyncLifetime
{
    private const int Week = 7 * 24 * 60, Day = 24 * 60, TwoHours = 120;
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private HttpClient client = null!;
    private TestClinic clinic = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(AppointmentReminderTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        app.With("RateLimits:PublicWritePerMinute", "1000");
        client = app.CreateClient();
        clinic = await TestClinic.SeedAsync(app.Services);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<(Guid Id, string Token)> BookAsync(string start, string email)
    {
        var response = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(start, email));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return (body.GetProperty("id").GetGuid(), body.GetProperty("manageUrl").GetString()!.Split('/')[^1]);
    }

    private async Task<int> RunAtAsync(DateTimeOffset instant)
    {
        clock.SetUtcNow(instant);
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppointmentReminders>().QueueDueAsync(default);
    }

    private async Task<List<string>> ReminderKeysAsync(Guid visit)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboundEmails
            .Where(e => e.AppointmentId == visit && e.Kind == "reminder")
            .OrderBy(e => e.CreatedAt).Select(e => e.IdempotencyKey).ToListAsync();
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_visit_ten_days_out_gets_the_week_day_and_two_hour_reminders_each_at_its_moment()
    {
        var email = MailDev.UniqueAddress("remind10");
        var (visit, token) = await BookAsync(TestClinic.At(2026, 12, 3, 9), email); // Thursday 09:00 EST = 14:00Z

        foreach (var (moment, offset) in new[] { (Utc(11, 26, 14), Week), (Utc(12, 2, 14), Day), (Utc(12, 3, 12), TwoHours) })
        {
            Assert.Equal(0, await RunAtAsync(moment.AddMinutes(-1)));
            Assert.Equal(1, await RunAtAsync(moment));
            Assert.Equal(0, await RunAtAsync(moment.AddMinutes(5))); // a rerun, or a second node, adds nothing
            Assert.EndsWith($":{offset}:0", (await ReminderKeysAsync(visit))[^1]);
        }
        Assert.Equal(0, await RunAtAsync(Utc(12, 3, 14, 30))); // the visit has started

        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);
        var messages = await MailDev.WaitForAsync(email, 4);
        var reminders = messages.Where(m => m.GetProperty("subject").GetString()!.StartsWith("Reminder:")).ToList();
        Assert.Equal(3, reminders.Count);
        var text = reminders[0].GetProperty("text").GetString()!;
        Assert.Contains("Thursday, December 3, 2026 at 9:00 AM", text);
        Assert.Contains("1 Test Street, New York, NY 10001", text);
        Assert.Contains("https://maps.example/test", text);
        Assert.Contains("Park behind the building.", text);
        Assert.Contains("No deodorant on the day.", text);
        // Each reminder carries a fresh link that opens the visit; the confirmation's link keeps working.
        var links = reminders.Select(m => Regex.Match(m.GetProperty("text").GetString()!, "/manage/([A-Za-z0-9_-]{43})").Groups[1].Value).ToList();
        Assert.Equal(3, links.Where(l => l.Length == 43).Distinct().Count());
        Assert.DoesNotContain(token, links);
        foreach (var link in links.Append(token))
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/manage/{link}")).StatusCode);
    }

    [Fact]
    public async Task Day_reminders_keep_the_local_time_across_the_spring_forward_change()
    {
        // Monday 15 March 2027, 09:00 EDT = 13:00Z; the clocks went forward on Sunday the 14th.
        var (visit, _) = await BookAsync("2027-03-15T09:00:00-04:00", MailDev.UniqueAddress("dst"));

        // A week before is Monday 8 March, 09:00 EST = 14:00Z, not 13:00Z.
        Assert.Equal(0, await RunAtAsync(new DateTimeOffset(2027, 3, 8, 13, 59, 0, TimeSpan.Zero)));
        Assert.Equal(1, await RunAtAsync(new DateTimeOffset(2027, 3, 8, 14, 0, 0, TimeSpan.Zero)));
        // A day before is Sunday 14 March, 09:00 EDT = 13:00Z.
        Assert.Equal(0, await RunAtAsync(new DateTimeOffset(2027, 3, 14, 12, 59, 0, TimeSpan.Zero)));
        Assert.Equal(1, await RunAtAsync(new DateTimeOffset(2027, 3, 14, 13, 0, 0, TimeSpan.Zero)));
        // Two hours are two real hours: 11:00Z.
        Assert.Equal(0, await RunAtAsync(new DateTimeOffset(2027, 3, 15, 10, 59, 0, TimeSpan.Zero)));
        Assert.Equal(1, await RunAtAsync(new DateTimeOffset(2027, 3, 15, 11, 0, 0, TimeSpan.Zero)));
        Assert.Equal([$"reminder:{visit}:{Week}:0", $"reminder:{visit}:{Day}:0", $"reminder:{visit}:{TwoHours}:0"], await ReminderKeysAsync(visit));
    }

    [Fact]
    public void Reminder_moments_across_the_fall_back_change_keep_the_wall_clock_time()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var visit = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(-5)); // Monday after fall-back

        Assert.Equal(Utc(10, 26, 13), AppointmentReminders.Moment(visit, Week, newYork)); // 09:00 EDT
        Assert.Equal(Utc(11, 1, 14), AppointmentReminders.Moment(visit, Day, newYork));   // 09:00 EST
        Assert.Equal(Utc(11, 2, 12), AppointmentReminders.Moment(visit, TwoHours, newYork));
        Assert.Equal(Utc(11, 1, 12), AppointmentReminders.Moment(visit, Day + TwoHours, newYork));
    }

    [Fact]
    public async Task A_visit_booked_twenty_hours_ahead_gets_only_the_two_hour_reminder()
    {
        clock.SetUtcNow(Utc(11, 23, 17)); // 12:00 in New York
        var (visit, _) = await BookAsync(TestClinic.At(2026, 11, 24, 8), MailDev.UniqueAddress("late")); // 13:00Z tomorrow

        Assert.Equal(0, await RunAtAsync(Utc(11, 23, 17, 1)));
        Assert.Equal(0, await RunAtAsync(Utc(11, 24, 10, 59)));
        Assert.Equal(1, await RunAtAsync(Utc(11, 24, 11)));
        Assert.Equal([$"reminder:{visit}:{TwoHours}:0"], await ReminderKeysAsync(visit));
    }

    [Fact]
    public async Task A_cancelled_visit_gets_no_reminder_and_its_queued_one_is_withdrawn()
    {
        var (visit, token) = await BookAsync(TestClinic.At(2026, 12, 3, 9), MailDev.UniqueAddress("cancel"));
        Assert.Equal(1, await RunAtAsync(Utc(11, 26, 14))); // queued, not yet delivered

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/bookings/{token}/cancel", null)).StatusCode);

        Assert.Empty(await ReminderKeysAsync(visit));
        Assert.Equal(0, await RunAtAsync(Utc(12, 2, 14)));
        Assert.Equal(0, await RunAtAsync(Utc(12, 3, 12)));
        Assert.Empty(await ReminderKeysAsync(visit));
    }

    [Fact]
    public async Task A_moved_visit_gets_reminders_for_its_new_time_only()
    {
        var (visit, token) = await BookAsync(TestClinic.At(2026, 12, 3, 9), MailDev.UniqueAddress("move"));
        Assert.Equal(1, await RunAtAsync(Utc(11, 26, 14))); // the week reminder of the old time is queued

        // On 27 November the visit moves to Friday 4 December, 13:00 EST (18:00Z).
        clock.SetUtcNow(Utc(11, 27, 15));
        var moved = await client.PostAsJsonAsync($"/api/v1/bookings/{token}/reschedule", new { start = TestClinic.At(2026, 12, 4, 13) });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        Assert.Empty(await ReminderKeysAsync(visit)); // the stale one was withdrawn before it went out
        Assert.Equal(0, await RunAtAsync(Utc(11, 27, 15, 1))); // the new week moment (27 Nov 18:00Z) is still ahead...
        Assert.Equal(1, await RunAtAsync(Utc(11, 27, 18)));    // ...and comes after the move, so it is sent
        Assert.Equal(0, await RunAtAsync(Utc(12, 3, 14)));     // nothing at the old time
        Assert.Equal(1, await RunAtAsync(Utc(12, 3, 18)));
        Assert.Equal(1, await RunAtAsync(Utc(12, 4, 16)));
        Assert.Equal([$"reminder:{visit}:{Week}:1", $"reminder:{visit}:{Day}:1", $"reminder:{visit}:{TwoHours}:1"], await ReminderKeysAsync(visit));
    }

    [Fact]
    public async Task After_downtime_only_the_nearest_due_reminder_is_sent()
    {
        var (visit, _) = await BookAsync(TestClinic.At(2026, 12, 3, 9), MailDev.UniqueAddress("catchup"));

        // Nothing ran between the booking and 90 minutes before the visit: the week and day reminders are past.
        Assert.Equal(1, await RunAtAsync(Utc(12, 3, 12, 30)));
        Assert.Equal([$"reminder:{visit}:{TwoHours}:0"], await ReminderKeysAsync(visit));
    }

    [Fact]
    public async Task Customers_who_opted_out_of_marketing_still_get_reminders_of_their_visit()
    {
        var email = MailDev.UniqueAddress("optout");
        var (visit, _) = await BookAsync(TestClinic.At(2026, 12, 3, 9), email);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Customers.Where(c => c.NormalizedEmail == email).ExecuteUpdateAsync(c => c.SetProperty(x => x.EmailOptOut, true));
        }

        Assert.Equal(1, await RunAtAsync(Utc(11, 26, 14)));
        Assert.Single(await ReminderKeysAsync(visit));
    }
}
