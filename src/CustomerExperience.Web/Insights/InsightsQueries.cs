using CustomerExperience.Web.Surveys;
using System.ComponentModel.DataAnnotations;
using System.Text;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Recovery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CustomerExperience.Web.Insights;

public sealed class InsightsOptions
{
    public const string Section = "Insights";

    /// <summary>Below this many responses a figure is shown greyed as "too few responses", and per-staff figures not at all.</summary>
    [Range(1, 10_000)] public int MinResponses { get; set; } = 30;

    /// <summary>The zone whose Monday 08:00 sends the weekly digest; unset, the first location's (by name).</summary>
    public string? DigestTimeZone { get; set; }
}

/// <summary>
/// What the figures are about. <see cref="From"/>/<see cref="To"/> are local dates: each response, visit, email or
/// case counts on its calendar date at its own location, so "this week" means the same days to every clinic.
/// Service and staff (who performed or checked in the visit) leave out anonymous kiosk responses; the channel applies
/// to survey figures only.
/// </summary>
public sealed record InsightsFilter(
    DateOnly From, DateOnly To, Guid? LocationId = null, Guid? ServiceId = null, string? StaffId = null, SurveyChannel? Channel = null)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of equal length just before this one, for the change.</summary>
    public InsightsFilter Previous() => this with { From = From.AddDays(-Days), To = From.AddDays(-1) };
}

/// <summary>A value with the number it comes from; <see cref="TooFew"/> when that number is below the minimum.</summary>
public sealed record Figure(double? Value, int N, bool TooFew, double? Low = null, double? High = null);

public sealed record QuestionFigure(string Key, string Text, SurveyScale Scale, int Answers, int TopBox, Figure TopBoxPercent);

public sealed record Satisfaction(
    IReadOnlyList<QuestionFigure> Questions, Figure OverallTopBox, Figure Nps, int Responses, int CompletedVisits,
    Figure ResponseRate);

public sealed record TrendWeek(DateOnly WeekStart, int Responses, Figure Value);

public sealed record StaffFigure(string StaffId, string Name, int Responses, Figure OverallTopBox, Figure Nps);

public sealed record Loyalty(Figure Retention, int RetentionPending, Figure RecallConversion, Figure NextVisitBooked, Figure NoShowRate);

public sealed record LapsedCustomer(Guid CustomerId, Guid ServiceId, string FullName, string? Phone, string Email, string ServiceName, string LocationName, DateOnly LastVisit, DateOnly Due);

