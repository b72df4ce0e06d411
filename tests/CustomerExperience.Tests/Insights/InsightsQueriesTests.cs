using Npgsql;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Insights;
using CustomerExperience.Web.Staff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using static CustomerExperience.Tests.Insights.InsightsSeed;

namespace CustomerExperience.Tests.Insights;

/// <summary>
/// Every figure of the query layer on a small clinic whose answers were counted by hand (New York, June 2026, EDT = UTC−4).
/// <code>
///  resp | booking reminders welcome wait explained comfort recommend | submitted (local)   channel
///  R1   |   5       5        5      5      5        5       10      | Tue 2 Jun           kiosk
///  R2   |   5       5        5      4      5        5        9      | Tue 2 Jun           kiosk
///  R3   |   5       5        5      3      5        5        9      | Tue 2 Jun           kiosk
///  R4   |   5       4        5      2      5        5        8      | Tue 2 Jun           kiosk
///  R5   |   4       4        5      1      5        5        7      | Tue 2 Jun           kiosk
///  R6   |   4       -        5      5      5        5       10      | Tue 16 Jun          kiosk
///  R7   |   4       -        4      5      5        5        3      | Tue 16 Jun          kiosk
///  R8   |   4       -        4      5      5        5        0      | Tue 16 Jun          email
///  R9   |   -       -        -      -      4        5        -      | Tue 16 Jun          email
///  R10  |   -       -        -      -      3        5        -      | Tue 30 Jun 22:30    email (1 Jul 02:30Z), partial
///  R0   |   -       -        -      -      5        -        -      | Sun 31 May 22:00    kiosk (1 Jun 02:00Z): previous period
/// </code>
/// Top-box: booking 4/8 = 50 %, reminders 3/5 = 60 %, welcome 6/8 = 75 %, wait 4/8 = 50 %, explained 8/10 = 80 %,
/// comfort 10/10 = 100 %, recommend 4/8 = 50 %; overall = 465/7 = 66.43 %; NPS = (4 − 2)/8 = +25.
/// </summary>
public class InsightsQueriesTests(InsightsQueriesTests.HandCountedClinic clinic) : IClassFixture<InsightsQueriesTests.HandCountedClinic>
{
    private static readonly TimeSpan Edt = TimeSpan.FromHours(-4);
    private static readonly DateTimeOffset Now = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly InsightsFilter June = new(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30));
    /// <summary>The clinic of the table above, seeded once for the class: every test here only reads.</summary>
    public sealed class HandCountedClinic : IAsyncLifetime
    {
        private readonly FakeTimeProvider clock = new(Now);
        public AppFactory App { get; private set; } = null!;
        public InsightsSeed Seed { get; private set; } = null!;
        public InsightsSeed Other { get; private set; } = null!;
        public string Performer30 { get; private set; } = "";
        public string Performer29 { get; private set; } = "";
        public Dictionary<string, Guid> Customers { get; } = [];
        public Dictionary<string, Guid> Responses { get; } = [];

        private static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, Edt);

        public async Task InitializeAsync()
        {
            App = new AppFactory(await TestDatabases.CreateAsync(nameof(InsightsQueriesTests)))
            {
                TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
            };
            Seed = new InsightsSeed(App.Services, await TestClinic.SeedAsync(App.Services));
            Other = new InsightsSeed(App.Services, await TestClinic.SeedAsync(App.Services));

            var tuesday2 = Local(2026, 6, 2, 11);
            var tuesday16 = Local(2026, 6, 16, 11);
            var rows = new (string Name, DateTimeOffset At, Dictionary<string, int> Scores, SurveyChannel Channel, int Seconds, bool Partial, string? Comment)[]
            {
                ("R1", tuesday2, Scores(5, 5, 5, 5, 5, 5, 10), SurveyChannel.Kiosk, 20, false, "Lovely staff, thank you"),
                ("R2", tuesday2.AddMinutes(10), Scores(5, 5, 5, 4, 5, 5, 9), SurveyChannel.Kiosk, 25, false, null),
                ("R3", tuesday2.AddMinutes(20), Scores(5, 5, 5, 3, 5, 5, 9), SurveyChannel.Kiosk, 30, false, null),
                ("R4", tuesday2.AddMinutes(30), Scores(5, 4, 5, 2, 5, 5, 8), SurveyChannel.Kiosk, 35, false, null),
                ("R5", tuesday2.AddMinutes(40), Scores(4, 4, 5, 1, 5, 5, 7), SurveyChannel.Kiosk, 40, false, null),
                ("R6", tuesday16, Scores(4, null, 5, 5, 5, 5, 10), SurveyChannel.Kiosk, 45, false, null),
                ("R7", tuesday16.AddMinutes(10), Scores(4, null, 4, 5, 5, 5, 3), SurveyChannel.Kiosk, 50, false, "Waited an hour and nobody told me why"),
                ("R8", tuesday16.AddMinutes(20), Scores(4, null, 4, 5, 5, 5, 0), SurveyChannel.Email, 55, false, "The compression was painful"),
                ("R9", tuesday16.AddMinutes(30), Scores(null, null, null, null, 4, 5, null), SurveyChannel.Email, 60, false, null),
                ("R10", Local(2026, 6, 30, 22, 30), Scores(null, null, null, null, 3, 5, null), SurveyChannel.Email, 300, true, null),
                ("R0", Local(2026, 5, 31, 22), Scores(explained: 5), SurveyChannel.Kiosk, 30, false, null),
            };
            foreach (var row in rows)
                Responses[row.Name] = await Seed.AnsweredVisitAsync(row.At, row.Scores, channel: row.Channel, seconds: row.Seconds, partial: row.Partial, comment: row.Comment);

            // Two completed visits without a response: June has 12 completed visits for its 10 responses.
            var unanswered1 = await Seed.CustomerAsync();
            var unanswered2 = await Seed.CustomerAsync();
            var unansweredVisit = await Seed.VisitAsync(unanswered1, Local(2026, 6, 22, 9));
            await Seed.VisitAsync(unanswered2, Local(2026, 6, 22, 10));
            // No-shows: 3 of the 15 June visits that were due to happen (12 completed + 3); cancelled and future ones do not count.
            for (var i = 0; i < 3; i++)
                await Seed.VisitAsync(await Seed.CustomerAsync(), Local(2026, 6, 23, 9 + i), AppointmentStatus.NoShow);
            await Seed.VisitAsync(await Seed.CustomerAsync(), Local(2026, 6, 24, 9), AppointmentStatus.Cancelled);

            // Next visit booked before leaving: of the 12 completed June visits, one customer booked the next one the same
            // day at the desk; another's was booked by the rebooking job; a third booked the next day.
            await Seed.VisitAsync(unanswered1, Local(2027, 6, 22, 9), AppointmentStatus.Booked, source: BookingSource.FrontDesk, createdAt: Local(2026, 6, 22, 9, 20));
            await Seed.VisitAsync(unanswered2, Local(2027, 6, 22, 10), AppointmentStatus.Booked, source: BookingSource.Rebooking, createdAt: Local(2026, 6, 22, 10, 30));
            var r1Customer = await Seed.WithDbAsync(db => Task.FromResult(db.SurveyResponses.Single(r => r.Id == Responses["R1"]).CustomerId!.Value));
            await Seed.VisitAsync(r1Customer, Local(2027, 6, 2, 9), AppointmentStatus.Booked, source: BookingSource.Online, createdAt: Local(2026, 6, 3, 8));
            _ = unansweredVisit;

            // Retention (recall interval 365 days): due in January 2026, every 90-day window closed by 1 July.
            Customers["C1"] = await Seed.CustomerAsync("Carla One");
            await Seed.VisitAsync(Customers["C1"], Local(2025, 1, 10, 9));
            await Seed.VisitAsync(Customers["C1"], Local(2026, 3, 1, 9)); // due 10 Jan, back 1 Mar: retained
            Customers["C2"] = await Seed.CustomerAsync("Cody Two");
            await Seed.VisitAsync(Customers["C2"], Local(2025, 1, 12, 9));
            await Seed.VisitAsync(Customers["C2"], Local(2026, 5, 1, 9)); // due 12 Jan, back after 12 Apr: not retained
            Customers["C3"] = await Seed.CustomerAsync("Cleo Three");
            await Seed.VisitAsync(Customers["C3"], Local(2025, 1, 15, 9)); // due 15 Jan, never back: lost, lapsed
            Customers["C4"] = await Seed.CustomerAsync("Cass Four");
            await Seed.VisitAsync(Customers["C4"], Local(2025, 1, 20, 9));
            await Seed.VisitAsync(Customers["C4"], Local(2025, 12, 20, 9)); // due 20 Jan, came early: retained
            Customers["C5"] = await Seed.CustomerAsync("Cyd Five");
            await Seed.VisitAsync(Customers["C5"], Local(2024, 12, 20, 9)); // due 20 Dec 2025: outside January; lapsed
            Customers["C6"] = await Seed.CustomerAsync("Cam Six");
            await Seed.VisitAsync(Customers["C6"], Local(2025, 6, 15, 9)); // due 15 Jun 2026: still within its 90 days
            Customers["C7"] = await Seed.CustomerAsync("Cy Seven");
            await Seed.VisitAsync(Customers["C7"], Local(2024, 5, 1, 9)); // due May 2025: lapsed more than a year ago, not listed

            // Recall conversion in June: 3 sent recall emails, one followed by a booking within 30 days.
            await Seed.RecallEmailAsync(Customers["C6"], Local(2026, 6, 1, 9));
            await Seed.VisitAsync(Customers["C6"], Local(2026, 7, 20, 9), AppointmentStatus.Booked, createdAt: Local(2026, 6, 20, 12));
            await Seed.RecallEmailAsync(Customers["C3"], Local(2026, 6, 2, 9));
            await Seed.RecallEmailAsync(Customers["C3"], Local(2026, 6, 16, 9));
            await Seed.RecallEmailAsync(Customers["C5"], Local(2026, 5, 20, 9)); // previous period
            await Seed.RecallEmailAsync(Customers["C2"], Local(2026, 6, 3, 9), OutboundEmailStatus.Dead); // never sent

            // Cases: June median time to first contact of 2 h, 6 h, 4 h = 4 h; one overdue; root causes of June: wait time ×2.
            await Seed.CaseAsync(Local(2026, 6, 2, 10), CaseStatus.Resolved, TimeSpan.FromHours(2), RootCause.WaitTime);
            await Seed.CaseAsync(Local(2026, 6, 16, 10), CaseStatus.Resolved, TimeSpan.FromHours(6), RootCause.WaitTime, responseId: Responses["R7"]);
            await Seed.CaseAsync(Local(2026, 6, 20, 10), CaseStatus.Contacted, TimeSpan.FromHours(4));
            await Seed.CaseAsync(Local(2026, 6, 25, 10), CaseStatus.Open, dueAt: Local(2026, 6, 26, 10));
            await Seed.CaseAsync(Local(2026, 5, 15, 10), CaseStatus.Resolved, TimeSpan.FromHours(1), RootCause.Communication);
            await Seed.CaseAsync(Local(2026, 6, 30, 10), CaseStatus.Open, dueAt: Local(2026, 7, 2, 10));

            // The other location: one performer with 30 answered visits (27 top-box), one with 29.
            Performer30 = await StaffSignIn.CreateAccountIdAsync(App.Services, StaffRoles.Clinician, "Pat Thirty");
            Performer29 = await StaffSignIn.CreateAccountIdAsync(App.Services, StaffRoles.Clinician, "Pip TwentyNine");
            for (var i = 0; i < 30; i++)
                await Other.AnsweredVisitAsync(Local(2026, 6, 10, 8).AddMinutes(5 * i), Scores(explained: i < 27 ? 5 : 4), performedBy: Performer30);
            for (var i = 0; i < 29; i++)
                await Other.AnsweredVisitAsync(Local(2026, 6, 11, 8).AddMinutes(5 * i), Scores(explained: 5), performedBy: Performer29);
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    private AppFactory app => clinic.App;
    private InsightsSeed seed => clinic.Seed;
    private InsightsSeed other => clinic.Other;
    private string performer30 => clinic.Performer30;
    private string performer29 => clinic.Performer29;
    private Dictionary<string, Guid> customers => clinic.Customers;
    private Dictionary<string, Guid> responses => clinic.Responses;

    private async Task<T> QueryAsync<T>(Func<InsightsQueries, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<InsightsQueries>());
    }

    private InsightsFilter JuneHere => June with { LocationId = seed.Clinic.LocationId };

    [Fact]
    public async Task Top_box_per_question_counts_answers_not_skips()
    {
        var figures = await QueryAsync(q => q.SatisfactionAsync(JuneHere, default));

        var byKey = figures.Questions.ToDictionary(q => q.Key);
        Assert.Equal(["booking", "reminders", "welcome", "wait", "explained", "comfort", "recommend"], figures.Questions.Select(q => q.Key));
        Assert.Equal((8, 4, 50.0), (byKey["booking"].Answers, byKey["booking"].TopBox, byKey["booking"].TopBoxPercent.Value!.Value));
        Assert.Equal((5, 3, 60.0), (byKey["reminders"].Answers, byKey["reminders"].TopBox, byKey["reminders"].TopBoxPercent.Value!.Value));
        Assert.Equal((8, 6, 75.0), (byKey["welcome"].Answers, byKey["welcome"].TopBox, byKey["welcome"].TopBoxPercent.Value!.Value));
        Assert.Equal((8, 4, 50.0), (byKey["wait"].Answers, byKey["wait"].TopBox, byKey["wait"].TopBoxPercent.Value!.Value));
        Assert.Equal((10, 8, 80.0), (byKey["explained"].Answers, byKey["explained"].TopBox, byKey["explained"].TopBoxPercent.Value!.Value));
        Assert.Equal((10, 10, 100.0), (byKey["comfort"].Answers, byKey["comfort"].TopBox, byKey["comfort"].TopBoxPercent.Value!.Value));
        Assert.Equal((8, 4, 50.0), (byKey["recommend"].Answers, byKey["recommend"].TopBox, byKey["recommend"].TopBoxPercent.Value!.Value));
        // 8 of 10 "explained": the Wilson interval 49.02 %–94.33 %.
        Assert.Equal(49.02, byKey["explained"].TopBoxPercent.Low!.Value, 2);
        Assert.Equal(94.33, byKey["explained"].TopBoxPercent.High!.Value, 2);
        Assert.Equal(465.0 / 7, figures.OverallTopBox.Value!.Value, 6);
    }

    [Fact]
    public async Task Nps_responses_response_rate_and_median_time()
    {
        var figures = await QueryAsync(q => q.SatisfactionAsync(JuneHere, default));

        Assert.Equal(25.0, figures.Nps.Value);
        Assert.Equal(8, figures.Nps.N);
        // R0 fell on 31 May in New York although it is 1 June in UTC; R10 on 30 June although 1 July in UTC.
        Assert.Equal(10, figures.Responses);
        Assert.Equal(12, figures.CompletedVisits);
        Assert.Equal(100.0 * 10 / 12, figures.ResponseRate.Value!.Value, 6);
        // The partial response's 300 s are left out: the median of 20, 25, …, 60 s.
        Assert.Equal(40.0, await QueryAsync(q => q.MedianSecondsAsync(JuneHere, default)));
        // Below 30 responses every figure says so.
        Assert.True(figures.OverallTopBox.TooFew);
        Assert.True(figures.Nps.TooFew);
    }

    [Theory]
    // Whole months from the monthly duration counts, the days around them from the responses, or all from the responses.
    [InlineData("2026-06-01", "2026-06-30")]
    [InlineData("2026-05-15", "2026-07-15")]
    [InlineData("2026-05-31", "2026-06-30")]
    [InlineData("2026-06-02", "2026-06-29")]
    [InlineData("2026-01-01", "2026-12-31")]
    public async Task The_median_time_is_the_median_of_the_complete_responses_themselves(string from, string to)
    {
        var period = JuneHere with { From = DateOnly.Parse(from), To = DateOnly.Parse(to) };
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r.duration_seconds)
            FROM cx.survey_responses r JOIN cx.locations l ON l.id = r.location_id
            WHERE NOT r.is_partial AND r.location_id = @location AND (r.submitted_at AT TIME ZONE l.time_zone_id)::date BETWEEN @from AND @to
            """, connection);
        command.Parameters.AddWithValue("location", seed.Clinic.LocationId);
        command.Parameters.AddWithValue("from", period.From);
        command.Parameters.AddWithValue("to", period.To);
        var expected = await command.ExecuteScalarAsync() as double?;

        Assert.NotNull(expected);
        Assert.Equal(expected, await QueryAsync(q => q.MedianSecondsAsync(period, default)));
    }

    [Fact]
    public async Task The_previous_period_is_the_same_length_just_before()
    {
        Assert.Equal(new InsightsFilter(new DateOnly(2026, 5, 2), new DateOnly(2026, 5, 31)), June.Previous());
        var before = await QueryAsync(q => q.SatisfactionAsync(JuneHere.Previous(), default));

        Assert.Equal(1, before.Responses);
        Assert.Equal(100.0, before.Questions.Single(q => q.Key == "explained").TopBoxPercent.Value);
        Assert.Null(before.Nps.Value);
    }

    [Fact]
    public async Task Channel_filter_counts_only_that_channel()
    {
        var email = await QueryAsync(q => q.SatisfactionAsync(JuneHere with { Channel = SurveyChannel.Email }, default));

        Assert.Equal(3, email.Responses);
        var explained = email.Questions.Single(q => q.Key == "explained");
        Assert.Equal((3, 1), (explained.Answers, explained.TopBox));
    }

    [Fact]
    public async Task Weekly_trend_has_a_wilson_band_per_week_and_gaps_for_empty_weeks()
    {
        var weeks = await QueryAsync(q => q.TrendAsync(JuneHere, 12, "explained", default));

        Assert.Equal(12, weeks.Count);
        Assert.Equal(new DateOnly(2026, 6, 29), weeks[^1].WeekStart);
        Assert.Equal(new DateOnly(2026, 4, 13), weeks[0].WeekStart);
        var byWeek = weeks.ToDictionary(w => w.WeekStart);
        Assert.Equal((5, 100.0), (byWeek[new DateOnly(2026, 6, 1)].Responses, byWeek[new DateOnly(2026, 6, 1)].Value.Value!.Value));
        var june15 = byWeek[new DateOnly(2026, 6, 15)].Value;
        Assert.Equal(75.0, june15.Value);
        Assert.Equal(30.06, june15.Low!.Value, 2);
        Assert.Equal(95.44, june15.High!.Value, 2);
        var june29 = byWeek[new DateOnly(2026, 6, 29)].Value;
        Assert.Equal((0.0, 0.0), (june29.Value!.Value, june29.Low!.Value));
        Assert.Equal(79.35, june29.High!.Value, 2);
        // 31 May (R0) is a Sunday: it belongs to the week of 25 May.
        Assert.Equal(1, byWeek[new DateOnly(2026, 5, 25)].Responses);
        Assert.Null(byWeek[new DateOnly(2026, 6, 8)].Value.Value);
    }

    [Fact]
    public async Task Staff_figures_appear_from_thirty_responses()
    {
        var staff = await QueryAsync(q => q.StaffAsync(June with { LocationId = other.Clinic.LocationId }, default));

        var thirty = staff.Single(s => s.StaffId == performer30);
        Assert.Equal(30, thirty.Responses);
        Assert.False(thirty.OverallTopBox.TooFew);
        Assert.Equal(90.0, thirty.OverallTopBox.Value!.Value, 6);
        Assert.Equal(InsightsMath.Wilson(27, 30)!.Value.Low * 100, thirty.OverallTopBox.Low!.Value, 6);
        var twentyNine = staff.Single(s => s.StaffId == performer29);
        Assert.Equal(29, twentyNine.Responses);
        Assert.True(twentyNine.OverallTopBox.TooFew);
        Assert.Null(twentyNine.OverallTopBox.Value);

        var filtered = await QueryAsync(q => q.SatisfactionAsync(June with { StaffId = performer29 }, default));
        Assert.Equal(29, filtered.Responses);
        Assert.True(filtered.OverallTopBox.TooFew);
        Assert.False((await QueryAsync(q => q.SatisfactionAsync(June with { StaffId = performer30 }, default))).OverallTopBox.TooFew);
    }

    [Theory]
    // Whole months come from the monthly counts and the days around them from the daily ones: each response once.
    [InlineData("2026-05-20", "2026-07-10", 30, 29)]
    [InlineData("2026-06-01", "2026-06-30", 30, 29)]
    [InlineData("2026-06-10", "2026-06-10", 30, 0)]
    [InlineData("2026-06-11", "2026-07-31", 0, 29)]
    [InlineData("2026-05-01", "2026-05-31", 0, 0)]
    public async Task Staff_counts_add_whole_months_and_the_days_around_them_once(string from, string to, int thirty, int twentyNine)
    {
        var period = new InsightsFilter(DateOnly.Parse(from), DateOnly.Parse(to), other.Clinic.LocationId);
        var staff = (await QueryAsync(q => q.StaffAsync(period, default))).ToDictionary(s => s.StaffId, s => s.Responses);

        Assert.Equal(thirty, staff.GetValueOrDefault(performer30));
        Assert.Equal(twentyNine, staff.GetValueOrDefault(performer29));
        Assert.Equal(thirty, (await QueryAsync(q => q.SatisfactionAsync(period with { StaffId = performer30 }, default))).Responses);
    }

    [Fact]
    public async Task Retention_counts_customers_due_in_the_period_who_came_back_within_90_days()
    {
        var january = await QueryAsync(q => q.LoyaltyAsync(JuneHere with { From = new DateOnly(2026, 1, 1), To = new DateOnly(2026, 1, 31) }, default));
        Assert.Equal(50.0, january.Retention.Value);
        Assert.Equal(4, january.Retention.N);
        Assert.Equal(0, january.RetentionPending);

        var june = await QueryAsync(q => q.LoyaltyAsync(JuneHere, default));
        Assert.Equal(0, june.Retention.N);
        Assert.Equal(1, june.RetentionPending);
    }

    [Fact]
    public async Task Recall_conversion_next_visit_booked_and_no_shows()
    {
        var june = await QueryAsync(q => q.LoyaltyAsync(JuneHere, default));

        Assert.Equal((3, 100.0 / 3), (june.RecallConversion.N, june.RecallConversion.Value!.Value));
        Assert.Equal((12, 100.0 / 12), (june.NextVisitBooked.N, june.NextVisitBooked.Value!.Value));
        Assert.Equal((15, 20.0), (june.NoShowRate.N, june.NoShowRate.Value!.Value));
    }

    [Fact]
    public async Task Lapsed_lists_those_due_within_the_year_with_nothing_booked_longest_overdue_first()
    {
        var lapsed = await QueryAsync(q => q.LapsedAsync(JuneHere, 1, 20, default));

        Assert.Equal([customers["C5"], customers["C3"]], lapsed.Rows.Select(r => r.CustomerId));
        Assert.Equal(new DateOnly(2025, 12, 20), lapsed.Rows[0].Due);
        Assert.Equal(new DateOnly(2024, 12, 20), lapsed.Rows[0].LastVisit);
        Assert.Equal(2, lapsed.Total);

        var second = await QueryAsync(q => q.LapsedAsync(JuneHere, 2, 1, default));
        Assert.Equal([customers["C3"]], second.Rows.Select(r => r.CustomerId));
        Assert.Equal(2, second.Total);
        Assert.Empty((await QueryAsync(q => q.LapsedAsync(June with { LocationId = other.Clinic.LocationId }, 1, 20, default))).Rows);
    }

    [Fact]
    public async Task Recovery_open_overdue_first_contact_and_root_causes()
    {
        var recovery = await QueryAsync(q => q.RecoveryAsync(JuneHere, default));

        Assert.Equal(3, recovery.Open);
        Assert.Equal(1, recovery.Overdue);
        Assert.Equal(3, recovery.Contacted);
        Assert.Equal(4.0, recovery.MedianHoursToFirstContact!.Value, 6);
        Assert.Equal([new RootCauseMonth(new DateOnly(2026, 6, 1), RootCause.WaitTime, 2)], recovery.RootCauses);
    }

    [Fact]
    public async Task Comments_with_scores_filtered_by_root_cause_and_clinical_ones_flagged()
    {
        var comments = await QueryAsync(q => q.CommentsAsync(JuneHere, null, 1, 20, default));

        Assert.Equal(["R8", "R7", "R1"], comments.Rows.Select(c => responses.Single(r => r.Value == c.ResponseId).Key));
        Assert.True(comments.Rows[0].Clinical);
        Assert.False(comments.Rows[1].Clinical);
        Assert.Equal(RootCause.WaitTime, comments.Rows[1].RootCause);
        Assert.Contains(("recommend", 3), comments.Rows[1].Scores);
        Assert.Equal(6, comments.Rows[1].Scores.Count);

        var wait = await QueryAsync(q => q.CommentsAsync(JuneHere, RootCause.WaitTime, 1, 20, default));
        Assert.Equal([responses["R7"]], wait.Rows.Select(c => c.ResponseId));
        Assert.Empty((await QueryAsync(q => q.CommentsAsync(June with { LocationId = other.Clinic.LocationId }, null, 1, 20, default))).Rows);
    }
}
