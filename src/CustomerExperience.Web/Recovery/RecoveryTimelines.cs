using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Recovery;

/// <summary>The customer's survey answers: channel, each score in short, skips, the comment and "contact me".</summary>
public class SurveyTimeline(AppDbContext db) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineItem>> ItemsAsync(Guid customerId, CancellationToken ct)
    {
        var responses = await db.SurveyResponses.AsNoTracking().Include(r => r.Answers)
            .Where(r => r.CustomerId == customerId).ToListAsync(ct);
        if (responses.Count == 0) return [];
        var versions = responses.Select(r => r.DefinitionVersion).Distinct().ToList();
        var questions = await db.SurveyDefinitions.AsNoTracking().Where(d => versions.Contains(d.Version))
            .SelectMany(d => d.Questions).ToListAsync(ct);

        return responses.ConvertAll(response =>
        {
            var asked = questions.Where(q => q.DefinitionVersion == response.DefinitionVersion).OrderBy(q => q.Position).ToList();
            var scores = asked.Select(q => response.Answers.FirstOrDefault(a => a.QuestionKey == q.Key) is { } answer
                ? $"{ShortName(q.Key)} {answer.Score}/{q.Max}" : $"{ShortName(q.Key)} skipped");
            var detail = string.Join(" · ", scores);
            if (response.ContactRequested) detail += "\nAsked to be contacted.";
            if (response.Comment is { } comment) detail += $"\nComment: “{comment}”";
            var channel = response.Channel == SurveyChannel.Kiosk ? "at the kiosk" : "by email";
            var title = $"Survey answered {channel}{(response.IsPartial ? " (partly)" : "")}";
            return new TimelineItem(response.SubmittedAt, TimelineKinds.Survey, title, detail, VisitId: response.AppointmentId);
        });
    }

    /// <summary>"Wait" for the question about the wait: short enough for a line of scores.</summary>
    public static string ShortName(string key) => key switch
    {
        "reminders" => "Reminders",
        "explained" => "Explaining",
        _ => key.Length == 0 ? key : char.ToUpperInvariant(key[0]) + key[1..],
    };
}

/// <summary>The customer's service-recovery cases: opened (why, and by whom for a complaint), first contact, resolution with its root cause.</summary>
public class CaseTimeline(AppDbContext db) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineItem>> ItemsAsync(Guid customerId, CancellationToken ct)
    {
        var cases = await db.RecoveryCases.AsNoTracking().Where(c => c.CustomerId == customerId)
            .Select(c => new
            {
                Case = c,
                OpenedBy = db.Users.Where(u => u.Id == c.OpenedById).Select(u => u.DisplayName).FirstOrDefault(),
                ResolvedBy = db.Users.Where(u => u.Id == c.ResolvedById).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .ToListAsync(ct);
        if (cases.Count == 0) return [];
        var contacts = await db.AuditEntries.AsNoTracking()
            .Where(e => e.CustomerId == customerId && e.Action == AuditActions.CaseContacted).ToListAsync(ct);

        var items = new List<TimelineItem>();
        foreach (var (c, openedBy, resolvedBy) in cases.Select(x => (x.Case, x.OpenedBy, x.ResolvedBy)))
        {
            var from = c.Source == CaseSource.Complaint ? "Complaint logged" : "Follow-up case opened";
            items.Add(new TimelineItem(c.OpenedAt, TimelineKinds.CaseOpened, $"{from}: case {c.Number}",
                c.Clinical ? $"{c.Summary}\n{CaseEmails.ClinicalFlag}" : c.Summary, openedBy, c.AppointmentId));
            if (c.FirstContactAt is { } contacted)
            {
                var by = contacts.Where(e => e.Details.EndsWith($"case {c.Number}", StringComparison.Ordinal)).MinBy(e => (e.At - contacted).Duration());
                items.Add(new TimelineItem(contacted, TimelineKinds.CaseContacted, $"Customer contacted: case {c.Number}", By: by?.StaffName, VisitId: c.AppointmentId));
            }
            if (c.ResolvedAt is { } resolved)
                items.Add(new TimelineItem(resolved, TimelineKinds.CaseResolved,
                    $"Case {c.Number} resolved: {(c.RootCause is { } cause ? RootCauses.Label(cause).ToLowerInvariant() : "no root cause")}",
                    c.Outcome, resolvedBy, c.AppointmentId));
        }
        return items;
    }
}
