using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CustomerExperience.Web.Setup;

public abstract record TextsOutcome
{
    public sealed record Saved(string Done) : TextsOutcome;
    public sealed record Unchanged : TextsOutcome;
    /// <summary>Someone saved (or reset) these words after the form was shown: nothing was saved.</summary>
    public sealed record ChangedMeanwhile : TextsOutcome;
    /// <summary>Field → what is wrong with it (naming the placeholder); nothing was saved.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : TextsOutcome;
}

/// <summary>
/// Changes the words of the customer emails (a <see cref="MessageText"/> per kind, under its xmin) and of the survey
/// questions. A new wording of the questions is a new survey version: every stored response keeps the version, and so the
/// wording, its customer answered; figures follow the questions by key across versions. Every change is audited.
/// </summary>
public class TextsEditor(AppDbContext db, Audit audit, SurveyResponses surveys, TimeProvider clock)
{
    /// <summary>What a form carries for a kind that still has its default words (no row to take a version of).</summary>
    public const string DefaultVersion = "default";

    public sealed record KindText(MessageKind Kind, MessageTemplate Template, string Version, MessageText? Own);

    public async Task<List<KindText>> KindsAsync(CancellationToken ct)
    {
        var own = await db.MessageTexts.AsNoTracking().ToDictionaryAsync(t => t.Kind, ct);
        return MessageKinds.All.Select(kind => own.GetValueOrDefault(kind.Key) is { } text
                ? new KindText(kind, new MessageTemplate(text.Subject, text.Body), Version(text), text)
                : new KindText(kind, kind.Default, DefaultVersion, null))
            .ToList();
    }

    public static string Version(MessageText text) => text.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The problems of a draft, keyed by form field (<c>subject</c>, <c>body</c>); empty when it can be saved.</summary>
    public static Dictionary<string, string> Problems(MessageKind kind, string subject, string body)
    {
        var errors = new Dictionary<string, string>();
        foreach (var problem in MessageTemplate.Check(subject, body, kind.Placeholders))
            errors[problem.Field] = errors.TryGetValue(problem.Field, out var before) ? $"{before} {problem.Message}" : problem.Message;
        return errors;
    }

    public async Task<TextsOutcome> SaveAsync(MessageKind kind, string subject, string body, string version, CancellationToken ct)
    {
        body = body.ReplaceLineEndings("\n").Trim();
        subject = subject.Trim();
        if (Problems(kind, subject, body) is { Count: > 0 } errors)
            return new TextsOutcome.Invalid(errors);

        var row = await db.MessageTexts.SingleOrDefaultAsync(t => t.Kind == kind.Key, ct);
        if (!SameVersion(row, version)) return new TextsOutcome.ChangedMeanwhile();
        var current = row is null ? kind.Default : new MessageTemplate(row.Subject, row.Body);
        if (current.Subject == subject && current.Body == body) return new TextsOutcome.Unchanged();

        var (staffId, _) = audit.CurrentStaff();
        if (row is null)
            db.MessageTexts.Add(row = new MessageText { Kind = kind.Key, Subject = subject, Body = body, UpdatedById = staffId });
        else
        {
            db.Entry(row).Property(t => t.Version).OriginalValue = uint.Parse(version, System.Globalization.CultureInfo.InvariantCulture);
            row.Subject = subject;
            row.Body = body;
            row.UpdatedById = staffId;
        }
        row.UpdatedAt = clock.GetUtcNow();
        var what = string.Join(" and ", new[] { current.Subject != subject ? "subject" : null, current.Body != body ? "body" : null }.OfType<string>());
        audit.Record(AuditActions.TextChanged, $"{kind.Title} ({kind.Key}): {what} changed.");
        return await SaveOrChangedMeanwhileAsync(new TextsOutcome.Saved($"Saved the {kind.Title.ToLowerInvariant()} email."), ct);
    }

    public async Task<TextsOutcome> ResetAsync(MessageKind kind, string version, CancellationToken ct)
    {
        var row = await db.MessageTexts.SingleOrDefaultAsync(t => t.Kind == kind.Key, ct);
        if (!SameVersion(row, version)) return new TextsOutcome.ChangedMeanwhile();
        if (row is null) return new TextsOutcome.Unchanged();
        db.Entry(row).Property(t => t.Version).OriginalValue = uint.Parse(version, System.Globalization.CultureInfo.InvariantCulture);
        db.MessageTexts.Remove(row);
        audit.Record(AuditActions.TextReset, $"{kind.Title} ({kind.Key}): back to the default words.");
        return await SaveOrChangedMeanwhileAsync(new TextsOutcome.Saved($"The {kind.Title.ToLowerInvariant()} email has its default words again."), ct);
    }

