using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Journeys;

/// <summary>"You can book your next visit from …", its follow-ups and one-click unsubscribe, with the clock moved by hand.</summary>
public class EligibilityRecallTests : IAsyncLifetime
{
    // Monday 23 November 2026, 07:00 in New York.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    // The last screening, 340 days earlier: coverage starts Friday 18 December 2026, so the first recall was due on 18 November.
    private static readonly DateTimeOffset LastScreening = new(2025, 12, 18, 14, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly BirthDate = new(1961, 5, 6);
    private AppFactory app = null!;
    private HttpClient client = null!;
    private TestClinic clinic = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(EligibilityRecallTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        app.With("RateLimits:PublicWritePerMinute", "1000");
        client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        clinic = await TestClinic.SeedAsync(app.Services);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<int> RunAtAsync(DateTimeOffset instant)
    {
        clock.SetUtcNow(instant);
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EligibilityRecalls>().QueueDueAsync(default);
    }

    private async Task<List<string>> RecallKeysAsync(Guid customer)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboundEmails
            .Where(e => e.CustomerId == customer && e.Kind == "recall")
            .OrderBy(e => e.CreatedAt).Select(e => e.IdempotencyKey).ToListAsync();
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_customer_340_days_after_a_screening_gets_a_recall_now_follow_ups_later_and_none_after_booking()
    {
        var email = MailDev.UniqueAddress("recall");
        var customer = await clinic.SeedCompletedVisitAsync(app.Services, email, BirthDate, LastScreening);
        var key = $"recall:{customer}:{clinic.ServiceId}:2026-12-18";

        Assert.Equal(1, await RunAtAsync(Utc(11, 23, 12)));
        Assert.Equal(0, await RunAtAsync(Utc(11, 23, 12, 15))); // reruns add nothing
        Assert.Equal(0, await RunAtAsync(Utc(12, 2, 13, 59)));
        Assert.Equal(1, await RunAtAsync(Utc(12, 2, 14)));      // first follow-up, 14 days after the first, 09:00 local
        Assert.Equal([$"{key}:0", $"{key}:1"], await RecallKeysAsync(customer));

        // The customer books a covered date; the second follow-up never comes.
        var booked = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(TestClinic.At(2026, 12, 18, 9), email, "Returning Customer", dateOfBirth: "1961-05-06"));
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        Assert.Equal(0, await RunAtAsync(Utc(12, 16, 14)));
        Assert.Equal(0, await RunAtAsync(Utc(12, 30, 14)));
        Assert.Equal(2, (await RecallKeysAsync(customer)).Count);
    }

    [Fact]
    public async Task Recalls_follow_the_customer_not_the_address()
    {
        // Mother and daughter share an email; only the mother is due. The daughter's booking does not stop the mother's recalls.
        var email = MailDev.UniqueAddress("family");
        var mother = await clinic.SeedCompletedVisitAsync(app.Services, email, BirthDate, LastScreening);
        var daughter = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(TestClinic.At(2026, 12, 18, 9), email, "Daisy Customer", dateOfBirth: "1990-07-08"));
        Assert.Equal(HttpStatusCode.Created, daughter.StatusCode);

        Assert.Equal(1, await RunAtAsync(Utc(11, 23, 12)));

        Assert.Equal([$"recall:{mother}:{clinic.ServiceId}:2026-12-18:0"], await RecallKeysAsync(mother));
        await using var scope = app.Services.CreateAsyncScope();
        var recall = await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboundEmails.SingleAsync(e => e.Kind == "recall");
        Assert.Contains("Hello Rita,", recall.TextBody);
    }

    [Fact]
    public async Task Follow_ups_stop_after_the_configured_number()
    {
        var customer = await clinic.SeedCompletedVisitAsync(app.Services, MailDev.UniqueAddress("followups"), BirthDate, LastScreening);

        foreach (var at in new[] { Utc(11, 23, 12), Utc(12, 2, 14), Utc(12, 16, 14), Utc(12, 30, 14), new DateTimeOffset(2027, 1, 13, 14, 0, 0, TimeSpan.Zero) })
            await RunAtAsync(at);

        Assert.Equal(3, (await RecallKeysAsync(customer)).Count); // the first and two follow-ups
    }

    [Fact]
    public async Task A_customer_who_opted_out_gets_none()
    {
        var customer = await clinic.SeedCompletedVisitAsync(app.Services, MailDev.UniqueAddress("optedout"), BirthDate, LastScreening, optedOut: true);

        Assert.Equal(0, await RunAtAsync(Utc(11, 23, 12)));
        Assert.Equal(0, await RunAtAsync(Utc(12, 2, 14)));
        Assert.Empty(await RecallKeysAsync(customer));
    }

    [Fact]
    public async Task A_recent_visit_is_not_recalled_yet()
    {
        var customer = await clinic.SeedCompletedVisitAsync(app.Services, MailDev.UniqueAddress("recent"), BirthDate, Utc(3, 2, 15));

        Assert.Equal(0, await RunAtAsync(Utc(11, 23, 12))); // covered from 2 March 2027: first message on 31 January
        Assert.Empty(await RecallKeysAsync(customer));
    }

    [Fact]
    public async Task The_recall_links_to_covered_times_and_unsubscribes_in_one_click()
    {
        var email = MailDev.UniqueAddress("oneclick");
        var customer = await clinic.SeedCompletedVisitAsync(app.Services, email, BirthDate, LastScreening);
        await RunAtAsync(Utc(11, 23, 12));
        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);

        var message = Assert.Single(await MailDev.WaitForAsync(email));
        Assert.Equal("Your next visit is covered from December 18", message.GetProperty("subject").GetString());
        var text = message.GetProperty("text").GetString()!;
        Assert.Contains("covered by your insurance from Friday, December 18, 2026", text);
        var bookLink = Regex.Match(text, @"http://127\.0\.0\.1:5080(/book/time\?\S+)").Groups[1].Value;
        Assert.Contains($"serviceId={clinic.ServiceId}", bookLink);
        Assert.Contains($"locationId={clinic.LocationId}", bookLink);
        Assert.Contains("coveredFrom=2026-12-18", bookLink);
        var source = await MailDev.SourceAsync(message);
        var unsubscribe = Regex.Match(source, @"List-Unsubscribe:\s+<http://127\.0\.0\.1:5080(/unsubscribe/[^>]+)>").Groups[1].Value;
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", source);

        // The booking page from the link says when coverage starts and begins on that day.
        var page = await client.GetStringAsync(bookLink);
        Assert.Contains("covered by insurance from <strong>Friday, December 18</strong>", page);
        Assert.Matches(@"<ul class=""days"">\s*<li>\s*<a class=""day[^>]*>\s*Fri Dec 18", page);

        // A mail client's one-click POST: no cookie, no antiforgery token.
        var oneClick = await client.PostAsync(unsubscribe, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<AppDbContext>().Customers.Where(c => c.Id == customer).Select(c => c.EmailOptOut).SingleAsync());
        Assert.Equal(0, await RunAtAsync(Utc(12, 2, 14)));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(unsubscribe)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(unsubscribe[..^3] + "xyz")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/unsubscribe/not-a-token", null)).StatusCode);
    }
}
