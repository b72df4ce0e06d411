using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Surveys;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Kiosks;

/// <summary>
/// The kiosk page's JSON endpoints. Only an enrolled kiosk of that location may call them: its cookie
/// (<see cref="KioskDevices.CookieName"/>, SameSite=Strict) plus the antiforgery token the page carries, sent in the
/// RequestVerificationToken header, so another site can neither post with the cookie nor forge the token.
/// </summary>
public static class KioskEndpoints
{
    public const string RateLimitPolicy = "kiosk";
    /// <summary>The type of the 403 that asks the page to reload for a fresh antiforgery token.</summary>
    public const string ReloadProblemType = "urn:cx:kiosk:reload";
    /// <summary>The type of the 409 for a location taken out of use: nothing is stored; the page reloads to say so.</summary>
    public const string ClosedProblemType = "urn:cx:kiosk:closed";
    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxSeconds = 24 * 60 * 60;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <param name="Seconds">Time the customer spent answering; the kiosk may send hours later, after a network outage.</param>
    private sealed record ResponseBody(
        Guid? Id, int? Version, Dictionary<string, int>? Answers, string? Comment, bool? ContactRequested,
        string? VisitCode, int? Seconds, bool? Partial);

    private sealed record VisitCodeBody(string? Code);

    public static void MapKiosk(this WebApplication app)
    {
        var kiosk = app.MapGroup("/kiosk/{locationSlug}").RequireRateLimiting(RateLimitPolicy);
        kiosk.MapPost("/responses", SubmitAsync);
        kiosk.MapPost("/visit-code", CheckVisitCodeAsync);
    }

