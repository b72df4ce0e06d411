using System.Globalization;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Surveys;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Survey;

/// <summary>
/// The email survey: one plain form (no script needed) for the visit its link names, answered once. Expired links
/// (30 days after the visit) get a 410 page with the clinic's phone; links that do not open get the 404 page.
/// </summary>
// Antiforgery is checked by hand so that a stale form comes back with the customer's answers still in it.
[IgnoreAntiforgeryToken]
[EnableRateLimiting(WebSecurity.PublicWritePolicy)]
public class IndexModel(
    SurveyLinks links, SurveyResponses responses, AppDbContext db, IAntiforgery antiforgery,
    IDataProtectionProvider protection, TimeProvider clock) : PageModel
{
    public enum View { Form, Thanks, AlreadyAnswered, Expired }

    /// <summary>Longer than this between showing the form and sending it is a tab left open, not time spent answering.</summary>
    public static readonly TimeSpan LongestAnswering = TimeSpan.FromHours(1);

    private readonly IDataProtector startedTokens = protection.CreateProtector("CustomerExperience.Survey.Form.v1");

    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    /// <summary>Question key → the score as sent; kept as text so a bad value can be named and the rest shown again.</summary>
    [BindProperty] public Dictionary<string, string> Answers { get; set; } = [];
    [BindProperty] public string? Comment { get; set; }
    [BindProperty] public string? Contact { get; set; }
    /// <summary>When the form was shown, for which visit and survey version: protected, so it cannot be forged.</summary>
    [BindProperty] public string? Started { get; set; }

    public View Shown { get; private set; }
    public VisitSummary Visit { get; private set; } = null!;
    public SurveyDefinition Definition { get; private set; } = null!;
    /// <summary>Field (question key, "comment", "contact", "started", "form") → what is wrong with it.</summary>
    public Dictionary<string, string> Errors { get; } = [];
    public bool FollowUp { get; private set; }

    public sealed record VisitSummary(
        Guid Id, Guid LocationId, string LocationName, string Phone, string ServiceName, string Day, DateTimeOffset CompletedAt,
        string? CheckedInBy, string? PerformedBy);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await OpenAsync(ct) is { } closed) return closed;
        Definition = await responses.CurrentDefinitionAsync(ct);
        Started = StartedToken(Definition.Version);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenAsync(ct) is { } closed) return closed;

        var now = clock.GetUtcNow();
        var started = ReadStarted(Started);
        Definition = (started is { } s ? await responses.DefinitionAsync(s.Version, ct) : null) ?? await responses.CurrentDefinitionAsync(ct);
        if (started is null || Definition.Version != started.Value.Version)
            Errors["started"] = "This form is incomplete or out of date. Please check your answers and send them again.";
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
            Errors["form"] = "Your answers could not be sent safely (the page may have been open a long time). Please send them again.";

        var scores = new Dictionary<string, int>();
        foreach (var (key, value) in Answers)
        {
            if (string.IsNullOrEmpty(value)) continue;
            var question = Definition.Questions.FirstOrDefault(q => q.Key == key);
            if (question is null)
                Errors[key] = $"\"{key}\" is not a question of this survey.";
            else if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var score))
                Errors[key] = $"Choose one of the answers for \"{question.Text}\".";
            else
                scores[key] = score;
        }
        if (Contact is not (null or "" or "true"))
            Errors["contact"] = "Tick \"Please contact me about this\", or leave it empty.";
        // Browsers send a textarea's line breaks as CR LF but count them as one character against maxlength.
        var comment = Comment?.ReplaceLineEndings("\n");

        if (Errors.Count > 0) return Again();

        var startedAt = now - started!.Value.ShownAt <= LongestAnswering ? started.Value.ShownAt : (DateTimeOffset?)null;
        var outcome = await responses.SubmitAsync(new SurveySubmission(
            Guid.NewGuid(), SurveyChannel.Email, Visit.LocationId, Definition.Version, scores, comment, Contact == "true",
            AppointmentId: Visit.Id, StartedAt: startedAt), ct);
        switch (outcome)
        {
            case SubmitOutcome.Stored stored:
                Shown = View.Thanks;
                FollowUp = stored.Case is not null;
                return Page();
            case SubmitOutcome.Invalid invalid:
                Errors[invalid.Field] = invalid.Message;
                return Again();
            default:
                Shown = View.AlreadyAnswered;
                return Page();
        }
    }

    public string? Chosen(string key) => Answers.GetValueOrDefault(key);

    /// <summary>The form again, with what the customer chose, a fresh started token, and the problems named: a 400.</summary>
    private PageResult Again()
    {
        Started = StartedToken(Definition.Version, ReadStarted(Started)?.ShownAt);
        Shown = View.Form;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>Null when the link leads to the form; otherwise the page that answers instead.</summary>
    private async Task<IActionResult?> OpenAsync(CancellationToken ct)
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        if (links.Visit(Token) is not { } visitId) return NotFound();
        var visit = await db.Appointments.AsNoTracking().Where(a => a.Id == visitId && a.CompletedAt != null)
            .Select(a => new
            {
                a.Id, a.LocationId, a.Start, CompletedAt = a.CompletedAt!.Value, a.Location!.Name, a.Location.Phone, a.Location.TimeZoneId,
                Service = a.Service!.Name, a.CheckedInById, a.PerformedById,
            })
            .SingleOrDefaultAsync(ct);
        if (visit is null) return NotFound();

        var staff = await db.Users.AsNoTracking().Where(u => u.Id == visit.CheckedInById || u.Id == visit.PerformedById)
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        string? Name(string? id) => id is not null && staff.GetValueOrDefault(id) is { Length: > 0 } name ? name : null;
        var day = Location.DateIn(TimeZoneInfo.FindSystemTimeZoneById(visit.TimeZoneId), visit.Start)
            .ToString("dddd, MMMM d", AppointmentEmails.Culture);
        Visit = new VisitSummary(visit.Id, visit.LocationId, visit.Name, visit.Phone, visit.Service, day, visit.CompletedAt,
            Name(visit.CheckedInById), Name(visit.PerformedById));

        // Answered before expired: someone who answered is thanked, whenever they come back.
        if (await db.SurveyResponses.AnyAsync(r => r.AppointmentId == visitId, ct))
        {
            Shown = View.AlreadyAnswered;
            return Page();
        }
        if (clock.GetUtcNow() > visit.CompletedAt + SurveyLinks.Lifetime)
        {
            Shown = View.Expired;
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        return null;
    }

    private string StartedToken(int version, DateTimeOffset? shownAt = null) => startedTokens.Protect(string.Join('|',
        Visit.Id.ToString("N"), version.ToString(CultureInfo.InvariantCulture),
        (shownAt ?? clock.GetUtcNow()).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));

    private (int Version, DateTimeOffset ShownAt)? ReadStarted(string? token)
    {
        var parts = startedTokens.TryUnprotect(token)?.Split('|');
        if (parts is not { Length: 3 } || parts[0] != Visit.Id.ToString("N")
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            return null;
        var shownAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return shownAt <= clock.GetUtcNow() ? (version, shownAt) : null;
    }
}