    private static bool SameVersion(MessageText? row, string version) =>
        row is null ? version == DefaultVersion : version == Version(row);

    public const int MaxQuestion = 200;

    /// <summary>The problems of new question texts (question key → text), keyed by form field <c>question-{key}</c>.</summary>
    public static Dictionary<string, string> QuestionProblems(SurveyDefinition current, IReadOnlyDictionary<string, string> texts)
    {
        var errors = new Dictionary<string, string>();
        foreach (var question in current.Questions)
        {
            var text = texts.GetValueOrDefault(question.Key)?.Trim();
            if (string.IsNullOrEmpty(text))
                errors[$"question-{question.Key}"] = $"Question {question.Position} ({question.Key}) is empty.";
            else if (text.Length > MaxQuestion)
                errors[$"question-{question.Key}"] = $"Keep question {question.Position} ({question.Key}) under {MaxQuestion} characters.";
            else if (text.Contains('\n') || text.Contains('\r'))
                errors[$"question-{question.Key}"] = $"Question {question.Position} ({question.Key}) must be one line.";
        }
        foreach (var key in texts.Keys.Where(k => current.Questions.All(q => q.Key != k)))
            errors[$"question-{key}"] = $"\"{key}\" is not a question of the survey.";
        return errors;
    }

    /// <summary>The current survey with <paramref name="texts"/> for its questions: what a preview shows and a save stores.</summary>
    public static SurveyDefinition Reworded(SurveyDefinition current, IReadOnlyDictionary<string, string> texts, int version) => new()
    {
        Version = version,
        Questions = current.Questions.Select(q => new SurveyQuestion
        {
            DefinitionVersion = version, Key = q.Key, Position = q.Position, Scale = q.Scale,
            Text = texts.GetValueOrDefault(q.Key)?.Trim() is { Length: > 0 } text ? text : q.Text,
        }).ToList(),
    };

    /// <summary>Stores the new wording as survey version <paramref name="basedOn"/> + 1, if <paramref name="basedOn"/> is still the newest.</summary>
    public async Task<TextsOutcome> SaveQuestionsAsync(int basedOn, IReadOnlyDictionary<string, string> texts, CancellationToken ct)
    {
        var current = await surveys.CurrentDefinitionAsync(ct);
        if (current.Version != basedOn) return new TextsOutcome.ChangedMeanwhile();
        if (QuestionProblems(current, texts) is { Count: > 0 } errors) return new TextsOutcome.Invalid(errors);

        var next = Reworded(current, texts, current.Version + 1);
        var changed = current.Questions.Zip(next.Questions).Where(p => p.First.Text != p.Second.Text).Select(p => p.First.Key).ToList();
        if (changed.Count == 0) return new TextsOutcome.Unchanged();
        var (staffId, _) = audit.CurrentStaff();
        next.CreatedAt = clock.GetUtcNow();
        next.CreatedById = staffId;
        db.SurveyDefinitions.Add(next);
        audit.Record(AuditActions.SurveyReworded, $"Survey version {next.Version}: {string.Join(", ", changed)} reworded.");
        return await SaveOrChangedMeanwhileAsync(new TextsOutcome.Saved(
            $"Saved as survey version {next.Version}. Answers already given keep the wording they answered."), ct);
    }

    public async Task<TextsOutcome> ResetQuestionsAsync(int basedOn, CancellationToken ct) =>
        await SaveQuestionsAsync(basedOn, SurveyDefaults.Questions.ToDictionary(q => q.Key, q => q.Text), ct);

    /// <summary>Saves; a concurrent save of the same words (xmin moved, or the same key inserted) is "changed meanwhile".</summary>
    private async Task<TextsOutcome> SaveOrChangedMeanwhileAsync(TextsOutcome saved, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return saved;
        }
        catch (DbUpdateConcurrencyException)
        {
            return new TextsOutcome.ChangedMeanwhile();
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new TextsOutcome.ChangedMeanwhile();
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
