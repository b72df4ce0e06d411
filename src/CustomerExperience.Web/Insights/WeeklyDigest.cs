using System.Globalization;
using System.Net;
using System.Text;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Insights;

/// <summary>
/// Monday's email to every enabled manager and admin about the ISO week just ended. Only figures and comment text go
/// in it: no customer names, and no comment read as clinical (email leaves the clinic's control; the rest is on
/// /staff/insights behind the sign-in).
/// </summary>
public class WeeklyDigest(
    AppDbContext db, InsightsQueries queries, Goals goals, Outbox outbox, IOptions<InsightsOptions> insights, IOptions<AppOptions> app,
    TimeProvider clock)
{
    public const string Kind = "digest";
    public static readonly TimeOnly SendFrom = new(8, 0);
    private const int CommentsShown = 3;

    /// <summary>
    /// Queues the digest of the week just ended once it is Monday 08:00 in the organisation's zone; a run later that
    /// week (a node was down on Monday) still sends it, the keys keeping it to one per recipient. Returns how many were new.
    /// </summary>
    public async Task<int> QueueDueAsync(CancellationToken ct)
    {
        var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), await ZoneAsync(ct));
        var today = DateOnly.FromDateTime(local.DateTime);
        var monday = InsightsMath.WeekStart(today);
        if (today == monday && TimeOnly.FromDateTime(local.DateTime) < SendFrom) return 0;

        var week = new InsightsFilter(monday.AddDays(-7), monday.AddDays(-1));
        var satisfaction = await queries.SatisfactionAsync(week, ct);
        if (satisfaction.Responses == 0 && satisfaction.CompletedVisits == 0) return 0;

        var recipients = await db.EnabledManagersAndAdmins().AsNoTracking()
            .Where(u => u.Email != null)
            .Select(u => new { u.Id, Email = u.Email!, u.DisplayName }).ToListAsync(ct);
        if (recipients.Count == 0) return 0;

        var (subject, text, html) = await ComposeAsync(week, satisfaction, ct);
        var isoWeek = $"{ISOWeek.GetYear(week.From.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(week.From.ToDateTime(TimeOnly.MinValue)):00}";
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var added = await outbox.EnqueueManyAsync(recipients.ConvertAll(r => new EmailMessage(
            Kind, $"{Kind}:{isoWeek}:{r.Id}", r.Email, r.DisplayName, subject, text, html)), ct);
        await transaction.CommitAsync(ct);
        return added.Count;
    }

    /// <summary><c>Insights:DigestTimeZone</c>, else the first location's zone (by name), else New York.</summary>
    private async Task<TimeZoneInfo> ZoneAsync(CancellationToken ct)
    {
        var id = insights.Value.DigestTimeZone
                 ?? await db.Locations.AsNoTracking().OrderBy(l => l.Name).Select(l => l.TimeZoneId).FirstOrDefaultAsync(ct)
                 ?? "America/New_York";
        return TimeZoneInfo.FindSystemTimeZoneById(id);
    }

    private async Task<(string Subject, string Text, string Html)> ComposeAsync(InsightsFilter week, Satisfaction now, CancellationToken ct)
    {
        var before = await queries.SatisfactionAsync(week.Previous(), ct);
        var inForce = await goals.InForceAsync(week.To, ct);
        // Retention is judged 90 days after each due date; a year of due dates gives a figure at all.
        var loyalty = await queries.LoyaltyAsync(week with { From = week.To.AddDays(-364) }, ct);
        var recovery = await queries.RecoveryAsync(week, ct);
        var comments = (await queries.CommentsAsync(week, null, 1, 20, ct)).Rows
            .Where(c => !c.Clinical).Take(CommentsShown).Select(c => c.Comment.Trim()).ToList();
        var url = $"{app.Value.PublicBaseUrl.TrimEnd('/')}/staff/insights";
        var period = $"{week.From.ToString("d MMM", CultureInfo.InvariantCulture)} – {week.To.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";
        var subject = $"Weekly insights: {period}";

        var lines = new List<(string Label, string Value)>
        {
            ("Responses", $"{now.Responses} from {now.CompletedVisits} completed visits"),
            ("Overall top-box", Shown(FigureText.Percent(now.OverallTopBox.Value), now.OverallTopBox, before.OverallTopBox)),
            ("NPS", Shown(FigureText.Score(now.Nps.Value), now.Nps, before.Nps)),
            ("Retention (due in the last 12 months)", $"{FigureText.Percent(loyalty.Retention.Value)} of {loyalty.Retention.N}{TooFew(loyalty.Retention)}"),
            ("Open cases", recovery.Open.ToString(CultureInfo.InvariantCulture)),
            ("Overdue cases", recovery.Overdue.ToString(CultureInfo.InvariantCulture)),
        };
        var goalLines = inForce.Select(g =>
        {
            var nps = g.Goal.Metric == GoalMetric.Nps;
            string Format(double? v) => nps ? FigureText.Score(v) : FigureText.Percent(v);
            var state = g.Met switch { true => "met", false => "not yet", null => "too few to tell" };
            return $"{g.Metric} ({g.Scope}): {Format(g.Actual.Value)}, target {(g.Goal.LowerIsBetter ? "≤" : "≥")} {Format((double)g.Goal.Target)} — {state}";
        }).ToList();

        var text = new StringBuilder().AppendLine($"The week {period}").AppendLine();
        foreach (var (label, value) in lines) text.AppendLine($"{label}: {value}");
        text.AppendLine().AppendLine("Goals in force:");
        if (goalLines.Count == 0) text.AppendLine("none");
        foreach (var g in goalLines) text.AppendLine($"- {g}");
        text.AppendLine().AppendLine("Recent comments:");
        if (comments.Count == 0) text.AppendLine("none");
        foreach (var c in comments) text.AppendLine($"- “{c}”");
        text.AppendLine().AppendLine($"More on the insights page (staff sign-in): {url}");

        static string H(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder().Append(EmailHtml.Start).Append($"<h1 style=\"font-size:1.25em\">The week {H(period)}</h1><table>");
        foreach (var (label, value) in lines) html.Append($"<tr><th scope=\"row\" style=\"text-align:left;padding-right:1em\">{H(label)}</th><td>{H(value)}</td></tr>");
        html.Append("</table><h2 style=\"font-size:1.1em\">Goals in force</h2>")
            .Append(goalLines.Count == 0 ? "<p>None.</p>" : "<ul>" + string.Concat(goalLines.Select(g => $"<li>{H(g)}</li>")) + "</ul>")
            .Append("<h2 style=\"font-size:1.1em\">Recent comments</h2>")
            .Append(comments.Count == 0 ? "<p>None.</p>" : "<ul>" + string.Concat(comments.Select(c => $"<li>“{H(c)}”</li>")) + "</ul>")
            .Append($"<p><a href=\"{H(url)}\">More on the insights page</a> (staff sign-in).</p>").Append(EmailHtml.End);
        return (subject, text.ToString(), html.ToString());
    }

    private string Shown(string value, Figure now, Figure before)
    {
        var change = FigureText.Change(now, before);
        var words = change.Arrow == "" ? "" : $" {change.Arrow} ({change.Words})";
        return $"{value}{TooFew(now)}{words}";
    }

    private string TooFew(Figure figure) => figure.TooFew ? $" (too few responses: {figure.N} of {queries.MinResponses} needed)" : "";
}
