using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Surveys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Hosting;

/// <summary>
/// /metrics over HTTP, and the counters through a <see cref="MeterListener"/> that hears only this test's host (other
/// hosts in the process count on meters of their own), so every count is exact.
/// </summary>
public class MetricsTests : IAsyncLifetime
{
    // Monday 2026-11-23, 07:00 in New York.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private HttpClient client = null!;
    private TestClinic clinic = null!;
    private HostMetrics metrics = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(MetricsTests)))
        {
            TestServices = services =>
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
                TestClientAddress.AddTo(services);
            },
        };
        app.With("RateLimits:PublicWritePerMinute", "1000").With("Metrics:AllowedNetworks", "10.20.0.0/16, fd00:cafe::/32");
        client = app.CreateClient();
        clinic = await TestClinic.SeedAsync(app.Services);
        metrics = new HostMetrics(app.Services);
    }

    public async Task DisposeAsync()
    {
        metrics.Dispose();
        await app.DisposeAsync();
    }

    private Task<HttpResponseMessage> BookAsync(int hour, string email) =>
        client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(TestClinic.At(2026, 11, 30, hour), email));

    private Task<HttpResponseMessage> ScrapeFromAsync(string address) =>
        TestClientAddress.From(app.CreateClient(), address).GetAsync("/metrics");

    [Fact]
    public async Task Metrics_from_this_machine_are_prometheus_text_with_bookings_and_request_durations()
    {
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(9, MailDev.UniqueAddress("metrics"))).StatusCode);

        var response = await ScrapeFromAsync("127.0.0.1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("cx_bookings_total{", body);
        Assert.Contains("source=\"Online\"", body);
        Assert.Contains("http_server_request_duration_seconds_bucket{", body);
        Assert.Equal(HttpStatusCode.OK, (await ScrapeFromAsync("::1")).StatusCode);
    }

    [Fact]
    public async Task Metrics_answer_the_allowed_networks_and_are_404_to_anyone_else()
    {
        Assert.Equal(HttpStatusCode.OK, (await ScrapeFromAsync("10.20.3.4")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ScrapeFromAsync("::ffff:10.20.3.4")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ScrapeFromAsync("fd00:cafe::9")).StatusCode);

        foreach (var outsider in new[] { "10.21.0.1", "203.0.113.9", "fd00:beef::9" })
        {
            var response = await ScrapeFromAsync(outsider);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{outsider}: {response.StatusCode}");
            Assert.DoesNotContain("cx_", await response.Content.ReadAsStringAsync());
        }
        // No address at all (the test server's own requests): not this machine as far as we can tell.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_booking_counts_once_and_a_taken_slot_counts_a_conflict()
    {
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(10, MailDev.UniqueAddress("first"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await BookAsync(10, MailDev.UniqueAddress("second"))).StatusCode);

        Assert.Equal(1, metrics.Total("cx.bookings", "source", "Online"));
        Assert.Equal(1, metrics.Total("cx.booking_conflicts"));
    }

    [Fact]
    public async Task A_delivered_email_counts_as_sent_by_kind()
    {
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(11, MailDev.UniqueAddress("sent"))).StatusCode);
        Assert.Equal(0, metrics.Total("cx.emails.sent"));

        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        Assert.Equal(1, (await dispatcher.DeliverBatchAsync(default)).Sent);

        Assert.Equal(1, metrics.Total("cx.emails.sent"));
        Assert.Equal(1, metrics.Total("cx.emails.sent", "kind", "confirmation"));
        Assert.Equal(0, metrics.Total("cx.emails.failed"));
    }

    [Fact]
    public async Task A_failed_send_counts_as_failed_and_the_attempt_that_gives_up_as_dead()
    {
        var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var down = new AppFactory(await TestDatabases.CreateAsync("metrics_smtp_down"))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        down.With("Smtp:Port", closedPort.ToString()).With("Outbox:MaxAttempts", "2");
        var place = await TestClinic.SeedAsync(down.Services);
        using var counted = new HostMetrics(down.Services);
        var booked = await down.CreateClient().PostAsJsonAsync("/api/v1/bookings", place.Booking(TestClinic.At(2026, 11, 30, 9), MailDev.UniqueAddress("down")));
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var dispatcher = down.Services.GetRequiredService<OutboxDispatcher>();

        Assert.Equal(1, (await dispatcher.DeliverBatchAsync(default)).Retried);
        Assert.Equal(1, counted.Total("cx.emails.failed", "kind", "confirmation"));
        Assert.Equal(0, counted.Total("cx.emails.dead"));

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, (await dispatcher.DeliverBatchAsync(default)).Dead);
        Assert.Equal(1, counted.Total("cx.emails.failed"));
        Assert.Equal(1, counted.Total("cx.emails.dead", "kind", "confirmation"));
        Assert.Equal(0, counted.Total("cx.emails.sent"));
    }

    [Fact]
    public async Task A_stored_survey_response_counts_once_by_channel_and_a_retried_send_does_not_count_again()
    {
        var submission = new SurveySubmission(Guid.NewGuid(), SurveyChannel.Kiosk, clinic.LocationId, 1, new Dictionary<string, int> { ["booking"] = 5 });
        var outcomes = new List<SubmitOutcome>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            outcomes.Add(await scope.ServiceProvider.GetRequiredService<SurveyResponses>().SubmitAsync(submission, default));
        }

        Assert.IsType<SubmitOutcome.Stored>(outcomes[0]);
        Assert.IsType<SubmitOutcome.AlreadyStored>(outcomes[1]);
        Assert.Equal(1, metrics.Total("cx.survey.responses", "channel", "kiosk"));
        Assert.Equal(1, metrics.Total("cx.survey.responses"));
    }

    [Fact]
    public async Task Job_runs_are_counted_by_job_on_this_hosts_server()
    {
        await using var jobs = new AppFactory(await TestDatabases.CreateAsync("metrics_jobs")).With("App:RunJobs", "true");
        var place = await TestClinic.SeedAsync(jobs.Services);
        using var counted = new HostMetrics(jobs.Services);

        // The booking's commit enqueues a delivery job (OutboxKick), which this host's server runs.
        var booked = await jobs.CreateClient().PostAsJsonAsync("/api/v1/bookings", place.Booking(AWeekdayMorningNextWeek(), MailDev.UniqueAddress("jobs")));
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);

        await Eventually.TrueAsync(() => Task.FromResult(counted.Total("cx.jobs.runs", "job", "DeliverOutboxJob") >= 1),
            TimeSpan.FromSeconds(20), "a DeliverOutboxJob run to be counted");
        Assert.Equal(0, counted.Total("cx.jobs.failures"));
    }

    [Fact]
    public async Task The_outbox_age_gauge_reads_how_long_the_oldest_unsent_email_has_waited()
    {
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(13, MailDev.UniqueAddress("waiting"))).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(600.0, await ReadGaugeAsync("cx.outbox.oldest_age_seconds"), precision: 3);
        Assert.Equal(0.0, await ReadGaugeAsync("cx.recovery.open_cases"));
    }

    /// <summary>09:00 in New York on a weekday a week or two from the real today, for a host on the real clock.</summary>
    private static string AWeekdayMorningNextWeek()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime).AddDays(7);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            day = day.AddDays(1);
        var local = day.ToDateTime(new TimeOnly(9, 0));
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
    }

    /// <summary>A gauge answers from its last reading and reads the database in the background: the first look starts it.</summary>
    private async Task<double> ReadGaugeAsync(string gauge)
    {
        double? value = null;
        await Eventually.TrueAsync(() => Task.FromResult((value = metrics.Observe(gauge)) is not null), TimeSpan.FromSeconds(10), $"{gauge}'s first reading");
        return value!.Value;
    }

    /// <summary>Totals of this host's counters, and the latest value of its gauges, by instrument and tag.</summary>
    private sealed class HostMetrics : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentDictionary<string, double> values = new();

        public HostMetrics(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Metrics.MeterName && instrument.Meter.Scope == factory)
                    l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            {
                if (instrument is ObservableGauge<double>)
                    values[instrument.Name] = value;
                else
                    Add(instrument, value, tags);
            });
            listener.Start();
        }

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            values.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
            foreach (var (key, tag) in tags)
                values.AddOrUpdate($"{instrument.Name}|{key}={tag}", value, (_, total) => total + value);
        }

        public double Total(string instrument) => values.GetValueOrDefault(instrument);

        public double Total(string instrument, string tag, string value) => values.GetValueOrDefault($"{instrument}|{tag}={value}");

        public double? Observe(string gauge)
        {
            values.TryRemove(gauge, out _);
            listener.RecordObservableInstruments();
            return values.TryGetValue(gauge, out var value) ? value : null;
        }

        public void Dispose() => listener.Dispose();
    }
}
