using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Recovery;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Cases;

/// <summary>
/// One case: who and which visit, the scores and comment, the clinical flag, owner and due time, the HEARD checklist,
/// notes, first contact and resolution. Every form carries the case's version; a change to a case that changed since
/// the page was shown is refused with 409 and the page as it is now.
/// </summary>
[Authorize(Policy = StaffPolicies.Manager)]
public class CaseModel(AppDbContext db, CaseActions actions, TimeProvider clock) : PageModel
{
    public sealed record Score(string Question, string Answer, bool Low);
    public sealed record ResponseView(SurveyChannel Channel, DateTimeOffset SubmittedAt, bool IsPartial, bool ContactRequested, int? DurationSeconds, IReadOnlyList<Score> Scores);

    [BindProperty(SupportsGet = true)] public int Number { get; set; }
    [BindProperty] public uint? Version { get; set; }
    [BindProperty] public string? ContactNote { get; set; }
    [BindProperty] public List<string> Heard { get; set; } = [];
    [BindProperty] public string? OwnerId { get; set; }
    [BindProperty] public string? NoteText { get; set; }
    [BindProperty] public string? RootCause { get; set; }
    [BindProperty] public string? Outcome { get; set; }
    [TempData] public string? Done { get; set; }

    public RecoveryCase Case { get; private set; } = null!;
    public Location Location => Case.Location!;
    public ResponseView? Survey { get; private set; }
    public IReadOnlyList<CaseNote> Notes { get; private set; } = [];
    public IReadOnlyList<CaseRecipient> Managers { get; private set; } = [];
    public string? OwnerName { get; private set; }
    public string? OpenedByName { get; private set; }
    public string? ResolvedByName { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public string? Problem { get; private set; }
    /// <summary>The form whose field was wrong, and its message.</summary>
    public (string Field, string Message)? Invalid { get; private set; }

    public string? ErrorFor(string field) => Invalid is { } invalid && invalid.Field == field ? invalid.Message : null;

    public bool IsOverdue => Case.Status == CaseStatus.Open && Case.FirstContactAt is null && Case.DueAt <= Now;

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is null) context.Result = BadRequest();
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostContactAsync(CancellationToken ct) =>
        ApplyAsync(version => actions.RecordContactAsync(Number, version, ContactNote, ct), ct);

    public Task<IActionResult> OnPostChecklistAsync(CancellationToken ct)
    {
        var steps = HeardSteps.None;
        foreach (var name in Heard)
        {
            if (!Enum.TryParse<HeardSteps>(name, ignoreCase: false, out var step) || step == HeardSteps.None || !Enum.GetValues<HeardSteps>().Contains(step))
                return ShowAsync(new CaseOutcome.Invalid("heard", $"\"{name}\" is not a HEARD step."), ct);
            steps |= step;
        }
        return ApplyAsync(version => actions.SaveChecklistAsync(Number, version, steps, ct), ct);
    }

    public Task<IActionResult> OnPostReassignAsync(CancellationToken ct) =>
        ApplyAsync(version => actions.ReassignAsync(Number, version, OwnerId, ct), ct);

    public async Task<IActionResult> OnPostNoteAsync(CancellationToken ct) =>
        await ShowAsync(await actions.AddNoteAsync(Number, NoteText, ct), ct);

    public Task<IActionResult> OnPostResolveAsync(CancellationToken ct) =>
        ApplyAsync(version => actions.ResolveAsync(Number, version, RootCause, Outcome, ct), ct);

    private async Task<IActionResult> ApplyAsync(Func<uint, Task<CaseOutcome>> change, CancellationToken ct) =>
        await ShowAsync(Version is { } version ? await change(version)
            : new CaseOutcome.Invalid("version", "This form is out of date. Reload the page and make the change again."), ct);

    private async Task<IActionResult> ShowAsync(CaseOutcome outcome, CancellationToken ct)
    {
        switch (outcome)
        {
            case CaseOutcome.Done done:
                Done = done.Message;
                return Redirect($"/staff/cases/{Number}");
            case CaseOutcome.NotFound:
                return NotFound();
        }
        if (!await LoadAsync(ct)) return NotFound();
        switch (outcome)
        {
            case CaseOutcome.Invalid invalid:
                Invalid = (invalid.Field, invalid.Message);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case CaseOutcome.Refused refused:
                Problem = refused.Message;
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            default:
                Problem = CaseOutcome.Changed.Message;
                Response.StatusCode = StatusCodes.Status409Conflict;
                // The forms show what is saved now, not what this attempt sent.
                (ContactNote, OwnerId, RootCause, Outcome) = (null, null, null, null);
                break;
        }
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var recoveryCase = await db.RecoveryCases.AsNoTracking()
            .Include(c => c.Location).Include(c => c.Customer).Include(c => c.Appointment).ThenInclude(a => a!.Service)
            .FirstOrDefaultAsync(c => c.Number == Number, ct);
        if (recoveryCase is null) return false;
        Case = recoveryCase;
        Now = clock.GetUtcNow();
        Notes = await db.CaseNotes.AsNoTracking().Where(n => n.CaseId == recoveryCase.Id).OrderBy(n => n.At).ToListAsync(ct);
        Managers = await actions.ManagersAsync(ct);
        var names = await db.Users.AsNoTracking()
            .Where(u => u.Id == recoveryCase.OwnerId || u.Id == recoveryCase.OpenedById || u.Id == recoveryCase.ResolvedById)
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        OwnerName = recoveryCase.OwnerId is { } owner ? names.GetValueOrDefault(owner) : null;
        OpenedByName = recoveryCase.OpenedById is { } opener ? names.GetValueOrDefault(opener) : null;
        ResolvedByName = recoveryCase.ResolvedById is { } resolver ? names.GetValueOrDefault(resolver) : null;

        if (recoveryCase.ResponseId is { } responseId
            && await db.SurveyResponses.AsNoTracking().Include(r => r.Answers).FirstOrDefaultAsync(r => r.Id == responseId, ct) is { } response)
        {
            var questions = await db.SurveyDefinitions.AsNoTracking().Where(d => d.Version == response.DefinitionVersion)
                .SelectMany(d => d.Questions).OrderBy(q => q.Position).ToListAsync(ct);
            var scores = questions.ConvertAll(q => response.Answers.FirstOrDefault(a => a.QuestionKey == q.Key) is { } answer
                ? new Score(q.Text, q.Scale == SurveyScale.Recommend10 ? $"{answer.Score} of 10" : SurveyDefaults.Label(q, answer.Score),
                    q.Scale == SurveyScale.Recommend10 ? answer.Score <= 6 : answer.Score <= 2)
                : new Score(q.Text, "skipped", false));
            Survey = new ResponseView(response.Channel, response.SubmittedAt, response.IsPartial, response.ContactRequested, response.DurationSeconds, scores);
        }
        return true;
    }

    public string When(DateTimeOffset instant) => StaffTime.Short(instant, Location.TimeZone);
}
