using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Npgsql;
using static CustomerExperience.Tests.Insights.InsightsSeed;

namespace CustomerExperience.Tests.Insights;

/// <summary>
/// The daily survey counts (cx.insight_days, cx.insight_staff_days) that the figures add up are kept by triggers; after
/// every kind of change that moves a response to other cells, they must equal the counts worked out afresh from the
/// responses, answers, visits and locations (here by a query written independently of the triggers).
/// </summary>
public class InsightRollupsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset June2 = new(2026, 6, 2, 23, 30, 0, TimeSpan.FromHours(-4));
    private AppFactory app = null!;
    private InsightsSeed seed = null!;
    private InsightsSeed other = null!;
    private string clinician = "", desk = "";

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(InsightRollupsTests)));
        seed = new InsightsSeed(app.Services, await TestClinic.SeedAsync(app.Services));
        other = new InsightsSeed(app.Services, await TestClinic.SeedAsync(app.Services));
        clinician = await StaffSignIn.CreateAccountIdAsync(app.Services, StaffRoles.Clinician, "Rollup Clinician");
        desk = await StaffSignIn.CreateAccountIdAsync(app.Services, StaffRoles.FrontDesk, "Rollup Desk");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Counts_follow_every_change_that_moves_a_response()
    {
        var customer = await seed.CustomerAsync();
        var visit = await seed.VisitAsync(customer, June2.AddHours(-2), performedBy: clinician, checkedInBy: desk);
        var answered = await seed.ResponseAsync(June2, Scores(5, 4, 5, 2, 5, 5, 10), visit, customer);
        var sameMember = await seed.VisitAsync(customer, June2.AddHours(-1), performedBy: clinician, checkedInBy: clinician);
        await seed.ResponseAsync(June2.AddMinutes(5), Scores(wait: 1, recommend: 6), sameMember, customer, SurveyChannel.Email);
        var anonymous = await seed.ResponseAsync(June2.AddMinutes(10), Scores(3, 3, 3, 3, 3, 3, 3));
        await seed.ResponseAsync(June2.AddMinutes(11), Scores(), partial: true, seconds: null);
        await other.AnsweredVisitAsync(June2, Scores(welcome: 5, recommend: 9), performedBy: desk);
        var counted = await RollupAsync();
        Assert.Equal(await ExpectedAsync(), counted);
        // The responses of 2 June 23:30 New York time count on 2 June; the staff table has each member once per response.
        Assert.Contains(counted, c => c.StartsWith("2026-06-02|", StringComparison.Ordinal) && c.Contains($"|{clinician}|", StringComparison.Ordinal));
        Assert.Equal(2, counted.Count(c => c.Contains($"|{clinician}|", StringComparison.Ordinal) && c.Contains("|wait|Labelled5|", StringComparison.Ordinal)));

        Assert.Equal(await MonthsFromDaysAsync(), await MonthsAsync());
        Assert.NotEmpty(await MonthsAsync());
        Assert.Equal(await DurationsFromResponsesAsync(), await DurationsAsync());
        Assert.NotEmpty(await DurationsAsync());

        async Task Then(string sql)
        {
            await ExecuteAsync(sql);
            Assert.Equal(await ExpectedAsync(), await RollupAsync());
            Assert.Equal(await MonthsFromDaysAsync(), await MonthsAsync());
            Assert.Equal(await DurationsFromResponsesAsync(), await DurationsAsync());
        }

        await Then($"UPDATE cx.appointments SET performed_by_id = '{desk}' WHERE id = '{visit}'");
        await Then($"UPDATE cx.appointments SET checked_in_by_id = NULL, performed_by_id = NULL WHERE id = '{sameMember}'");
        await Then($"UPDATE cx.appointments SET service_id = '{other.Clinic.ServiceId}' WHERE id = '{visit}'");
        await Then($"UPDATE cx.survey_answers SET score = 5 WHERE response_id = '{answered}' AND question_key = 'wait'");
        await Then($"DELETE FROM cx.survey_answers WHERE response_id = '{answered}' AND question_key = 'recommend'");
        await Then($"INSERT INTO cx.survey_answers (response_id, question_key, score) VALUES ('{answered}', 'recommend', 0)");
        await Then($"UPDATE cx.survey_responses SET channel = 'Email', submitted_at = submitted_at + interval '3 days' WHERE id = '{anonymous}'");
        await Then($"UPDATE cx.survey_responses SET location_id = '{other.Clinic.LocationId}' WHERE id = '{anonymous}'");
        // The durations: a changed time, a response that turns partial and back, one moved into May.
        await Then($"UPDATE cx.survey_responses SET duration_seconds = 77 WHERE id = '{anonymous}'");
        await Then($"UPDATE cx.survey_responses SET is_partial = true WHERE id = '{answered}'");
        await Then($"UPDATE cx.survey_responses SET is_partial = false WHERE id = '{answered}'");
        await Then($"UPDATE cx.survey_responses SET submitted_at = submitted_at - interval '10 days' WHERE id = '{answered}'");
        // Auckland is 16 hours ahead of New York: 2 June 23:30 there is 3 June 15:30.
        await Then($"UPDATE cx.locations SET time_zone_id = 'Pacific/Auckland' WHERE id = '{seed.Clinic.LocationId}'");
        await Then($"DELETE FROM cx.survey_responses WHERE id = '{anonymous}'");
        await Then($"DELETE FROM cx.survey_responses WHERE appointment_id = '{sameMember}'");
        await Then($"DELETE FROM cx.appointments WHERE id = '{visit}'");
        Assert.Contains(await RollupAsync(), c => c.StartsWith("2026-06-03|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Visit_counts_follow_every_change_as_a_fresh_count_would_give_them()
    {
        var customer = await seed.CustomerAsync();
        var first = await seed.VisitAsync(customer, June2.AddYears(-1), performedBy: clinician, checkedInBy: desk);
        var second = await seed.VisitAsync(customer, June2, performedBy: clinician, source: BookingSource.FrontDesk, createdAt: June2.AddYears(-1).AddHours(1));
        await seed.VisitAsync(customer, June2.AddMonths(1), AppointmentStatus.NoShow);
        var booked = await seed.VisitAsync(customer, June2.AddYears(1), AppointmentStatus.Booked, createdAt: June2.AddDays(10));
        await seed.RecallEmailAsync(customer, June2.AddDays(-20));
        var recall = await seed.RecallEmailAsync(customer, June2.AddDays(5), OutboundEmailStatus.Pending);
        var elsewhere = await other.CustomerAsync();
        await other.VisitAsync(elsewhere, June2, checkedInBy: desk);
        Assert.Equal(await FreshVisitCountsAsync(), await VisitCountsAsync());
        Assert.Contains(await VisitCountsAsync(), c => c.StartsWith($"{clinician}|", StringComparison.Ordinal) && c.Contains("|due|", StringComparison.Ordinal));

        async Task Then(string sql)
        {
            await ExecuteAsync(sql);
            Assert.Equal(await FreshVisitCountsAsync(), await VisitCountsAsync());
        }

        await Then($"UPDATE cx.outbound_emails SET status = 'Sent', sent_at = now() - interval '1 day' WHERE id = '{recall}'");
        await Then($"UPDATE cx.appointments SET status = 'Cancelled' WHERE id = '{second}'");
        await Then($"UPDATE cx.appointments SET status = 'Completed', completed_at = start + interval '20 minutes' WHERE id = '{second}'");
        await Then($"UPDATE cx.appointments SET performed_by_id = '{desk}', checked_in_by_id = NULL WHERE id = '{first}'");
        await Then($"UPDATE cx.appointments SET customer_id = '{elsewhere}' WHERE id = '{booked}'");
        await Then($"UPDATE cx.appointments SET start = start - interval '400 days', \"end\" = \"end\" - interval '400 days', blocked_until = blocked_until - interval '400 days' WHERE id = '{booked}'");
        // A booking the exclusion constraint turns away inserts nothing, and must count nothing.
        await Then($"""
            INSERT INTO cx.appointments (id, customer_id, service_id, location_id, resource_id, start, "end", blocked_until, status, source, calendar_sequence, created_at)
            SELECT gen_random_uuid(), customer_id, service_id, location_id, resource_id, start, "end", blocked_until, 'Booked', 'Online', 0, now()
            FROM cx.appointments WHERE id = '{second}' ON CONFLICT DO NOTHING
            """);
        await Then($"UPDATE cx.services SET recall_interval_days = 200 WHERE id = '{seed.Clinic.ServiceId}'");
        await Then($"UPDATE cx.locations SET time_zone_id = 'Pacific/Auckland' WHERE id = '{seed.Clinic.LocationId}'");
        await Then($"DELETE FROM cx.outbound_emails WHERE id = '{recall}'");
        await Then($"DELETE FROM cx.survey_responses WHERE appointment_id = '{first}'");
        await Then($"DELETE FROM cx.appointments WHERE id = '{first}'");
    }

    [Fact]
    public async Task Last_visits_follow_every_change_as_the_visits_give_them()
    {
        var customer = await seed.CustomerAsync();
        var first = await seed.VisitAsync(customer, June2.AddYears(-1), performedBy: clinician, checkedInBy: desk);
        var second = await seed.VisitAsync(customer, June2, performedBy: clinician);
        var booked = await seed.VisitAsync(customer, June2.AddYears(1), AppointmentStatus.Booked);
        var elsewhere = await other.CustomerAsync();
        await other.VisitAsync(elsewhere, June2, checkedInBy: desk);
        Assert.Equal(await FreshLastVisitsAsync(), await LastVisitsAsync());
        // The last of the customer's two visits, due a year on (365 days), with the next one booked.
        Assert.Contains(await LastVisitsAsync(), r => r.StartsWith(
            $"{customer}|{seed.Clinic.ServiceId}|{second}|2026-06-02|2027-06-02|{clinician}|-|True|", StringComparison.Ordinal));

        async Task Then(string sql)
        {
            await ExecuteAsync(sql);
            Assert.Equal(await FreshLastVisitsAsync(), await LastVisitsAsync());
        }

        await Then($"UPDATE cx.appointments SET status = 'Cancelled' WHERE id = '{booked}'");
        await Then($"UPDATE cx.appointments SET status = 'Cancelled' WHERE id = '{second}'");
        await Then($"UPDATE cx.appointments SET status = 'Completed', completed_at = start + interval '20 minutes' WHERE id = '{second}'");
        await Then($"UPDATE cx.appointments SET performed_by_id = '{desk}', checked_in_by_id = NULL WHERE id = '{second}'");
        await Then($"UPDATE cx.appointments SET status = 'Booked' WHERE id = '{booked}'");
        await Then($"UPDATE cx.appointments SET customer_id = '{elsewhere}' WHERE id = '{second}'");
        await Then($"UPDATE cx.appointments SET service_id = '{other.Clinic.ServiceId}', location_id = '{other.Clinic.LocationId}', resource_id = '{other.Clinic.RoomId}' WHERE id = '{first}'");
        await Then($"UPDATE cx.services SET recall_interval_days = 200 WHERE id = '{other.Clinic.ServiceId}'");
        await Then($"UPDATE cx.locations SET time_zone_id = 'Pacific/Auckland' WHERE id = '{other.Clinic.LocationId}'");
        await Then($"UPDATE cx.services SET recall_interval_days = NULL WHERE id = '{seed.Clinic.ServiceId}'");
        await Then($"UPDATE cx.services SET recall_interval_days = 365 WHERE id = '{seed.Clinic.ServiceId}'");
        await Then($"DELETE FROM cx.survey_responses WHERE appointment_id = '{first}'");
        await Then($"DELETE FROM cx.appointments WHERE id = '{first}'");
        Assert.Contains(await LastVisitsAsync(), r => r.StartsWith($"{elsewhere}|{seed.Clinic.ServiceId}|{second}|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_visit_booked_while_another_is_cancelled_leaves_the_customer_booked()
    {
        var customer = await seed.CustomerAsync();
        await seed.VisitAsync(customer, June2);
        var cancelled = await seed.VisitAsync(customer, June2.AddYears(1), AppointmentStatus.Booked);

        // One transaction books a visit and has not committed; another cancels the customer's other booking meanwhile.
        await using var booking = new NpgsqlConnection(app.ConnectionString);
        await booking.OpenAsync();
        await using var bookingTransaction = await booking.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO cx.appointments (id, customer_id, service_id, location_id, resource_id, start, "end", blocked_until, status, source, calendar_sequence, created_at)
            SELECT gen_random_uuid(), customer_id, service_id, location_id, resource_id, start + interval '2 days', "end" + interval '2 days',
                   blocked_until + interval '2 days', 'Booked', 'Online', 0, now()
            FROM cx.appointments WHERE id = '{cancelled}'
            """, booking, bookingTransaction))
            await insert.ExecuteNonQueryAsync();
        var cancelling = ExecuteAsync($"UPDATE cx.appointments SET status = 'Cancelled' WHERE id = '{cancelled}'");
        await WaitUntilBlockedAsync(cancelling);
        await bookingTransaction.CommitAsync();
        await cancelling;

        Assert.Equal(await FreshLastVisitsAsync(), await LastVisitsAsync());
        Assert.Contains("|True|", Assert.Single(await LastVisitsAsync(), r => r.StartsWith($"{customer}|", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    /// <summary>Until some statement waits for a lock another transaction holds (or the given one ends early).</summary>
    // Postgres tells no one when a session starts to wait for a lock: pg_stat_activity is polled (Eventually).
    private Task WaitUntilBlockedAsync(Task statement) =>
        Eventually.TrueAsync(async () => statement.IsCompleted
                || (await RowsAsync("SELECT count(*)::text FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).Single() != "0",
            TimeSpan.FromSeconds(30), "a statement to wait for a lock");

    private const string LastVisits = """
        SELECT customer_id || '|' || service_id || '|' || appointment_id || '|' || day || '|' || due || '|' || coalesce(performed_by_id, '-')
               || '|' || coalesce(checked_in_by_id, '-') || '|' || CASE WHEN booked THEN 'True' ELSE 'False' END || '|' || location_id
        FROM cx.insight_last_visits ORDER BY 1
        """;

    private Task<List<string>> LastVisitsAsync() => RowsAsync(LastVisits);

    /// <summary>The same rows worked out independently of the triggers: each pair's last completed visit, and what is booked after it.</summary>
    private Task<List<string>> FreshLastVisitsAsync() => RowsAsync("""
        SELECT a.customer_id || '|' || a.service_id || '|' || a.id || '|' || (a.start AT TIME ZONE l.time_zone_id)::date || '|'
               || ((a.start AT TIME ZONE l.time_zone_id)::date + s.recall_interval_days) || '|' || coalesce(a.performed_by_id, '-')
               || '|' || coalesce(a.checked_in_by_id, '-') || '|'
               || CASE WHEN EXISTS (SELECT 1 FROM cx.appointments b WHERE b.customer_id = a.customer_id AND b.service_id = a.service_id
                                    AND b.start > a.start AND b.status IN ('Booked', 'CheckedIn')) THEN 'True' ELSE 'False' END
               || '|' || a.location_id
        FROM cx.appointments a JOIN cx.locations l ON l.id = a.location_id JOIN cx.services s ON s.id = a.service_id
        WHERE a.status = 'Completed' AND s.recall_interval_days IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM cx.appointments c WHERE c.customer_id = a.customer_id AND c.service_id = a.service_id
                            AND c.status = 'Completed' AND c.start > a.start)
        ORDER BY 1
        """);

    private const string VisitCounts = """
        SELECT staff_id || '|' || location_id || '|' || measure || '|' || day || '|' || service_id || '|' || visits || '|' || hits
        FROM cx.insight_visit_days WHERE visits <> 0 OR hits <> 0 ORDER BY 1
        """;

    private Task<List<string>> VisitCountsAsync() => RowsAsync(VisitCounts);

    /// <summary>The visit counts worked out from scratch over every customer and service (then thrown away).</summary>
    private async Task<List<string>> FreshVisitCountsAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var recount = new NpgsqlCommand("""
            DELETE FROM cx.insight_visit_days;
            SELECT cx.insight_count_visits(array_agg(customer_id), array_agg(service_id), 1)
            FROM (SELECT DISTINCT customer_id, service_id FROM cx.appointments) pairs HAVING count(*) > 0;
            """, connection, transaction))
            await recount.ExecuteNonQueryAsync();
        var rows = await ReadAsync(new NpgsqlCommand(VisitCounts, connection, transaction));
        await transaction.RollbackAsync();
        return rows;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        return await ReadAsync(new NpgsqlCommand(sql, connection));
    }

    private static async Task<List<string>> ReadAsync(NpgsqlCommand command)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
                rows.Add(reader.GetString(0));
            return rows;
        }
    }

    private const string Cell = "day::text || '|' || location_id || '|' || channel || '|' || service_id || '|' || staff_id || '|' || question_key || '|' || scale || '|' || answers || '|' || top_box || '|' || detractors";

    /// <summary>What the triggers keep, rows that came back to zero left out.</summary>
    private Task<List<string>> RollupAsync() => RowsAsync($"""
        SELECT {Cell} FROM (
            SELECT day, location_id, channel, service_id, '' AS staff_id, question_key, scale, answers, top_box, detractors FROM cx.insight_days
            UNION ALL
            SELECT day, location_id, channel, service_id, staff_id, question_key, scale, answers, top_box, detractors FROM cx.insight_staff_days) x
        WHERE answers <> 0 OR top_box <> 0 OR detractors <> 0
        ORDER BY 1
        """);

    private const string MonthCell = "month::text || '|' || location_id || '|' || channel || '|' || service_id || '|' || staff_id || '|' || question_key || '|' || scale || '|' || answers || '|' || top_box || '|' || detractors";

    /// <summary>The per-staff months the triggers keep from the days, cells that came back to zero left out.</summary>
    private Task<List<string>> MonthsAsync() => RowsAsync($"""
        SELECT {MonthCell} FROM cx.insight_staff_months WHERE answers <> 0 OR top_box <> 0 OR detractors <> 0 ORDER BY 1
        """);

    /// <summary>The days added up by month afresh.</summary>
    private Task<List<string>> MonthsFromDaysAsync() => RowsAsync($"""
        SELECT {MonthCell} FROM (
            SELECT date_trunc('month', day)::date AS month, location_id, channel, service_id, staff_id, question_key, scale,
                   sum(answers) AS answers, sum(top_box) AS top_box, sum(detractors) AS detractors
            FROM cx.insight_staff_days GROUP BY 1, 2, 3, 4, 5, 6, 7) x
        WHERE answers <> 0 OR top_box <> 0 OR detractors <> 0
        ORDER BY 1
        """);

    /// <summary>The monthly counts of survey durations the triggers keep, cells that came back to zero left out.</summary>
    private Task<List<string>> DurationsAsync() => RowsAsync("""
        SELECT month::text || '|' || location_id || '|' || channel || '|' || seconds || '|' || responses
        FROM cx.insight_duration_months WHERE responses <> 0 ORDER BY 1
        """);

    /// <summary>The same counted afresh from the complete responses and their locations' zones.</summary>
    private Task<List<string>> DurationsFromResponsesAsync() => RowsAsync("""
        SELECT month::text || '|' || location_id || '|' || channel || '|' || seconds || '|' || responses FROM (
            SELECT date_trunc('month', (r.submitted_at AT TIME ZONE l.time_zone_id)::date)::date AS month, r.location_id, r.channel,
                   r.duration_seconds AS seconds, count(*) AS responses
            FROM cx.survey_responses r JOIN cx.locations l ON l.id = r.location_id
            WHERE NOT r.is_partial AND r.duration_seconds IS NOT NULL
            GROUP BY 1, 2, 3, 4) x
        ORDER BY 1
        """);

    /// <summary>The same counts from the rows as they stand.</summary>
    private Task<List<string>> ExpectedAsync() => RowsAsync($"""
        WITH responses AS (
            SELECT r.id, r.definition_version, (r.submitted_at AT TIME ZONE l.time_zone_id)::date AS day, r.location_id, r.channel,
                   coalesce(a.service_id, '00000000-0000-0000-0000-000000000000'::uuid) AS service_id, a.performed_by_id, a.checked_in_by_id
            FROM cx.survey_responses r JOIN cx.locations l ON l.id = r.location_id LEFT JOIN cx.appointments a ON a.id = r.appointment_id),
        members AS (
            SELECT id, '' AS staff_id FROM responses
            UNION SELECT id, performed_by_id FROM responses WHERE performed_by_id IS NOT NULL
            UNION SELECT id, checked_in_by_id FROM responses WHERE checked_in_by_id IS NOT NULL),
        items AS (
            SELECT r.id, '' AS question_key, '' AS scale, NULL::int AS score FROM responses r
            UNION ALL
            SELECT r.id, s.question_key, q.scale, s.score FROM responses r JOIN cx.survey_answers s ON s.response_id = r.id
            JOIN cx.survey_questions q ON q.definition_version = r.definition_version AND q.key = s.question_key)
        SELECT {Cell} FROM (
            SELECT r.day, r.location_id, r.channel, r.service_id, m.staff_id, i.question_key, i.scale, count(*) AS answers,
                   count(*) FILTER (WHERE (i.scale = 'Labelled5' AND i.score = 5) OR (i.scale = 'Recommend10' AND i.score IN (9, 10))) AS top_box,
                   count(*) FILTER (WHERE i.scale = 'Recommend10' AND i.score BETWEEN 0 AND 6) AS detractors
            FROM responses r JOIN members m ON m.id = r.id JOIN items i ON i.id = r.id
            GROUP BY 1, 2, 3, 4, 5, 6, 7) x
        ORDER BY 1
        """);
}
