using System.Text.RegularExpressions;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Recovery;

/// <summary>
/// Service recovery: every unhappy customer gets a case with an owner and a due time for the first contact.
/// A case opens once per response: when an answer is in the bottom two boxes, the recommend score is 0–6, or the
/// customer asked to be contacted.
/// </summary>
public partial class ServiceRecovery(AppDbContext db, TimeProvider clock)
{
    /// <summary>Null when the response needs no follow-up; otherwise why it does, for the case's summary.</summary>
    public static string? WhyFollowUp(SurveyDefinition definition, SurveyResponse response)
    {
        var reasons = new List<string>();
        foreach (var question in definition.Questions.OrderBy(q => q.Position))
        {
            if (response.Answers.FirstOrDefault(a => a.QuestionKey == question.Key) is not { } answer) continue;
            var unhappy = question.Scale == SurveyScale.Recommend10 ? answer.Score <= 6 : answer.Score <= 2;
            if (unhappy) reasons.Add($"{question.Text} {SurveyDefaults.Label(question, answer.Score)}");
        }
        if (response.ContactRequested) reasons.Add("Asked to be contacted");
        return reasons.Count == 0 ? null : string.Join(" · ", reasons);
    }

    /// <summary>Words that send a comment to the quality review as a possible clinical matter.</summary>
    [GeneratedRegex(@"\b(pain\w*|painful|hurt\w*|injur\w*|bruis\w*|bleed\w*|blood|swell\w*|result\w*|clinical\w*|diagnos\w*|lump\w*|burn\w*|dizz\w*|faint\w*|wrong (side|breast|patient))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClinicalWords();

    public static bool IsClinical(string? comment) => comment is not null && ClinicalWords().IsMatch(comment);

    /// <summary>Opens the case <paramref name="response"/> calls for, in the caller's transaction; null when none is needed.</summary>
    public async Task<RecoveryCase?> OpenForResponseAsync(SurveyResponse response, SurveyDefinition definition, CancellationToken ct)
    {
        if (WhyFollowUp(definition, response) is not { } summary) return null;
        var recoveryCase = await NewCaseAsync(CaseSource.Survey, response.LocationId, response.CustomerId, response.AppointmentId,
            summary, response.Comment, openedById: null, ct);
        recoveryCase.ResponseId = response.Id;
        db.RecoveryCases.Add(recoveryCase);
        await db.SaveChangesAsync(ct);
        return recoveryCase;
    }

    private async Task<RecoveryCase> NewCaseAsync(CaseSource source, Guid locationId, Guid? customerId, Guid? appointmentId,
        string summary, string? comment, string? openedById, CancellationToken ct)
    {
        var location = await db.Locations.AsNoTracking().Include(l => l.Closures).SingleAsync(l => l.Id == locationId, ct);
        var now = clock.GetUtcNow();
        return new RecoveryCase
        {
            Id = Guid.CreateVersion7(),
            Source = source,
            LocationId = locationId,
            CustomerId = customerId,
            AppointmentId = appointmentId,
            Summary = summary,
            Comment = comment,
            Clinical = IsClinical(comment),
            OwnerId = location.ServiceRecoveryManagerId ?? await AnyManagerAsync(locationId, ct),
            OpenedAt = now,
            OpenedById = openedById,
            DueAt = FirstContactDue(now, location),
        };
    }

    /// <summary>A manager who works at the location, else any manager, else an admin: someone always owns a case.</summary>
    private async Task<string?> AnyManagerAsync(Guid locationId, CancellationToken ct)
    {
        var managers = from user in db.Users
                       join role in db.UserRoles on user.Id equals role.UserId
                       where user.DisabledAt == null && (role.RoleId == "manager" || role.RoleId == "admin")
                       orderby role.RoleId == "manager" ? 0 : 1,
                           db.StaffLocations.Any(s => s.StaffUserId == user.Id && s.LocationId == locationId) ? 0 : 1,
                           user.CreatedAt
                       select user.Id;
        return await managers.FirstOrDefaultAsync(ct);
    }

    /// <summary>First contact is due one business day later, at the same local time (weekends and closures skipped).</summary>
    public static DateTimeOffset FirstContactDue(DateTimeOffset opened, Location location)
    {
        var zone = location.TimeZone;
        var local = TimeZoneInfo.ConvertTime(opened, zone);
        var closures = location.Closures.Select(c => new DateRange(c.From, c.To)).ToList();
        var day = BusinessDays.Add(DateOnly.FromDateTime(local.DateTime), 1, closures);
        var due = day.ToDateTime(TimeOnly.FromDateTime(local.DateTime));
        return new DateTimeOffset(due, zone.GetUtcOffset(due)).ToUniversalTime();
    }
}
