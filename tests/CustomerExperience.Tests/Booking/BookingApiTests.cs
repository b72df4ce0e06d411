using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Booking;

/// <summary>The public booking API against real Postgres and real SMTP, with the clock held still.</summary>
public class BookingApiTests : IAsyncLifetime
{
    // Monday 2026-11-23, 07:00 in New York.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private HttpClient client = null!;
    private TestClinic clinic = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(BookingApiTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        app.With("RateLimits:PublicWritePerMinute", "1000");
        client = app.CreateClient();
        clinic = await TestClinic.SeedAsync(app.Services);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private OutboxDispatcher Dispatcher => app.Services.GetRequiredService<OutboxDispatcher>();

    private async Task<JsonElement> BookAsync(string start, string email, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(start, email));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        return body;
    }

    private static string TokenOf(JsonElement booking) => booking.GetProperty("manageUrl").GetString()!.Split('/')[^1];

    private async Task<(int Appointments, int Emails)> CountsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (await db.Appointments.CountAsync(), await db.OutboundEmails.CountAsync());
    }

    [Fact]
    public async Task Availability_lists_local_times_with_their_offset_and_skips_taken_ones()
    {
        var slots = await client.GetFromJsonAsync<JsonElement>($"/api/v1/availability?serviceId={clinic.ServiceId}&locationId={clinic.LocationId}&from=2026-11-30&days=1");
        var starts = slots.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetString()).ToList();
        Assert.Equal("2026-11-30T08:00:00-05:00", starts[0]);
        Assert.Equal("2026-11-30T16:30:00-05:00", starts[^1]);
        Assert.DoesNotContain("2026-11-30T12:00:00-05:00", starts); // lunch

        await BookAsync(TestClinic.At(2026, 11, 30, 9), MailDev.UniqueAddress("avail"));
        var after = await client.GetFromJsonAsync<JsonElement>($"/api/v1/availability?serviceId={clinic.ServiceId}&locationId={clinic.LocationId}&from=2026-11-30&days=1");
        var left = after.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetString()).ToList();
        Assert.DoesNotContain("2026-11-30T09:00:00-05:00", left);
        Assert.DoesNotContain("2026-11-30T08:30:00-05:00", left); // its buffer would reach into 09:00
        Assert.Contains("2026-11-30T09:45:00-05:00", left);       // 09:00 + 30 min + 10 min buffer, on the grid
    }

    [Fact]
    public async Task Booking_sends_one_confirmation_with_a_calendar_part_and_an_ics_attachment_that_ical_js_reads()
    {
        var email = MailDev.UniqueAddress("book");
        var booking = await BookAsync(TestClinic.At(2026, 12, 1, 9), email);

        Assert.Equal("2026-12-01T09:00:00-05:00", booking.GetProperty("start").GetString());
        Assert.Equal("2026-12-01T09:30:00-05:00", booking.GetProperty("end").GetString());
        Assert.Matches("^http://127.0.0.1:5080/manage/[A-Za-z0-9_-]{43}$", booking.GetProperty("manageUrl").GetString());
        Assert.Equal(1, (await Dispatcher.DeliverBatchAsync(default)).Sent);

        var message = Assert.Single(await MailDev.WaitForAsync(email));
        Assert.Equal("Booked: Clinic appointment, Tuesday, December 1, 2026 at 9:00 AM", message.GetProperty("subject").GetString());
        var source = await MailDev.SourceAsync(message);
        Assert.Matches("text/calendar;[^\r\n]*method=REQUEST", source);
        Assert.Contains("invite.ics", source);
        var text = message.GetProperty("text").GetString()!;
        Assert.Contains(booking.GetProperty("manageUrl").GetString()!, text);
        Assert.Contains("1 Test Street, New York, NY 10001", text);
        Assert.Contains("https://maps.example/test", text);
        Assert.Contains("Park behind the building.", text);
        Assert.Contains("No deodorant on the day.", text);
        Assert.Contains("Eastern Standard Time", text);

        // The manage link stays in the email: a calendar is shared and synced, and whoever sees the event could cancel the visit.
        var raw = await MailDev.AttachmentAsync(message, "invite.ics");
        Assert.DoesNotContain(TokenOf(booking), raw.Replace("\r\n ", ""));
        Assert.DoesNotContain("/manage/", raw.Replace("\r\n ", ""));
        var ics = await IcalJs.ParseAsync(raw);
        Assert.Equal("REQUEST", ics.GetProperty("method").GetString());
        var visit = ics.GetProperty("events")[0];
        Assert.Equal(JsonValueKind.Null, visit.GetProperty("url").ValueKind);
        Assert.EndsWith("To change or cancel this visit, use the link in your confirmation email, or call Test Screening Center on +1 212 555 0100.",
            visit.GetProperty("description").GetString());
        Assert.Equal($"{booking.GetProperty("id").GetString()}@127.0.0.1", visit.GetProperty("uid").GetString());
        Assert.Equal(0, visit.GetProperty("sequence").GetInt32());
        Assert.Equal("CONFIRMED", visit.GetProperty("status").GetString());
        Assert.Equal("2026-12-01T14:00:00.000Z", visit.GetProperty("dtstart").GetString());
        Assert.Equal("2026-12-01T14:30:00.000Z", visit.GetProperty("dtend").GetString());
        Assert.Equal("Clinic appointment at Northside Imaging", visit.GetProperty("summary").GetString());
        Assert.DoesNotContain("mammogram", visit.GetProperty("summary").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Test Screening Center, 1 Test Street, New York, NY 10001", visit.GetProperty("location").GetString());
        Assert.Equal("mailto:appointments@northside-imaging.example", visit.GetProperty("organizer").GetString());
        var attendee = Assert.Single(visit.GetProperty("attendees").EnumerateArray());
        Assert.Equal($"mailto:{email}", attendee.GetProperty("value").GetString());
        Assert.Equal("NEEDS-ACTION", attendee.GetProperty("partstat").GetString());
        Assert.Equal("TRUE", attendee.GetProperty("rsvp").GetString());
        Assert.Equal(1, visit.GetProperty("alarms").GetArrayLength());
    }

    [Fact]
    public async Task Reschedule_keeps_the_uid_and_raises_the_sequence_and_cancel_sends_a_cancel()
    {
        var email = MailDev.UniqueAddress("change");
        var booking = await BookAsync(TestClinic.At(2026, 12, 1, 9), email);
        var token = TokenOf(booking);

        var moved = await client.PostAsJsonAsync($"/api/v1/bookings/{token}/reschedule", new { start = TestClinic.At(2026, 12, 3, 14) });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("2026-12-03T14:00:00-05:00", (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("start").GetString());
        var cancelled = await client.PostAsync($"/api/v1/bookings/{token}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(3, (await Dispatcher.DeliverBatchAsync(default)).Sent);

        var messages = await MailDev.WaitForAsync(email, 3);
        var bySubject = messages.ToDictionary(m => m.GetProperty("subject").GetString()!.Split(':')[0]);
        var first = (await IcalJs.ParseAsync(await MailDev.AttachmentAsync(bySubject["Booked"], "invite.ics"))).GetProperty("events")[0];
        var update = await IcalJs.ParseAsync(await MailDev.AttachmentAsync(bySubject["New time"], "invite.ics"));
        var cancel = await IcalJs.ParseAsync(await MailDev.AttachmentAsync(bySubject["Cancelled"], "cancel.ics"));

        var updated = update.GetProperty("events")[0];
        Assert.Equal("REQUEST", update.GetProperty("method").GetString());
        Assert.Equal(first.GetProperty("uid").GetString(), updated.GetProperty("uid").GetString());
        Assert.Equal(1, updated.GetProperty("sequence").GetInt32());
        Assert.Equal("2026-12-03T19:00:00.000Z", updated.GetProperty("dtstart").GetString());

        var gone = cancel.GetProperty("events")[0];
        Assert.Equal("CANCEL", cancel.GetProperty("method").GetString());
        Assert.Equal(first.GetProperty("uid").GetString(), gone.GetProperty("uid").GetString());
        Assert.Equal(2, gone.GetProperty("sequence").GetInt32());
        Assert.Equal("CANCELLED", gone.GetProperty("status").GetString());
        Assert.Matches("text/calendar;[^\r\n]*method=CANCEL", await MailDev.SourceAsync(bySubject["Cancelled"]));

        // The cancelled booking's token can change nothing more, and sends nothing.
        var again = await client.PostAsync($"/api/v1/bookings/{token}/cancel", null);
        var moveAgain = await client.PostAsJsonAsync($"/api/v1/bookings/{token}/reschedule", new { start = TestClinic.At(2026, 12, 4, 9) });
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, moveAgain.StatusCode);
        Assert.Contains("cancelled", await again.Content.ReadAsStringAsync());
        Assert.Equal((1, 3), await CountsAsync());
    }

    [Fact]
    public async Task Fifty_concurrent_bookings_of_one_slot_give_one_201_and_49_409s_with_alternatives()
    {
        var start = TestClinic.At(2026, 12, 2, 10);
        var attempts = Enumerable.Range(0, 50).Select(async i =>
        {
            var response = await client.PostAsJsonAsync("/api/v1/bookings", clinic.Booking(start, MailDev.UniqueAddress($"race{i}")));
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        });
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Created);
        var conflicts = results.Where(r => r.StatusCode == HttpStatusCode.Conflict).ToList();
        Assert.Equal(49, conflicts.Count);
        Assert.All(conflicts, c =>
        {
            Assert.Equal("That time was just taken", c.Body.GetProperty("title").GetString());
            var alternatives = c.Body.GetProperty("alternatives").EnumerateArray().Select(a => a.GetProperty("start").GetString()).ToList();
            Assert.Equal(3, alternatives.Count);
            Assert.DoesNotContain(start, alternatives);
        });
        Assert.Equal((1, 1), await CountsAsync());
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadBookings => new()
    {
        { "past date", """{"start":"2026-11-20T09:00:00-05:00"}""", HttpStatusCode.BadRequest, "start" },
        { "inside minimum notice", """{"start":"2026-11-23T08:00:00-05:00"}""", HttpStatusCode.BadRequest, "start" },
        { "off the grid", """{"start":"2026-12-01T09:07:00-05:00"}""", HttpStatusCode.BadRequest, "start" },
        { "a Sunday", """{"start":"2026-11-29T09:00:00-05:00"}""", HttpStatusCode.BadRequest, "start" },
        { "lunch break", """{"start":"2026-12-01T12:00:00-05:00"}""", HttpStatusCode.BadRequest, "start" },
        { "beyond the horizon", """{"start":"2028-12-01T09:00:00-05:00"}""", HttpStatusCode.BadRequest, "start" },
        { "no offset", """{"start":"2026-12-01T09:00:00"}""", HttpStatusCode.BadRequest, "start" },
        { "not a date", """{"start":"next tuesday"}""", HttpStatusCode.BadRequest, "start" },
        { "unknown service", """{"serviceId":"0196f0a0-0000-7000-8000-000000000000"}""", HttpStatusCode.NotFound, "" },
        { "malformed service id", """{"serviceId":"42"}""", HttpStatusCode.BadRequest, "serviceId" },
        { "malformed email", """{"email":"zoe@@example"}""", HttpStatusCode.BadRequest, "customer.email" },
        { "no email", """{"email":""}""", HttpStatusCode.BadRequest, "customer.email" },
        { "email no calendar invite can address", """{"email":"zoe@[127.0.0.1]"}""", HttpStatusCode.BadRequest, "customer.email" },
        { "CR/LF in name", """{"fullName":"Zoë\r\nBcc: x@example.com"}""", HttpStatusCode.BadRequest, "customer.fullName" },
        { "10 KB name", "{\"fullName\":\"" + new string('x', 10_000) + "\"}", HttpStatusCode.BadRequest, "customer.fullName" },
        { "10 KB email", "{\"email\":\"" + new string('a', 10_000) + "@example.com\"}", HttpStatusCode.BadRequest, "customer.email" },
        { "future birth date", """{"dateOfBirth":"2030-01-01"}""", HttpStatusCode.BadRequest, "customer.dateOfBirth" },
        { "malformed birth date", """{"dateOfBirth":"31/12/1970"}""", HttpStatusCode.BadRequest, "customer.dateOfBirth" },
        { "phone of letters", """{"phone":"call me maybe"}""", HttpStatusCode.BadRequest, "customer.phone" },
    };

    [Theory]
    [MemberData(nameof(BadBookings))]
    public async Task Bad_input_is_a_4xx_naming_the_field_and_changes_nothing(string why, string overrides, HttpStatusCode expected, string field)
    {
        var body = JsonSerializer.SerializeToNode(clinic.Booking(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("bad")))!.AsObject();
        foreach (var (key, value) in JsonNode(overrides))
        {
            if (key is "serviceId" or "start") body[key] = value?.DeepClone();
            else body["customer"]![key] = value?.DeepClone();
        }

        var response = await client.PostAsync("/api/v1/bookings", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.True(expected == response.StatusCode, $"{why}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (field.Length > 0)
        {
            var message = problem.GetProperty("errors").GetProperty(field)[0].GetString();
            Assert.False(string.IsNullOrWhiteSpace(message), why);
        }
        Assert.Equal((0, 0), await CountsAsync());
    }

    private static System.Text.Json.Nodes.JsonObject JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();

    [Theory]
    [InlineData("this is not json")]
    [InlineData("""{"serviceId": 5, "customer": "x"}""")]
    [InlineData("[]")]
    public async Task Malformed_json_is_a_400_problem(string json)
    {
        var response = await client.PostAsync("/api/v1/bookings", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Unknown_tampered_and_malformed_tokens_are_404_and_change_nothing()
    {
        var token = TokenOf(await BookAsync(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("token")));
        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];

        foreach (var bad in new[] { tampered, "short", new string('A', 43), token + "x", "%0d%0aX-Evil:%201" })
        {
            var cancel = await client.PostAsync($"/api/v1/bookings/{bad}/cancel", null);
            var move = await client.PostAsJsonAsync($"/api/v1/bookings/{bad}/reschedule", new { start = TestClinic.At(2026, 12, 2, 9) });
            var page = await client.GetAsync($"/manage/{bad}");
            Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, move.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }
        Assert.Equal((1, 1), await CountsAsync());
    }

    [Fact]
    public async Task Changes_inside_the_cutoff_are_refused_with_the_clinic_phone()
    {
        var token = TokenOf(await BookAsync(TestClinic.At(2026, 11, 23, 14), MailDev.UniqueAddress("cutoff")));

        var move = await client.PostAsJsonAsync($"/api/v1/bookings/{token}/reschedule", new { start = TestClinic.At(2026, 11, 25, 9) });
        var cancel = await client.PostAsync($"/api/v1/bookings/{token}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, move.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal("+1 212 555 0100", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phone").GetString());
        Assert.Equal((1, 1), await CountsAsync());
    }

    [Fact]
    public async Task Rescheduling_into_a_taken_time_is_a_409_with_alternatives_and_keeps_the_visit()
    {
        await BookAsync(TestClinic.At(2026, 12, 1, 10), MailDev.UniqueAddress("other"));
        var token = TokenOf(await BookAsync(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("mover")));

        var move = await client.PostAsJsonAsync($"/api/v1/bookings/{token}/reschedule", new { start = TestClinic.At(2026, 12, 1, 10) });

        Assert.Equal(HttpStatusCode.Conflict, move.StatusCode);
        Assert.Equal(3, (await move.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alternatives").GetArrayLength());
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var visit = await db.Appointments.SingleAsync(a => a.Start == new DateTimeOffset(2026, 12, 1, 14, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, visit.CalendarSequence);
        Assert.Equal(2, await db.OutboundEmails.CountAsync());
    }

    [Fact]
    public async Task A_returning_customer_is_told_when_coverage_starts_only_when_email_birth_date_and_name_match()
    {
        var email = MailDev.UniqueAddress("recall");
        var rita = await clinic.SeedCompletedVisitAsync(app.Services, email, new DateOnly(1970, 3, 4), new DateTimeOffset(2026, 1, 15, 14, 0, 0, TimeSpan.Zero));
        object As(string start, string name = "Returning Customer", string dateOfBirth = "1970-03-04", bool acceptNotCovered = false) =>
            clinic.Booking(start, email.ToUpperInvariant(), name, dateOfBirth, acceptNotCovered);

        var early = await client.PostAsJsonAsync("/api/v1/bookings", As(TestClinic.At(2026, 12, 1, 9)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.Equal("2027-01-15", (await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("coveredFrom").GetString());
        Assert.Equal((1, 0), await CountsAsync());

        // Someone who knows only the email, or the email and birth date but not the name, learns nothing and simply books
        // as a customer of their own.
        var stranger = await client.PostAsJsonAsync("/api/v1/bookings", As(TestClinic.At(2026, 12, 1, 9), dateOfBirth: "1980-01-01"));
        Assert.Equal(HttpStatusCode.Created, stranger.StatusCode);
        var namesake = await client.PostAsJsonAsync("/api/v1/bookings", As(TestClinic.At(2026, 12, 1, 10), name: "Zoë Test"));
        Assert.Equal(HttpStatusCode.Created, namesake.StatusCode);

        // The customer can choose a covered date, or book earlier knowingly; "R. Customer" is her too.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/bookings", As(TestClinic.At(2027, 1, 15, 9)))).StatusCode);
        var knowingly = await client.PostAsJsonAsync("/api/v1/bookings", As(TestClinic.At(2026, 12, 2, 9), name: "R. Customer", acceptNotCovered: true));
        Assert.Equal(HttpStatusCode.Created, knowingly.StatusCode);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customers = await db.Customers.Where(c => c.NormalizedEmail == email.ToLowerInvariant()).ToListAsync();
        Assert.Equal(3, customers.Count);
        Assert.Equal(3, await db.Appointments.CountAsync(a => a.CustomerId == rita));
    }

    [Fact]
    public async Task Public_writes_are_rate_limited_with_429()
    {
        await using var limited = new AppFactory(app.ConnectionString).With("RateLimits:PublicWritePerMinute", "3");
        var limitedClient = limited.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await limitedClient.PostAsync("/api/v1/bookings/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/cancel", null)).StatusCode);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Availability_rejects_bad_queries_with_messages()
    {
        var baseQuery = $"serviceId={clinic.ServiceId}&locationId={clinic.LocationId}";
        foreach (var (query, status) in new[]
        {
            ($"{baseQuery}&from=2026-13-01", HttpStatusCode.BadRequest),
            ($"{baseQuery}&from=2026-12-01&days=0", HttpStatusCode.BadRequest),
            ($"{baseQuery}&from=2026-12-01&days=1000", HttpStatusCode.BadRequest),
            ($"serviceId=x&locationId={clinic.LocationId}&from=2026-12-01", HttpStatusCode.BadRequest),
            ($"serviceId={Guid.NewGuid()}&locationId={clinic.LocationId}&from=2026-12-01", HttpStatusCode.NotFound),
        })
        {
            var response = await client.GetAsync($"/api/v1/availability?{query}");
            Assert.True(status == response.StatusCode, query);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_booking_endpoints()
    {
        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/v1/bookings/{token}/reschedule", document);
        Assert.Contains("/api/v1/availability", document);
    }
}