    private static async Task<IResult> SubmitAsync(
        string locationSlug, HttpContext http, KioskDevices devices, SurveyResponses surveys, IAntiforgery antiforgery,
        AppDbContext db, CancellationToken ct)
    {
        var (kiosk, refusal) = await AuthenticateAsync(http, locationSlug, devices, antiforgery, ct);
        if (refusal is not null) return refusal;
        var (body, bad) = await ReadAsync<ResponseBody>(http, ct);
        if (bad is not null) return bad;

        if (body!.Id is not { } id || id == Guid.Empty)
            return Invalid("id", "id is required: the UUID the kiosk made for this response.");
        if (body.Version is not { } version)
            return Invalid("version", "version is required: the survey version the questions came from.");
        if (body.Seconds is < 0 or > MaxSeconds)
            return Invalid("seconds", $"seconds must be from 0 to {MaxSeconds}.");
        var code = string.IsNullOrWhiteSpace(body.VisitCode) ? null : body.VisitCode.Trim();
        if (code is not null && !KioskDevices.IsVisitCode(code))
            return Invalid("visitCode", "A visit code has 6 digits.");
        var answers = body.Answers ?? [];
        if (answers.Count == 0 && string.IsNullOrWhiteSpace(body.Comment) && body.ContactRequested != true)
            return Invalid("answers", "Answer at least one question or leave a comment.");

        // Most retries are of a response stored already (its reply was lost); SubmitAsync would also tell, by failing an insert.
        if (await db.SurveyResponses.AnyAsync(r => r.Id == id, ct))
            return TypedResults.Ok(new { status = "already-stored", visitLinked = (bool?)null });

        // A code that finds no visit (mistyped, or answered by email meanwhile) still stores the answers, anonymously:
        // the page checked the code while the customer was there, so this is a send that waited for the network.
        var visitId = code is null ? null : await devices.FindVisitAsync(kiosk!.LocationId, code, ct);
        var submission = new SurveySubmission(
            id, SurveyChannel.Kiosk, kiosk!.LocationId, version, answers, body.Comment, body.ContactRequested ?? false,
            visitId, kiosk.Id, IsPartial: body.Partial ?? false, Duration: body.Seconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
        var outcome = await surveys.SubmitAsync(submission, ct);
        if (outcome is SubmitOutcome.AlreadyAnswered)
            outcome = await surveys.SubmitAsync(submission with { AppointmentId = null }, ct);

        return outcome switch
        {
            SubmitOutcome.Stored stored => TypedResults.Ok(new { status = "stored", visitLinked = stored.Response.AppointmentId is not null }),
            SubmitOutcome.AlreadyStored => TypedResults.Ok(new { status = "already-stored", visitLinked = (bool?)null }),
            SubmitOutcome.Invalid invalid => Invalid(AnswerField(answers, invalid.Field), invalid.Message),
            _ => TypedResults.Problem(title: "Not stored", detail: "The response could not be stored.", statusCode: StatusCodes.Status409Conflict),
        };
    }

    private static async Task<IResult> CheckVisitCodeAsync(
        string locationSlug, HttpContext http, KioskDevices devices, IAntiforgery antiforgery, CancellationToken ct)
    {
        var (kiosk, refusal) = await AuthenticateAsync(http, locationSlug, devices, antiforgery, ct);
        if (refusal is not null) return refusal;
        var (body, bad) = await ReadAsync<VisitCodeBody>(http, ct);
        if (bad is not null) return bad;
        var code = body!.Code?.Trim();
        if (!KioskDevices.IsVisitCode(code))
            return Invalid("code", "A visit code has 6 digits.");
        return TypedResults.Ok(new { found = await devices.FindVisitAsync(kiosk!.LocationId, code!, ct) is not null });
    }

    private static async Task<(Kiosk? Kiosk, IResult? Refusal)> AuthenticateAsync(
        HttpContext http, string slug, KioskDevices devices, IAntiforgery antiforgery, CancellationToken ct)
    {
        var kiosk = await devices.FromCookieAsync(http.Request, ct);
        if (kiosk is null)
            return (null, TypedResults.Problem(title: "This screen is not set up as a kiosk",
                detail: "A manager enrols it on /staff/kiosks.", statusCode: StatusCodes.Status401Unauthorized));
        if (!string.Equals(kiosk.Location!.Slug, slug, StringComparison.Ordinal))
            return (null, TypedResults.Problem(title: "This kiosk belongs to another location",
                detail: $"It is enrolled for {kiosk.Location.Name}.", statusCode: StatusCodes.Status403Forbidden));
        if (!await antiforgery.IsRequestValidAsync(http))
            return (null, TypedResults.Problem(title: "Reload the page", type: ReloadProblemType,
                detail: "The antiforgery token (RequestVerificationToken header) is missing or no longer valid.",
                statusCode: StatusCodes.Status403Forbidden));
        if (!kiosk.Location.IsActive)
            return (null, TypedResults.Problem(title: "This location is not taking visitors at the moment", type: ClosedProblemType,
                detail: $"{kiosk.Location.Name} is inactive (staff locations page); nothing was stored.", statusCode: StatusCodes.Status409Conflict));
        await devices.SeenAsync(kiosk, ct);
        return (kiosk, null);
    }

    private static async Task<(T? Body, IResult? Bad)> ReadAsync<T>(HttpContext http, CancellationToken ct) where T : class
    {
        if (!http.Request.HasJsonContentType())
            return (null, Invalid("body", "Send a JSON body (Content-Type: application/json)."));
        if (http.Request.ContentLength > MaxBodyBytes)
            return (null, Invalid("body", $"The body is larger than {MaxBodyBytes / 1024} KB."));
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return (null, Invalid("body", $"The body is larger than {MaxBodyBytes / 1024} KB."));
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.ToArray();
        try
        {
            using var _ = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return (null, Invalid("body", "The body is not valid JSON."));
        }
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Json) is { } body
                ? (body, null) : (null, Invalid("body", "Send a JSON object."));
        }
        catch (JsonException e)
        {
            // The serializer names where it stopped: "$.answers.booking" for a score that is not a whole number.
            // Only up to a dictionary key ("$.answers['…']"): the key is the sender's text, not worth echoing back.
            var field = e.Path is { Length: > 2 } path ? path[2..].Split('[')[0] : "body";
            if (field.Length == 0) field = "body";
            return (null, Invalid(field, e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"{field} is not a field of this request." : $"{field} has a value of the wrong kind."));
        }
    }

    /// <summary>"answers.booking" for a question's key; plain "answers" for a key that is not a name (it is not echoed).</summary>
    private static string AnswerField(Dictionary<string, int> answers, string field) =>
        !answers.ContainsKey(field) ? field
        : field.Length <= 40 && field.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? "answers." + field
        : "answers";

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