public sealed record Paged<T>(IReadOnlyList<T> Rows, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public sealed record RootCauseMonth(DateOnly Month, RootCause Cause, int Cases);

public sealed record RecoveryFigures(int Open, int Overdue, double? MedianHoursToFirstContact, int Contacted, IReadOnlyList<RootCauseMonth> RootCauses);

public sealed record CommentRow(
    Guid ResponseId, DateTimeOffset SubmittedAt, string LocationName, SurveyChannel Channel, string Comment,
    IReadOnlyList<(string Key, int Score)> Scores, bool Clinical, int? CaseNumber, RootCause? RootCause);

/// <summary>A survey response as the export writes it; times are local at its location.</summary>
public sealed class ResponseExportRow
{
    public DateOnly Day { get; init; }
    public DateTime LocalTime { get; init; }
    public string LocationName { get; init; } = "";
    public string? ServiceName { get; init; }
    public string Channel { get; init; } = "";
    public bool IsPartial { get; init; }
    public int? DurationSeconds { get; init; }
    public string? PerformedBy { get; init; }
    public string? CheckedInBy { get; init; }
    /// <summary>"key:score" pairs, comma separated; a skipped question is not there.</summary>
    public string? Scores { get; init; }
    public string? Comment { get; init; }
    public bool ContactRequested { get; init; }
    public int? CaseNumber { get; init; }
    public string? CustomerName { get; init; }
    public string? CustomerEmail { get; init; }
    public string? CustomerPhone { get; init; }

    public Dictionary<string, int> Answers() => (Scores ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split(':')).ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A recovery case as the export writes it; times are local at its location.</summary>
public sealed class CaseExportRow
{
    public int Number { get; init; }
    public string Source { get; init; } = "";
    public DateTime Opened { get; init; }
    public DateTime Due { get; init; }
    public DateTime? FirstContact { get; init; }
    public DateTime? Resolved { get; init; }
    public string Status { get; init; } = "";
    public string? Owner { get; init; }
    public string? RootCause { get; init; }
    public string? Outcome { get; init; }
    public string LocationName { get; init; } = "";
    public string? CustomerName { get; init; }
    public string? CustomerEmail { get; init; }
    public string? CustomerPhone { get; init; }
}

/// <summary>
/// Every figure of the insights pages, counted by Postgres (aggregates over the rows, never rows loaded to be
/// counted). The filters become parameters of hand-written SQL; see <see cref="InsightsFilter"/> for what they mean.
/// </summary>
public class InsightsQueries(AppDbContext db, TimeProvider clock, IOptions<InsightsOptions> options)
{
    public int MinResponses => options.Value.MinResponses;

    private sealed class AnswerCounts
    {
        public DateOnly Week { get; init; }
        public string Key { get; init; } = "";
        public string Scale { get; init; } = "";
        public int Answers { get; init; }
        public int TopBox { get; init; }
        public int Detractors { get; init; }
    }

    private sealed class Ratio
    {
        public int Part { get; init; }
        public int Whole { get; init; }
        public int Extra { get; init; }
    }

    public async Task<Satisfaction> SatisfactionAsync(InsightsFilter filter, CancellationToken ct)
    {
        var questions = await CurrentQuestionsAsync(ct);
        var q = new Query(filter);
        var counts = await q.Run<AnswerCounts>(db, $"""
            SELECT DATE '2000-01-03' AS week, {Sums}
            FROM {q.Cells()}
            GROUP BY d.question_key, d.scale
            """, ct);
        var responses = counts.Where(c => c.Key == "").Sum(c => c.Answers);
        counts.RemoveAll(c => c.Key == "");
        var visits = await CompletedVisitsAsync(filter, ct);

        var byKey = counts.ToDictionary(c => c.Key);
        var figures = questions.Select(question =>
        {
            var c = byKey.GetValueOrDefault(question.Key);
            var (answers, top) = (c?.Answers ?? 0, c?.TopBox ?? 0);
            return new QuestionFigure(question.Key, question.Text, question.Scale, answers, top, Proportion(top, answers));
        }).ToList();
        var recommend = counts.FirstOrDefault(c => c.Scale == nameof(SurveyScale.Recommend10));
        return new Satisfaction(figures,
            Overall(counts, responses),
            NpsFigure(recommend),
            responses, visits,
            new Figure(SurveyScoring.Percent(responses, visits), responses, responses < MinResponses));
    }

    private sealed class DurationCount
    {
        public int Seconds { get; init; }
        public long Responses { get; init; }
    }

    /// <summary>
    /// The median seconds from the first screen to submitting, of the complete responses in the filter. A median does
    /// not add up by day, but counts of each whole second do: whole calendar months come from cx.insight_duration_months
    /// (migration InsightDurationMonths) and the days around them from the responses themselves (through the index of
    /// complete responses that holds the durations, migration InsightResponseIndexes). Those counts have no visit, so
    /// with a service or staff member chosen the whole period is read from the responses.
    /// </summary>
    public async Task<double?> MedianSecondsAsync(InsightsFilter filter, CancellationToken ct)
    {
        var (monthsFrom, monthsTo) = filter.ServiceId is null && filter.StaffId is null
            ? InsightsMath.WholeMonths(filter.From, filter.To)
            : (filter.From, filter.From);
        if (monthsFrom >= monthsTo)
            return InsightsMath.Median((await DurationsAsync(filter, ct)).Select(c => (c.Seconds, c.Responses)));

        var q = new Query(filter);
        q.Add("months_from", NpgsqlDbType.Date, monthsFrom);
        q.Add("months_to", NpgsqlDbType.Date, monthsTo);
        var counts = await q.Run<DurationCount>(db, $"""
            SELECT m.seconds, sum(m.responses)::bigint AS responses FROM cx.insight_duration_months m
            WHERE m.month >= @months_from AND m.month < @months_to
              {(filter.LocationId is null ? "" : "AND m.location_id = @location")}
              {(filter.Channel is null ? "" : "AND m.channel = @channel")}
            GROUP BY m.seconds
            """, ct);
        if (filter.From < monthsFrom) counts.AddRange(await DurationsAsync(filter with { To = monthsFrom.AddDays(-1) }, ct));
        if (monthsTo <= filter.To) counts.AddRange(await DurationsAsync(filter with { From = monthsTo }, ct));
        return InsightsMath.Median(counts.Select(c => (c.Seconds, c.Responses)));
    }

    /// <summary>How many complete responses in the filter took each whole number of seconds.</summary>
    private async Task<List<DurationCount>> DurationsAsync(InsightsFilter filter, CancellationToken ct)
    {
        var q = new Query(filter);
        return await q.Run<DurationCount>(db, $"""
            WITH r AS ({q.Responses()})
            SELECT r.duration_seconds AS seconds, count(*) AS responses
            FROM r WHERE NOT r.is_partial AND r.duration_seconds IS NOT NULL
            GROUP BY 1
            """, ct);
    }

    /// <summary>
    /// The last <paramref name="weeks"/> ISO weeks up to the week of <see cref="InsightsFilter.To"/>: the overall
    /// top-box, or one question's when <paramref name="questionKey"/> is given, with its 95 % band.
    /// </summary>
    public async Task<IReadOnlyList<TrendWeek>> TrendAsync(InsightsFilter filter, int weeks, string? questionKey, CancellationToken ct)
    {
        var lastWeek = InsightsMath.WeekStart(filter.To);
        var firstWeek = lastWeek.AddDays(-7 * (weeks - 1));
        var q = new Query(filter with { From = firstWeek, To = lastWeek.AddDays(6) });
        var counts = await q.Run<AnswerCounts>(db, $"""
            SELECT date_trunc('week', d.day)::date AS week, {Sums}
            FROM {q.Cells(byDay: true)}
            GROUP BY 1, d.question_key, d.scale
            """, ct);
        var responses = counts.Where(c => c.Key == "").ToDictionary(c => c.Week, c => c.Answers);
        counts.RemoveAll(c => c.Key == "");
        return Enumerable.Range(0, weeks).Select(i =>
        {
            var week = firstWeek.AddDays(7 * i);
            var n = responses.GetValueOrDefault(week);
            var ofWeek = counts.Where(c => c.Week == week).ToList();
            Figure value;
            if (questionKey is null)
                value = Overall(ofWeek, n);
            else
            {
                var c = ofWeek.FirstOrDefault(c => c.Key == questionKey);
                value = Proportion(c?.TopBox ?? 0, c?.Answers ?? 0);
            }
            return new TrendWeek(week, n, value);
        }).ToList();
    }

    /// <summary>
    /// Everyone on the care team of answered visits (performed or checked in; counted once when both), with their
    /// figures only from <see cref="MinResponses"/> responses on: nobody is ranked on five surveys.
    /// </summary>
    public async Task<IReadOnlyList<StaffFigure>> StaffAsync(InsightsFilter filter, CancellationToken ct)
    {
        var q = new Query(filter);
        var counts = await q.Run<StaffCounts>(db, $"""
            SELECT d.staff_id, {Sums}
            FROM {q.Cells(perStaff: true)}
            GROUP BY d.staff_id, d.question_key, d.scale
            """, ct);
        var responses = counts.Where(c => c.Key == "" && c.Answers > 0).ToList();
        counts.RemoveAll(c => c.Key == "");
        var ids = responses.Select(r => r.StaffId).ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return responses.Select(r =>
        {
            var mine = counts.Where(c => c.StaffId == r.StaffId).Select(c => (AnswerCounts)c).ToList();
            var enough = r.Answers >= MinResponses;
            return new StaffFigure(r.StaffId, names.GetValueOrDefault(r.StaffId) ?? "(removed account)", r.Answers,
                enough ? Overall(mine, r.Answers) : new Figure(null, r.Answers, true),
                enough ? NpsFigure(mine.FirstOrDefault(c => c.Scale == nameof(SurveyScale.Recommend10))) : new Figure(null, r.Answers, true));
        }).OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    private sealed class StaffCounts
    {
        public string StaffId { get; init; } = "";
        public string Key { get; init; } = "";
        public string Scale { get; init; } = "";
        public int Answers { get; init; }
        public int TopBox { get; init; }
        public int Detractors { get; init; }

        public static explicit operator AnswerCounts(StaffCounts c) =>
            new() { Key = c.Key, Scale = c.Scale, Answers = c.Answers, TopBox = c.TopBox, Detractors = c.Detractors };
    }

    public async Task<int> CompletedVisitsAsync(InsightsFilter filter, CancellationToken ct)
    {
        var q = new Query(filter);
        return (await q.Run<Ratio>(db, $"""
            SELECT coalesce(sum(d.visits), 0)::int AS whole, 0 AS part, 0 AS extra FROM {q.VisitCells("completed")}
            """, ct)).Single().Whole;
    }

    /// <summary>
    /// Retention: each completed visit of a recurring service makes its customer due on its local date + the service's
    /// recall interval; of those due in the period, the share with a later completed visit of the service by 90 days
    /// after the due date (coming early counts). Only customers whose 90 days are over count: those still inside them
    /// (<see cref="Loyalty.RetentionPending"/>) would count if back already and not if not yet, which flatters a recent period.
    /// Recall conversion: sent recall emails followed by a booking of the service within 30 days, counted at the
    /// customer's last completed visit before the email. Booked before leaving: a later visit made by the end of the
    /// visit's day, not by the automatic rebooking job (that one books for customers who left without). The daily counts
    /// come from cx.insight_visit_days (migration InsightVisitRollups says how each is counted).
    /// </summary>
    public async Task<Loyalty> LoyaltyAsync(InsightsFilter filter, CancellationToken ct)
    {
        var q = new Query(filter);
        q.Now = clock.GetUtcNow();
        var retention = (await q.Run<Ratio>(db, $"""
            SELECT coalesce(sum(d.hits) FILTER (WHERE d.day + 90 < (@now AT TIME ZONE l.time_zone_id)::date), 0)::int AS part,
                   coalesce(sum(d.visits) FILTER (WHERE d.day + 90 < (@now AT TIME ZONE l.time_zone_id)::date), 0)::int AS whole,
                   coalesce(sum(d.visits) FILTER (WHERE d.day + 90 >= (@now AT TIME ZONE l.time_zone_id)::date), 0)::int AS extra
            FROM {q.VisitCells("due")}
            """, ct)).Single();
        var recalls = await HitsAsync(q, "recall", ct);
        var nextVisit = await HitsAsync(q, "next", ct);
        var noShows = await HitsAsync(q, "attended", ct);
        return new Loyalty(Proportion(retention.Part, retention.Whole), retention.Extra, Proportion(recalls.Part, recalls.Whole),
            Proportion(nextVisit.Part, nextVisit.Whole), Proportion(noShows.Part, noShows.Whole));
    }

    private async Task<Ratio> HitsAsync(Query q, string measure, CancellationToken ct) => (await q.Run<Ratio>(db, $"""
        SELECT coalesce(sum(d.hits), 0)::int AS part, coalesce(sum(d.visits), 0)::int AS whole, 0 AS extra FROM {q.VisitCells(measure)}
        """, ct)).Single();

    private sealed class LapsedRow
    {
        public Guid CustomerId { get; init; }
        public Guid ServiceId { get; init; }
        public string FullName { get; init; } = "";
        public string? Phone { get; init; }
        public string Email { get; init; } = "";
        public string ServiceName { get; init; } = "";
        public string LocationName { get; init; } = "";
        public DateOnly LastVisit { get; init; }
        public DateOnly Due { get; init; }
    }

    private sealed class Count
    {
        public int Total { get; init; }
    }

    /// <summary>
    /// Customers due now for a recurring service (last completed visit + recall interval, within the last year) with
    /// nothing later booked, longest overdue first. The location, service and staff filters apply to that last visit;
    /// the period does not (lapsed is about today). Read from cx.insight_last_visits (migration InsightLastVisits), which
    /// keeps each customer's last visit of each recalled service, by due date.
    /// </summary>
    public async Task<Paged<LapsedCustomer>> LapsedAsync(InsightsFilter filter, int page, int pageSize, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var q = new Query(filter) { Now = now };
        page = Math.Max(1, page);
        q.Add("take", NpgsqlDbType.Integer, pageSize);
        q.Add("skip", NpgsqlDbType.Integer, (page - 1) * pageSize);
        // Today is within a day of the UTC date anywhere: this coarse range lets the index on the due date narrow the
        // rows before each location's own today is worked out.
        var utcToday = DateOnly.FromDateTime(now.UtcDateTime);
        q.Add("due_after", NpgsqlDbType.Date, utcToday.AddDays(-366));
        q.Add("due_by", NpgsqlDbType.Date, utcToday.AddDays(1));
        // Each location's today, worked out once rather than for each row.
        const string locations = "(SELECT id, name, (@now AT TIME ZONE time_zone_id)::date AS today FROM cx.locations) l";
        var where = $"""
            WHERE NOT x.booked AND x.due > @due_after AND x.due <= @due_by
              AND x.due <= l.today AND x.due > l.today - 365
              {(filter.LocationId is null ? "" : "AND x.location_id = @location")}
              {(filter.ServiceId is null ? "" : "AND x.service_id = @service")}
              {(filter.StaffId is null ? "" : "AND @staff IN (x.performed_by_id, x.checked_in_by_id)")}
            """;
        var total = (await q.Run<Count>(db, $"""
            SELECT count(*)::int AS total FROM cx.insight_last_visits x JOIN {locations} ON l.id = x.location_id {where}
            """, ct)).Single().Total;
        var rows = total == 0 ? [] : await q.Run<LapsedRow>(db, $"""
            SELECT x.customer_id, x.service_id, c.full_name, c.phone, c.email, s.name AS service_name, l.name AS location_name,
                   x.day AS last_visit, x.due
            FROM cx.insight_last_visits x JOIN {locations} ON l.id = x.location_id
            JOIN cx.customers c ON c.id = x.customer_id JOIN cx.services s ON s.id = x.service_id
            {where}
            ORDER BY x.due, x.customer_id
            LIMIT @take OFFSET @skip
            """, ct);
        return new Paged<LapsedCustomer>(
            rows.ConvertAll(r => new LapsedCustomer(r.CustomerId, r.ServiceId, r.FullName, r.Phone, r.Email, r.ServiceName, r.LocationName, r.LastVisit, r.Due)),
            total, page, pageSize);
    }

    private sealed class CaseTotals
    {
        public int Open { get; init; }
        public int Overdue { get; init; }
        public int Contacted { get; init; }
        public double? MedianHours { get; init; }
    }

    private sealed class CauseRow
    {
        public DateOnly Month { get; init; }
        public string Cause { get; init; } = "";
        public int Cases { get; init; }
    }

    /// <summary>
    /// Open and overdue cases as they stand now (location, service and staff filters; not the period); the median
    /// time to first contact of the cases opened in the period; and the root causes of those resolved, per month.
    /// </summary>
    public async Task<RecoveryFigures> RecoveryAsync(InsightsFilter filter, CancellationToken ct)
    {
        var q = new Query(filter) { Now = clock.GetUtcNow() };
        var from = $"""
            FROM cx.recovery_cases k JOIN cx.locations l ON l.id = k.location_id
            LEFT JOIN cx.appointments a ON a.id = k.appointment_id
            LEFT JOIN cx.survey_responses sr ON sr.id = k.response_id
            WHERE true {q.CaseFilters()}
            """;
        var totals = (await q.Run<CaseTotals>(db, $"""
            SELECT count(*) FILTER (WHERE k.status <> 'Resolved')::int AS open,
                   count(*) FILTER (WHERE k.status = 'Open' AND k.due_at < @now)::int AS overdue,
                   count(*) FILTER (WHERE k.first_contact_at IS NOT NULL {q.VisitRange("k.opened_at")})::int AS contacted,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM k.first_contact_at - k.opened_at) / 3600.0)
                       FILTER (WHERE k.first_contact_at IS NOT NULL {q.VisitRange("k.opened_at")}) AS median_hours
            {from}
            """, ct)).Single();
        var causes = await q.Run<CauseRow>(db, $"""
            SELECT date_trunc('month', (k.opened_at AT TIME ZONE l.time_zone_id)::date)::date AS month, k.root_cause AS cause, count(*)::int AS cases
            {from} AND k.root_cause IS NOT NULL {q.VisitRange("k.opened_at")}
            GROUP BY 1, 2 ORDER BY 1, 2
            """, ct);
        return new RecoveryFigures(totals.Open, totals.Overdue, totals.MedianHours, totals.Contacted,
            causes.ConvertAll(c => new RootCauseMonth(c.Month, Enum.Parse<RootCause>(c.Cause), c.Cases)));
    }

    private sealed class CommentData
    {
        public Guid ResponseId { get; init; }
        public DateTimeOffset SubmittedAt { get; init; }
        public string LocationName { get; init; } = "";
        public string Channel { get; init; } = "";
        public string Comment { get; init; } = "";
        public string? Scores { get; init; }
        public bool? CaseClinical { get; init; }
        public int? CaseNumber { get; init; }
        public string? RootCause { get; init; }
    }

    /// <summary>
    /// Comments of the period, newest first, with their scores; a root cause filters on the case each opened.
    /// <paramref name="praiseOnly"/> keeps the comments of happy responses (kudos): at least one answer, none of them
    /// Neutral or below (≤ 3 of 5) and the recommend question, when answered, 9 or 10.
    /// </summary>
    public async Task<Paged<CommentRow>> CommentsAsync(InsightsFilter filter, RootCause? rootCause, int page, int pageSize, CancellationToken ct,
        bool praiseOnly = false)
    {
        var q = new Query(filter);
        page = Math.Max(1, page);
        q.Add("take", NpgsqlDbType.Integer, pageSize);
        q.Add("skip", NpgsqlDbType.Integer, (page - 1) * pageSize);
        var cause = "";
        if (rootCause is { } rc)
        {
            q.Add("root_cause", NpgsqlDbType.Text, rc.ToString());
            cause = "AND k.root_cause = @root_cause";
        }
        var praise = !praiseOnly ? "" : """
            AND EXISTS (SELECT 1 FROM cx.survey_answers s WHERE s.response_id = r.id)
            AND NOT EXISTS (SELECT 1 FROM cx.survey_answers s
                            JOIN cx.survey_questions sq ON sq.definition_version = r.definition_version AND sq.key = s.question_key
                            WHERE s.response_id = r.id
                              AND ((sq.scale = 'Labelled5' AND s.score <= 3) OR (sq.scale = 'Recommend10' AND s.score <= 8)))
            """;
        // The count and the page are two statements: a count over the window of the page would read every comment
        // of the period to return twenty (the partial indexes of commented responses serve both; InsightResponseIndexes).
        var from = $"""
            FROM r JOIN cx.locations l ON l.id = r.location_id
            LEFT JOIN cx.recovery_cases k ON k.response_id = r.id
            WHERE btrim(coalesce(r.comment, '')) <> '' {cause} {praise}
            """;
        var total = (await q.Run<Count>(db, $"""
            WITH r AS ({q.Responses()})
            SELECT count(*)::int AS total {from}
            """, ct)).Single().Total;
        var rows = total == 0 ? [] : await q.Run<CommentData>(db, $"""
            WITH r AS ({q.Responses()})
            SELECT r.id AS response_id, r.submitted_at, l.name AS location_name, r.channel, r.comment,
                   (SELECT string_agg(s.question_key || ':' || s.score, ',') FROM cx.survey_answers s WHERE s.response_id = r.id) AS scores,
                   k.clinical AS case_clinical, k.number AS case_number, k.root_cause
            {from}
            ORDER BY r.submitted_at DESC, r.id DESC
            LIMIT @take OFFSET @skip
            """, ct);
        return new Paged<CommentRow>(rows.ConvertAll(r => new CommentRow(
            r.ResponseId, r.SubmittedAt, r.LocationName, Enum.Parse<SurveyChannel>(r.Channel), r.Comment,
            (r.Scores ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split(':')).Select(p => (p[0], int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))).ToList(),
            // A case remembers what it was flagged; a comment that opened none is read the same way here.
            r.CaseClinical ?? ServiceRecovery.IsClinical(r.Comment), r.CaseNumber,
            r.RootCause is null ? null : Enum.Parse<RootCause>(r.RootCause))), total, page, pageSize);
    }

    /// <summary>
    /// Every response in the filter, oldest first, with its answers as "key:score" pairs, its visit's care team and the
    /// case it opened, streamed. The customer's name and contact details only when <paramref name="withContacts"/>.
    /// </summary>
    public IAsyncEnumerable<ResponseExportRow> ResponseRows(InsightsFilter filter, bool withContacts)
    {
        var q = new Query(filter);
        return q.Stream<ResponseExportRow>(db, $"""
            WITH r AS ({q.Responses()})
            SELECT r.day, r.local_time, l.name AS location_name, sv.name AS service_name, r.channel, r.is_partial, r.duration_seconds,
                   pu.display_name AS performed_by, cu.display_name AS checked_in_by,
                   (SELECT string_agg(s.question_key || ':' || s.score, ',') FROM cx.survey_answers s WHERE s.response_id = r.id) AS scores,
                   r.comment, r.contact_requested, k.number AS case_number,
                   {(withContacts ? "c.full_name AS customer_name, c.email AS customer_email, c.phone AS customer_phone" : "NULL AS customer_name, NULL AS customer_email, NULL AS customer_phone")}
            FROM r JOIN cx.locations l ON l.id = r.location_id
            LEFT JOIN cx.services sv ON sv.id = r.service_id
            LEFT JOIN cx.staff_users pu ON pu.id = r.performed_by_id
            LEFT JOIN cx.staff_users cu ON cu.id = r.checked_in_by_id
            LEFT JOIN cx.recovery_cases k ON k.response_id = r.id
            LEFT JOIN cx.customers c ON c.id = r.customer_id
            ORDER BY r.submitted_at, r.id
            """);
    }

    /// <summary>
    /// The cases opened in the filter's period (location, service, staff and channel as on the dashboard's recovery
    /// figures), oldest first, with local times at their location, streamed. Customer details only when <paramref name="withContacts"/>.
    /// </summary>
    public IAsyncEnumerable<CaseExportRow> CaseRows(InsightsFilter filter, bool withContacts)
    {
        var q = new Query(filter);
        return q.Stream<CaseExportRow>(db, $"""
            SELECT k.number, k.source, (k.opened_at AT TIME ZONE l.time_zone_id) AS opened, (k.due_at AT TIME ZONE l.time_zone_id) AS due,
                   (k.first_contact_at AT TIME ZONE l.time_zone_id) AS first_contact, (k.resolved_at AT TIME ZONE l.time_zone_id) AS resolved,
                   k.status, ou.display_name AS owner, k.root_cause, k.outcome, l.name AS location_name,
                   {(withContacts ? "c.full_name AS customer_name, c.email AS customer_email, c.phone AS customer_phone" : "NULL AS customer_name, NULL AS customer_email, NULL AS customer_phone")}
            FROM cx.recovery_cases k JOIN cx.locations l ON l.id = k.location_id
            LEFT JOIN cx.appointments a ON a.id = k.appointment_id
            LEFT JOIN cx.survey_responses sr ON sr.id = k.response_id
            LEFT JOIN cx.staff_users ou ON ou.id = k.owner_id
            LEFT JOIN cx.customers c ON c.id = k.customer_id
            WHERE true {q.CaseFilters()} {q.VisitRange("k.opened_at")}
            ORDER BY k.opened_at, k.number
            """);
    }

    /// <summary>The questions of the newest survey version, in order: figures follow questions by their stable key.</summary>
    public async Task<IReadOnlyList<SurveyQuestion>> CurrentQuestionsAsync(CancellationToken ct)
    {
        var version = await db.SurveyDefinitions.MaxAsync(d => d.Version, ct);
        return await db.SurveyQuestions.AsNoTracking().Where(q => q.DefinitionVersion == version).OrderBy(q => q.Position).ToListAsync(ct);
    }

    /// <summary>
    /// The daily counts added up per question (key '' for the responses themselves). Top box and detractors are
    /// counted as the answers arrive, by cx.insight_count (migration InsightRollups): 5 of 5, 9 or 10 of 10; 0 to 6 of 10.
    /// </summary>
    private const string Sums = """
        d.question_key AS key, d.scale, sum(d.answers)::int AS answers, sum(d.top_box)::int AS top_box, sum(d.detractors)::int AS detractors
        """;

    private Figure Proportion(int part, int whole)
    {
        var interval = InsightsMath.Wilson(part, whole);
        return new Figure(SurveyScoring.Percent(part, whole), whole, whole < MinResponses, interval?.Low * 100, interval?.High * 100);
    }

    private Figure Overall(IReadOnlyCollection<AnswerCounts> counts, int responses)
    {
        var band = InsightsMath.MeanWilson(counts.Select(c => (c.TopBox, c.Answers)));
        return new Figure(SurveyScoring.OverallTopBox(counts.Select(c => SurveyScoring.TopBoxPercent(c.TopBox, c.Answers))),
            responses, responses < MinResponses, band?.Low * 100, band?.High * 100);
    }

    private Figure NpsFigure(AnswerCounts? recommend) => recommend is null
        ? new Figure(null, 0, true)
        : new Figure(SurveyScoring.Nps(recommend.TopBox, recommend.Detractors, recommend.Answers), recommend.Answers, recommend.Answers < MinResponses);

    /// <summary>The filter as SQL conditions and typed parameters (a null is never sent: its condition is left out).</summary>
    private sealed class Query
    {
        private readonly InsightsFilter filter;
        private readonly List<NpgsqlParameter> parameters = [];

        public Query(InsightsFilter filter)
        {
            this.filter = filter;
            Add("from", NpgsqlDbType.Date, filter.From);
            Add("to", NpgsqlDbType.Date, filter.To);
            // Local dates are within a day of the UTC date anywhere on earth: this coarse range lets the indexes
            // on the timestamps narrow the rows before each row's local date is worked out.
            Add("from_utc", NpgsqlDbType.TimestampTz, new DateTimeOffset(filter.From.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
            Add("to_utc", NpgsqlDbType.TimestampTz, new DateTimeOffset(filter.To.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
            if (filter.LocationId is { } location) Add("location", NpgsqlDbType.Uuid, location);
            if (filter.ServiceId is { } service) Add("service", NpgsqlDbType.Uuid, service);
            if (filter.StaffId is { } staff) Add("staff", NpgsqlDbType.Text, staff);
            if (filter.Channel is { } channel) Add("channel", NpgsqlDbType.Text, channel.ToString());
        }

        public DateTimeOffset Now { set => Add("now", NpgsqlDbType.TimestampTz, value); }

        public void Add(string name, NpgsqlDbType type, object value) =>
            parameters.Add(new NpgsqlParameter(name, type) { Value = value });

        /// <summary>The responses in the filter, with their local date (<c>day</c>) and the visit's care team.</summary>
        public string Responses() => $"""
            SELECT r.id, r.definition_version, r.location_id, r.channel, r.submitted_at, r.duration_seconds, r.is_partial, r.comment,
                   r.contact_requested, r.customer_id, (r.submitted_at AT TIME ZONE l.time_zone_id)::date AS day,
                   (r.submitted_at AT TIME ZONE l.time_zone_id) AS local_time, a.service_id, a.performed_by_id, a.checked_in_by_id
            FROM cx.survey_responses r JOIN cx.locations l ON l.id = r.location_id
            LEFT JOIN cx.appointments a ON a.id = r.appointment_id
            WHERE r.submitted_at >= @from_utc AND r.submitted_at < @to_utc
              {LocalDays("r.submitted_at")}
              {(filter.LocationId is null ? "" : "AND r.location_id = @location")}
              {(filter.Channel is null ? "" : "AND r.channel = @channel")}
              {StaffAndService("a")}
            """;

        /// <summary>
        /// The survey counts in the filter, as <c>d</c> (see <see cref="Sums"/>): one row per care-team member when the
        /// filter names a staff member or <paramref name="perStaff"/> asks for them. The per-staff counts come from the
        /// monthly table for the calendar months wholly inside the period and from the daily one for the days around
        /// them (migration InsightStaffMonths), unless <paramref name="byDay"/> needs <c>d.day</c>.
        /// </summary>
        public string Cells(bool perStaff = false, bool byDay = false)
        {
            var filters = $"""
                {(filter.LocationId is null ? "" : "AND d.location_id = @location")}
                {(filter.Channel is null ? "" : "AND d.channel = @channel")}
                {(filter.ServiceId is null ? "" : "AND d.service_id = @service")}
                {(filter.StaffId is null ? "" : "AND d.staff_id = @staff")}
                """;
            if (!perStaff && filter.StaffId is null) return $"cx.insight_days d WHERE d.day BETWEEN @from AND @to {filters}";
            if (byDay) return $"cx.insight_staff_days d WHERE d.day BETWEEN @from AND @to {filters}";
            var (monthsFrom, monthsTo) = InsightsMath.WholeMonths(filter.From, filter.To);
            Add("months_from", NpgsqlDbType.Date, monthsFrom);
            Add("months_to", NpgsqlDbType.Date, monthsTo);
            const string columns = "d.staff_id, d.question_key, d.scale, d.answers, d.top_box, d.detractors";
            return $"""
                (SELECT {columns} FROM cx.insight_staff_months d WHERE d.month >= @months_from AND d.month < @months_to {filters}
                 UNION ALL
                 SELECT {columns} FROM cx.insight_staff_days d
                 WHERE d.day BETWEEN @from AND @to AND (d.day < @months_from OR d.day >= @months_to) {filters}) d
                """;
        }

        /// <summary>The daily visit counts of one measure in the filter, as <c>d</c> at location <c>l</c>.</summary>
        public string VisitCells(string measure) => $"""
            cx.insight_visit_days d JOIN cx.locations l ON l.id = d.location_id
            WHERE d.measure = '{measure}' AND d.staff_id = {(filter.StaffId is null ? "''" : "@staff")} AND d.day BETWEEN @from AND @to
              {(filter.LocationId is null ? "" : "AND d.location_id = @location")}
              {(filter.ServiceId is null ? "" : "AND d.service_id = @service")}
            """;

        /// <summary><paramref name="column"/>'s local date (at location <c>l</c>) in the period.</summary>
        public string VisitRange(string column) =>
            $"AND {column} >= @from_utc AND {column} < @to_utc {LocalDays(column)}";

        /// <summary>
        /// <paramref name="column"/>'s local date at location <c>l</c> from @from to @to, as the instants of the first
        /// local midnight and the one after the last day there: worked out once per location, so an index on the
        /// column narrows to them, instead of converting each row's time (the one cost that grew with the rows read).
        /// </summary>
        private static string LocalDays(string column) =>
            $"AND {column} >= (@from::timestamp AT TIME ZONE l.time_zone_id) AND {column} < ((@to + 1)::timestamp AT TIME ZONE l.time_zone_id)";

        public string CaseFilters() =>
            (filter.LocationId is null ? "" : "AND k.location_id = @location ")
            + (filter.Channel is null ? "" : "AND sr.channel = @channel ")
            + StaffAndService("a");

        private string StaffAndService(string visit)
        {
            var sql = new StringBuilder();
            if (filter.ServiceId is not null) sql.Append($"AND {visit}.service_id = @service ");
            if (filter.StaffId is not null) sql.Append($"AND (@staff IN ({visit}.performed_by_id, {visit}.checked_in_by_id)) ");
            return sql.ToString();
        }

        public async Task<List<T>> Run<T>(AppDbContext db, string sql, CancellationToken ct) =>
            await Stream<T>(db, sql).ToListAsync(ct);

        /// <summary>The rows one by one as Postgres sends them, for exports too long to hold in memory.</summary>
        public IAsyncEnumerable<T> Stream<T>(AppDbContext db, string sql)
        {
            // Each run gets its own parameter objects: Npgsql refuses one parameter in two commands.
            var copies = parameters.Select(p => (object)p.Clone()).ToArray();
            return db.Database.SqlQueryRaw<T>(sql, copies).AsAsyncEnumerable();
        }
    }
}
