using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Recovery;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CustomerExperience.Web.Surveys;

/// <summary>What a survey page or the kiosk sends. Answers are by question key; a skipped question is absent.</summary>
public sealed record SurveySubmission(
    Guid Id,
    SurveyChannel Channel,
    Guid LocationId,
    int DefinitionVersion,
    IReadOnlyDictionary<string, int> Answers,
    string? Comment = null,
    bool ContactRequested = false,
    Guid? AppointmentId = null,
    Guid? KioskId = null,
    DateTimeOffset? StartedAt = null,
    bool IsPartial = false,
    TimeSpan? Duration = null);

public abstract record SubmitOutcome
{
    public sealed record Stored(SurveyResponse Response, RecoveryCase? Case) : SubmitOutcome;
    /// <summary>This very submission (same id) was stored before: a retried send.</summary>
    public sealed record AlreadyStored : SubmitOutcome;
    /// <summary>The visit already has a response (from the other channel, or an earlier one).</summary>
    public sealed record AlreadyAnswered : SubmitOutcome;
    /// <summary>Nothing was stored; <see cref="Field"/> names what was wrong.</summary>
    public sealed record Invalid(string Field, string Message) : SubmitOutcome;
}

/// <summary>
/// Stores survey responses, one per visit whichever channel answers first, and opens the service-recovery case a
/// response calls for in the same transaction (so a stored unhappy response always has its case).
/// </summary>
public class SurveyResponses(AppDbContext db, ServiceRecovery recovery, TimeProvider clock, Metrics metrics)
{
    /// <summary>The newest survey definition, with its questions in order.</summary>
    public async Task<SurveyDefinition> CurrentDefinitionAsync(CancellationToken ct) =>
        await db.SurveyDefinitions.AsNoTracking().Include(d => d.Questions.OrderBy(q => q.Position))
            .OrderByDescending(d => d.Version).FirstAsync(ct);

    public async Task<SurveyDefinition?> DefinitionAsync(int version, CancellationToken ct) =>
        await db.SurveyDefinitions.AsNoTracking().Include(d => d.Questions.OrderBy(q => q.Position))
            .SingleOrDefaultAsync(d => d.Version == version, ct);

    /// <summary>The first problem with <paramref name="submission"/>, or null when it can be stored.</summary>
    public static SubmitOutcome.Invalid? Validate(SurveyDefinition definition, SurveySubmission submission)
    {
        foreach (var (key, score) in submission.Answers)
        {
            var question = definition.Questions.FirstOrDefault(q => q.Key == key);
            if (question is null)
                // The key is the sender's text: named by the field, not repeated in the message.
                return new SubmitOutcome.Invalid(key, "That is not a question of this survey.");
            if (score < question.Min || score > question.Max)
                return new SubmitOutcome.Invalid(key, $"Choose an answer from {question.Min} to {question.Max} for \"{question.Text}\".");
        }
        if (submission.Comment is { Length: > SurveyDefaults.MaxCommentLength })
            return new SubmitOutcome.Invalid("comment", $"Please keep the comment under {SurveyDefaults.MaxCommentLength} characters.");
        return null;
    }

    public async Task<SubmitOutcome> SubmitAsync(SurveySubmission submission, CancellationToken ct)
    {
        var definition = await DefinitionAsync(submission.DefinitionVersion, ct);
        if (definition is null)
            return new SubmitOutcome.Invalid("version", "This survey is no longer in use.");
        if (Validate(definition, submission) is { } invalid)
            return invalid;

        var now = clock.GetUtcNow();
        Guid? customerId = null;
        if (submission.AppointmentId is { } visitId)
            customerId = await db.Appointments.Where(a => a.Id == visitId).Select(a => (Guid?)a.CustomerId).SingleOrDefaultAsync(ct);

        var comment = string.IsNullOrWhiteSpace(submission.Comment) ? null : submission.Comment.Trim();
        var response = new SurveyResponse
        {
            Id = submission.Id,
            DefinitionVersion = definition.Version,
            Channel = submission.Channel,
            LocationId = submission.LocationId,
            AppointmentId = submission.AppointmentId,
            CustomerId = customerId,
            KioskId = submission.KioskId,
            // The kiosk tells how long the customer took (it may send hours later); the email form tells when it was opened.
            StartedAt = (submission.Duration is { } took ? now - took : submission.StartedAt) is { } started && started <= now ? started : null,
            SubmittedAt = now,
            IsPartial = submission.IsPartial,
            Comment = comment,
            ContactRequested = submission.ContactRequested,
            Answers = [.. submission.Answers.Select(a => new SurveyAnswer { QuestionKey = a.Key, Score = a.Value })],
        };
        if (response.StartedAt is { } start)
            response.DurationSeconds = (int)Math.Min(int.MaxValue, (now - start).TotalSeconds);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.SurveyResponses.Add(response);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            db.ChangeTracker.Clear();
            return unique.ConstraintName == "pk_survey_responses" ? new SubmitOutcome.AlreadyStored() : new SubmitOutcome.AlreadyAnswered();
        }
        var opened = await recovery.OpenForResponseAsync(response, definition, ct);
        await transaction.CommitAsync(ct);
        metrics.SurveyResponseStored(response.Channel);
        return new SubmitOutcome.Stored(response, opened);
    }
}
