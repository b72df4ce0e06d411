using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Api;

/// <summary>The public JSON API, <c>/api/v1</c>: the contract in DESIGN.md. Errors are problem+json naming each bad field.</summary>
public static class BookingApi
{
    public const int MaxDays = 62;

    /// <summary>The API's JSON is read and written by <see cref="ApiJson"/>'s generated code (no reflection at run time);
    /// types it does not name (problem details) fall through to the default resolver.</summary>
    public static void AddBookingApi(this WebApplicationBuilder builder) =>
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default));

    public static void MapBookingApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Booking");

        api.MapGet("/services", async (AppDbContext db, CancellationToken ct) =>
            await db.Services.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Name)
                .Select(s => new ServiceDto(s.Id, s.Slug, s.Name, s.Description, s.DurationMinutes, s.CoverageIntervalDays, s.PreparationNotes))
                .ToListAsync(ct));

        api.MapGet("/locations", async (AppDbContext db, CancellationToken ct) =>
            await db.Locations.AsNoTracking().Where(l => l.IsActive).OrderBy(l => l.Name)
                .Select(l => new LocationDto(l.Id, l.Slug, l.Name, l.AddressLine, l.City, l.Region, l.PostalCode, l.TimeZoneId, l.Phone, l.DirectionsUrl))
                .ToListAsync(ct));

        api.MapGet("/availability", GetAvailability).RequireRateLimiting(WebSecurity.PublicReadPolicy);
        api.MapPost("/bookings", Book).RequireRateLimiting(WebSecurity.PublicWritePolicy);
        api.MapPost("/bookings/{token}/reschedule", Reschedule).RequireRateLimiting(WebSecurity.PublicWritePolicy);
        api.MapPost("/bookings/{token}/cancel", Cancel).RequireRateLimiting(WebSecurity.PublicWritePolicy);
    }

    public sealed record ServiceDto(Guid Id, string Slug, string Name, string? Description, int DurationMinutes, int? CoverageIntervalDays, string? PreparationNotes);
    public sealed record LocationDto(Guid Id, string Slug, string Name, string AddressLine, string City, string Region, string PostalCode, string TimeZone, string Phone, string? DirectionsUrl);
    public sealed record SlotDto(DateTimeOffset Start, DateTimeOffset End);
    public sealed record AvailabilityDto(IReadOnlyList<SlotDto> Slots);
    public sealed record CustomerInput(string? FullName, string? PreferredName, string? Email, string? Phone, string? DateOfBirth);
    public sealed record BookingInput(string? ServiceId, string? LocationId, string? Start, CustomerInput? Customer, bool AcceptNotCovered = false);
    public sealed record RescheduleInput(string? Start);
    public sealed record BookingDto(Guid Id, DateTimeOffset Start, DateTimeOffset End, string ManageUrl, string Status);

    private static async Task<IResult> GetAvailability(string? serviceId, string? locationId, string? from, string? days,
        AvailabilityService availability, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var service = ParseId(serviceId, "serviceId", errors);
        var location = ParseId(locationId, "locationId", errors);
        DateOnly? start = null;
        if (string.IsNullOrEmpty(from))
            errors["from"] = ["from is required, as YYYY-MM-DD."];
        else if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            errors["from"] = ["from must be a date in the form YYYY-MM-DD."];
        else
            start = parsed;
        var count = 14;
        if (days is not null && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxDays))
            errors["days"] = [$"days must be a whole number from 1 to {MaxDays}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        return await availability.OfferAsync(service!.Value, location!.Value, start!.Value, count, ct) is { } offer
            ? new SlotsJson(offer)
            : NotFound("No such service at that location", "Check serviceId and locationId with /api/v1/services and /api/v1/locations.");
    }

    /// <summary>
    /// <c>{"slots":[…]}</c>, as <see cref="AvailabilityDto"/> serializes, written from each day's rendered JSON (kept with
    /// the day's slots in the <see cref="SlotCache"/>): a response costs a copy of bytes, not a serialization.
    /// </summary>
    private sealed class SlotsJson(AvailabilityService.Offer offer) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            var body = http.Response.BodyWriter;
            body.Write("{\"slots\":["u8);
            var first = true;
            foreach (var day in offer.Days)
            {
                var json = day.JsonFrom(day.FirstFrom(offer.Earliest));
                if (json.IsEmpty) continue;
                if (!first) body.Write(","u8);
                body.Write(json.Span);
                first = false;
            }
            body.Write("]}"u8);
            await body.FlushAsync(http.RequestAborted);
        }
    }

    private static async Task<IResult> Book(BookingInput? input, BookingService booking, AppointmentEmails links, TimeProvider clock, CancellationToken ct)
    {
        if (input is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send a JSON body."] });
        var errors = new Dictionary<string, string[]>();
        var service = ParseId(input.ServiceId, "serviceId", errors);
        var location = ParseId(input.LocationId, "locationId", errors);
        var start = ParseStart(input.Start, errors);
        DateOnly? dob = null;
        if (input.Customer is null)
            errors["customer"] = ["customer is required: fullName, email, phone and dateOfBirth."];
        else if (!string.IsNullOrEmpty(input.Customer.DateOfBirth))
        {
            if (DateOnly.TryParseExact(input.Customer.DateOfBirth, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) dob = d;
            else errors["customer.dateOfBirth"] = ["dateOfBirth must be a date in the form YYYY-MM-DD."];
        }
        if (input.Customer is not null)
        {
            var details = new CustomerDetails(input.Customer.FullName, input.Customer.PreferredName, input.Customer.Email, input.Customer.Phone, dob);
            foreach (var (field, message) in details.Validate(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
                errors.TryAdd("customer." + field, [message]);
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var c = input.Customer!;
        var outcome = await booking.BookAsync(new BookingRequest(service!.Value, location!.Value, start!.Value,
            new CustomerDetails(c.FullName, c.PreferredName, c.Email, c.Phone, dob), input.AcceptNotCovered), ct);
        return outcome is BookingOutcome.Done done
            ? TypedResults.Created(links.ManageUrl(done.ManageToken), ToDto(done, links))
            : Problem(outcome, "customer.");
    }

    private static async Task<IResult> Reschedule(string token, RescheduleInput? input, BookingService booking, AppointmentEmails links, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var start = ParseStart(input?.Start, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var outcome = await booking.RescheduleAsync(token, start!.Value, ct);
        return outcome is BookingOutcome.Done done ? TypedResults.Ok(ToDto(done, links)) : Problem(outcome);
    }

    private static async Task<IResult> Cancel(string token, BookingService booking, AppointmentEmails links, CancellationToken ct)
    {
        var outcome = await booking.CancelAsync(token, ct);
        return outcome is BookingOutcome.Done done ? TypedResults.Ok(ToDto(done, links)) : Problem(outcome);
    }

    private static BookingDto ToDto(BookingOutcome.Done done, AppointmentEmails links) =>
        new(done.Visit.Id, AppointmentEmails.ToLocal(done.Visit.Start, done.Location), AppointmentEmails.ToLocal(done.Visit.End, done.Location),
            links.ManageUrl(done.ManageToken), done.Visit.Status.ToString());

    /// <summary>Everything that is not a success, as problem+json.</summary>
    public static IResult Problem(BookingOutcome outcome, string customerFieldPrefix = "") => outcome switch
    {
        BookingOutcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors.ToDictionary(
            e => e.Key is "fullName" or "preferredName" or "email" or "phone" or "dateOfBirth" ? customerFieldPrefix + e.Key : e.Key,
            e => new[] { e.Value })),
        BookingOutcome.Taken taken => TypedResults.Problem(
            title: "That time was just taken",
            detail: taken.Alternatives.Count > 0 ? "Someone else booked it first. These are the nearest free times." : "Someone else booked it first, and there is no free time nearby.",
            statusCode: StatusCodes.Status409Conflict,
            type: "https://customer-experience.example/problems/slot-taken",
            extensions: new Dictionary<string, object?>
            {
                ["alternatives"] = taken.Alternatives.Select(s => new SlotDto(s.Start, s.End)).ToList(),
            }),
        BookingOutcome.NotCovered notCovered => TypedResults.Problem(
            title: "Not yet covered by insurance",
            detail: $"Your insurance may cover this visit only from {notCovered.CoveredFrom:yyyy-MM-dd}. Choose a date from then, or send acceptNotCovered: true.",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            type: "https://customer-experience.example/problems/not-covered",
            extensions: new Dictionary<string, object?> { ["coveredFrom"] = notCovered.CoveredFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }),
        BookingOutcome.NotFound notFound => NotFound($"Unknown {notFound.What}",
            notFound.What == "booking" ? "This link is not valid. Check the link in your confirmation email." : $"No active {notFound.What} has that id."),
        // A cancelled visit is gone; one that is checked in or over is a conflict, answered with how it stands now.
        BookingOutcome.Closed closed => TypedResults.Problem(title: "This booking can no longer be changed", detail: closed.Reason,
            statusCode: closed.Current is null or { Status: AppointmentStatus.Cancelled } ? StatusCodes.Status410Gone : StatusCodes.Status409Conflict,
            type: "https://customer-experience.example/problems/booking-closed",
            extensions: CurrentState(closed.Current)),
        BookingOutcome.Changed changed => TypedResults.Problem(title: "This booking was changed meanwhile", detail: changed.Message,
            statusCode: StatusCodes.Status409Conflict,
            type: "https://customer-experience.example/problems/booking-changed",
            extensions: CurrentState(changed.Current)),
        BookingOutcome.InsideCutoff cutoff => TypedResults.Problem(title: "Too close to the visit to change it online",
            detail: $"Visits can be changed online up to {cutoff.Cutoff.TotalHours:0} hours before. Please call {cutoff.Phone}.",
            statusCode: StatusCodes.Status409Conflict,
            type: "https://customer-experience.example/problems/inside-cutoff",
            extensions: new Dictionary<string, object?> { ["phone"] = cutoff.Phone }),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest),
    };

    public sealed record VisitStateDto(DateTimeOffset Start, string Status);

    /// <summary>How the visit stands now, as <c>"visit": {"start", "status"}</c> (a top-level status is the HTTP one).</summary>
    private static Dictionary<string, object?> CurrentState(Appointment? visit) => visit is null ? [] : new()
    {
        ["visit"] = new VisitStateDto(AppointmentEmails.ToLocal(visit.Start, visit.Location!), visit.Status.ToString()),
    };

    private static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status404NotFound);

    private static Guid? ParseId(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value)) { errors[field] = [$"{field} is required."]; return null; }
        if (Guid.TryParse(value, out var id)) return id;
        errors[field] = [$"{field} must be an id from the API (a GUID)."];
        return null;
    }

    private static DateTimeOffset? ParseStart(string? value, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value)) { errors["start"] = ["start is required: a slot's start from /api/v1/availability."]; return null; }
        if (value.Length <= 40
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && (value.EndsWith('Z') || value.Contains('+') || value.LastIndexOf('-') > 9))
            return start;
        errors["start"] = ["start must be a date and time with its UTC offset, e.g. 2026-12-01T09:00:00-05:00."];
        return null;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<BookingApi.ServiceDto>))]
[JsonSerializable(typeof(List<BookingApi.LocationDto>))]
[JsonSerializable(typeof(List<BookingApi.SlotDto>))]
[JsonSerializable(typeof(BookingApi.AvailabilityDto))]
[JsonSerializable(typeof(BookingApi.BookingInput))]
[JsonSerializable(typeof(BookingApi.RescheduleInput))]
[JsonSerializable(typeof(BookingApi.BookingDto))]
[JsonSerializable(typeof(BookingApi.VisitStateDto))]
internal sealed partial class ApiJson : JsonSerializerContext;
