using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Admin;

/// <summary>
/// The words of each customer email and of the survey questions: admins edit, preview (a real sample message, or the
/// survey screen) and reset them; managers read them. One kind at a time (<c>?kind=</c>), the survey questions as
/// <c>?kind=survey-questions</c>.
/// </summary>
[Authorize(Policy = StaffPolicies.Manager)]
public class TextsModel(TextsEditor editor, TextsPreview preview, TextsPreviewDrafts previews, SurveyResponses surveys, Data.AppDbContext db) : PageModel
{
    public const string QuestionsKey = "survey-questions";

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty] public string Subject { get; set; } = "";
    [BindProperty] public string Body { get; set; } = "";
    [BindProperty] public string Version { get; set; } = "";
    [BindProperty] public int BasedOn { get; set; }
    [BindProperty] public Dictionary<string, string> Questions { get; set; } = [];

    public List<TextsEditor.KindText> Kinds { get; private set; } = [];
    public MessageKind? Selected { get; private set; }
    public TextsEditor.KindText? Current { get; private set; }
    public SurveyDefinition Survey { get; private set; } = null!;
    public string? SurveyChangedBy { get; private set; }
    public string? ChangedBy { get; private set; }

    /// <summary>The checked draft being previewed: its subject and text part here, its HTML part in the preview frame.</summary>
    public EmailMessage? PreviewEmail { get; private set; }
    public SurveyDefinition? PreviewSurvey { get; private set; }
    public Dictionary<string, string> Errors { get; private set; } = [];
    public bool ChangedMeanwhile { get; private set; }
    [TempData] public string? Done { get; set; }

    public bool CanEdit => User.IsInRole(StaffRoles.Admin);
    public bool EditingQuestions => Kind == QuestionsKey;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (Current is { } current)
            (Subject, Body, Version) = (current.Template.Subject, current.Template.Body, current.Version);
        if (EditingQuestions)
        {
            BasedOn = Survey.Version;
            Questions = Survey.Questions.ToDictionary(q => q.Key, q => q.Text);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        if (!await LoadAsync(ct) || Selected is null) return NotFound();
        Errors = TextsEditor.Problems(Selected, Subject, Body);
        if (Errors.Count > 0) return Refused();
        var draft = new MessageTemplate(Subject.Trim(), Body.ReplaceLineEndings("\n").Trim());
        PreviewEmail = await preview.EmailAsync(Selected, draft, ct);
        previews.Keep(HttpContext, Selected, draft);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        if (!await LoadAsync(ct) || Selected is null) return NotFound();
        return Outcome(await editor.SaveAsync(Selected, Subject, Body, Version, ct));
    }

    public async Task<IActionResult> OnPostResetAsync(CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        if (!await LoadAsync(ct) || Selected is null) return NotFound();
        return Outcome(await editor.ResetAsync(Selected, Version, ct));
    }

    public async Task<IActionResult> OnPostPreviewQuestionsAsync(CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        Kind = QuestionsKey;
        await LoadAsync(ct);
        Errors = TextsEditor.QuestionProblems(Survey, Questions);
        if (Errors.Count > 0) return Refused();
        PreviewSurvey = TextsEditor.Reworded(Survey, Questions, Survey.Version);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveQuestionsAsync(CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        Kind = QuestionsKey;
        await LoadAsync(ct);
        return Outcome(await editor.SaveQuestionsAsync(BasedOn, Questions, ct));
    }

    public async Task<IActionResult> OnPostResetQuestionsAsync(CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        Kind = QuestionsKey;
        await LoadAsync(ct);
        return Outcome(await editor.ResetQuestionsAsync(BasedOn, ct));
    }

    private IActionResult Outcome(TextsOutcome outcome)
    {
        switch (outcome)
        {
            case TextsOutcome.Saved saved:
                Done = saved.Done;
                return RedirectToPage(new { kind = Kind });
            case TextsOutcome.Unchanged:
                Done = "Nothing to save: these are the words already in use.";
                return RedirectToPage(new { kind = Kind });
            case TextsOutcome.Invalid invalid:
                Errors = new Dictionary<string, string>(invalid.Errors);
                return Refused();
            default:
                // The draft stays in the form, now against the words saved meanwhile (shown above it): saving again is a choice.
                ChangedMeanwhile = true;
                if (Current is { } current) Version = current.Version;
                BasedOn = Survey.Version;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
        }
    }

    private PageResult Refused()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Kind ??= MessageKinds.All[0].Key;
        Kinds = await editor.KindsAsync(ct);
        Survey = await surveys.CurrentDefinitionAsync(ct);
        SurveyChangedBy = await StaffNameAsync(Survey.CreatedById, ct);
        if (EditingQuestions) return true;
        Selected = MessageKinds.Find(Kind);
        Current = Kinds.FirstOrDefault(k => k.Kind == Selected);
        ChangedBy = await StaffNameAsync(Current?.Own?.UpdatedById, ct);
        return Selected is not null;
    }

    private async Task<string?> StaffNameAsync(string? id, CancellationToken ct) =>
        id is null ? null : await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);

    public static string Local(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("MMMM d, yyyy 'at' HH:mm 'UTC'", AppointmentEmails.Culture);
}
