using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Recovery;

namespace CustomerExperience.Web.Data;

/// <summary>
/// Two years of visits, one year of survey answers and the cases they opened, recall emails and goals, all relative to
/// today, for a dashboard with a story: Midtown's wait is the weak spot (it improved six weeks ago, when a second
/// check-in desk opened, but is still the lowest figure), Riverside's "explained each step" goal is nearly met, and
/// a few customers have lapsed. Top-box answers follow each question's rate exactly over any run of responses (error
/// diffusion, not coin flips), so the story holds whatever the date.
/// </summary>
public partial class DemoData
{
    /// <summary>Customers whose first screening was one to two years ago: due again in the last year.</summary>
    private const int ReturningCustomers = 2400;
    private const int NewCustomers = 600;
    public const int MidtownWaitImprovedDaysAgo = 42;

    private readonly Dictionary<(Guid Resource, DateOnly Day), bool[]> slots = [];

    private List<Appointment> AddHistory(List<Customer> customers, Service screening, Service boneDensity, List<Resource> resources,
        Random random, DateTimeOffset now, DateOnly today, TimeZoneInfo zone)
    {
        var mammography = resources.Where(r => r.Services.Contains(screening)).ToList();
        var dexa = resources.Where(r => r.Services.Contains(boneDensity)).ToList();
        var visits = new List<Appointment>();
        Resource RoomOf(int i) => i % 20 < 11 ? mammography[i / 20 % 2] : mammography[2];

        Appointment? Past(Customer customer, Service service, Resource room, DateOnly day, Func<Appointment, DateTimeOffset>? createdAt = null)
        {
            if (Place(customer, service, room, day, today.AddDays(-1), random, zone, now) is not { } visit) return null;
            visit.CreatedAt = createdAt?.Invoke(visit) ?? visit.Start.AddDays(-random.Next(5, 40));
            CheckIn(visit, visit.Start.AddMinutes(-5));
            visit.Complete(visit.Start + service.Duration);
            visits.Add(visit);
            return visit;
        }

        void NoShow(Customer customer, Service service, Resource room, DateOnly day)
        {
            if (Place(customer, service, room, day, today.AddDays(-1), random, zone, now) is not { } visit) return;
            visit.CreatedAt = visit.Start.AddDays(-30);
            visit.MarkNoShow();
            visits.Add(visit);
        }

        Appointment? Future(Customer customer, Service service, Resource room, DateOnly day, DateTimeOffset createdAt)
        {
            // The front desk's next four days are laid out separately.
            if (day <= today.AddDays(4)) return null;
            if (Place(customer, service, room, day, today.AddDays(400), random, zone, now) is not { } visit) return null;
            visit.CreatedAt = createdAt;
            visits.Add(visit);
            return visit;
        }

        void BookedBeforeLeaving(Appointment visit, Customer customer, Resource room)
        {
            if (random.NextDouble() < 0.35)
                Future(customer, screening, room, LocalDay(visit.Start, zone).AddDays(365), visit.CompletedAt!.Value.AddMinutes(4));
        }

        for (var i = 0; i < customers.Count; i++)
        {
            var customer = customers[i];
            var room = RoomOf(i);
            if (i < ReturningCustomers)
            {
                if (Past(customer, screening, room, today.AddDays(-730 + random.Next(0, 365))) is not { } first) continue;
                var fate = random.NextDouble();
                int? after = fate < 0.87 ? 365 + random.Next(-25, 61) : fate < 0.94 ? 365 + random.Next(100, 200) : null;
                if (after is not { } days) continue;
                var day = LocalDay(first.Start, zone).AddDays(days);
                var aheadAtVisit = random.NextDouble() < 0.35;
                var recalled = RecallSentAt(first, screening, 0, zone);
                var viaRecall = random.NextDouble() < 0.6;
                DateTimeOffset Booked(Appointment next) => aheadAtVisit ? first.CompletedAt!.Value.AddMinutes(4)
                    : viaRecall && recalled.AddDays(25) < next.Start ? recalled.AddDays(random.Next(1, 25)).AddHours(random.Next(0, 9))
                    : next.Start.AddDays(-random.Next(3, 15));
                if (day < today)
                {
                    if (random.NextDouble() < 0.05)
                        NoShow(customer, screening, room, day.AddDays(-14));
                    if (Past(customer, screening, room, day, Booked) is { } second)
                        BookedBeforeLeaving(second, customer, room);
                }
                else if (aheadAtVisit || day <= today.AddDays(30))
                {
                    var next = Future(customer, screening, room, day, first.CompletedAt!.Value.AddMinutes(4));
                    if (next is not null && !aheadAtVisit) next.CreatedAt = Min(Booked(next), now.AddDays(-1));
                }
            }
            else if (Past(customer, screening, room, today.AddDays(-random.Next(1, 365))) is { } first)
                BookedBeforeLeaving(first, customer, room);
            if (i % 6 == 0)
                Past(customer, boneDensity, dexa[room.LocationId == mammography[2].LocationId ? 1 : 0], today.AddDays(-random.Next(2, 700)));
        }
        return visits;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateOnly LocalDay(DateTimeOffset instant, TimeZoneInfo zone) => Location.DateIn(zone, instant);

    /// <summary>
    /// A visit on <paramref name="wanted"/> (a weekend moves to the nearest weekday) in a free one of the room's twelve
    /// 40-minute slots; a full day moves it to the next weekday, never past <paramref name="latest"/>.
    /// </summary>
    private Appointment? Place(Customer customer, Service service, Resource room, DateOnly wanted, DateOnly latest, Random random,
        TimeZoneInfo zone, DateTimeOffset now)
    {
        var day = wanted.DayOfWeek switch { DayOfWeek.Saturday => wanted.AddDays(-1), DayOfWeek.Sunday => wanted.AddDays(1), _ => wanted };
        for (; day <= latest; day = day.AddDays(day.DayOfWeek == DayOfWeek.Friday ? 3 : 1))
        {
            if (Holidays.Any(h => h.Date == day)) continue;
            var taken = slots.TryGetValue((room.Id, day), out var t) ? t : slots[(room.Id, day)] = new bool[12];
            var first = random.Next(0, 12);
            for (var n = 0; n < 12; n++)
            {
                var slot = (first + n) % 12;
                if (taken[slot]) continue;
                taken[slot] = true;
                // Twelve 40-minute slots from 08:00, skipping the lunch hour.
                var start = ToUtc(day, new TimeOnly(8, 0).AddMinutes(slot * 40 + (slot >= 6 ? 40 : 0)), zone);
                return NewAppointment(customer, service, room, start, now);
            }
        }
        return null;
    }

    /// <summary>When step <paramref name="step"/> of the recall after <paramref name="visit"/> goes out, as <see cref="EligibilityRecalls"/> sends it.</summary>
    private static DateTimeOffset RecallSentAt(Appointment visit, Service service, int step, TimeZoneInfo zone)
    {
        var rules = new RecallOptions();
        var coveredFrom = EligibilityRecalls.CoveredFrom(visit.Start, service.CoverageIntervalDays!.Value, zone);
        return ToUtc(coveredFrom.AddDays(-rules.LeadDays + step * rules.FollowUpIntervalDays), new TimeOnly(rules.SendFromHour, 0), zone);
    }

    /// <summary>
    /// The recall emails the recall job would have sent after each customer's visits: until the next visit was booked,
    /// or every step when none was. The job finds its own keys already sent and sends nothing at start-up.
    /// </summary>
    private void AddRecalls(IEnumerable<Appointment> visits, IReadOnlyDictionary<Guid, Customer> customers, IReadOnlyDictionary<Guid, Service> services,
        DateTimeOffset now, TimeZoneInfo zone)
    {
        var rules = new RecallOptions();
        foreach (var chain in visits.Where(v => v.Status != AppointmentStatus.NoShow).GroupBy(v => (v.CustomerId, v.ServiceId)))
        {
            var service = services[chain.Key.ServiceId];
            var customer = customers[chain.Key.CustomerId];
            if (service.CoverageIntervalDays is not { } interval || customer.EmailOptOut) continue;
            var ordered = chain.OrderBy(v => v.Start).ToList();
            for (var n = 0; n < ordered.Count; n++)
            {
                var visit = ordered[n];
                if (visit.Status != AppointmentStatus.Completed) continue;
                var next = n + 1 < ordered.Count ? ordered[n + 1] : null;
                var coveredFrom = EligibilityRecalls.CoveredFrom(visit.Start, interval, zone);
                for (var step = 0; step <= rules.FollowUps; step++)
                {
                    var sent = RecallSentAt(visit, service, step, zone);
                    if (sent > now || (next is not null && next.CreatedAt <= sent)) break;
                    emails.Add(new OutboundEmail
                    {
                        Id = Guid.CreateVersion7(sent), Kind = "recall",
                        IdempotencyKey = $"recall:{customer.Id}:{service.Id}:{coveredFrom:yyyy-MM-dd}:{step}",
                        ToAddress = customer.Email, ToName = customer.FullName, CustomerId = customer.Id,
                        Subject = $"Your next {service.Name.ToLowerInvariant()} is covered from {coveredFrom:MMMM d}",
                        TextBody = $"Hello {customer.Greeting}, your next {service.Name.ToLowerInvariant()} is covered from {coveredFrom:MMMM d, yyyy}. (Demo email.)",
                        Status = OutboundEmailStatus.Sent, Attempts = 1, CreatedAt = sent, NextAttemptAt = sent, SentAt = sent,
                    });
                }
            }
        }
    }

    /// <summary>Riverside's "explained each step" target this quarter is within reach; retention and no-shows are on target.</summary>
    private void AddGoals(Location riverside, DateOnly today, DateTimeOffset now)
    {
        Goal Goal(GoalMetric metric, decimal target, int fromDaysAgo, int toDaysAhead, Guid? location = null, string? question = null, string? staff = null) => new()
        {
            Id = Guid.CreateVersion7(now), Metric = metric, Target = target, QuestionKey = question, LocationId = location, StaffUserId = staff,
            From = today.AddDays(-fromDaysAgo), To = today.AddDays(toDaysAhead), CreatedAt = now.AddDays(-fromDaysAgo), CreatedById = team.Admin ?? "demo",
        };
        db.AddRange(
            Goal(GoalMetric.QuestionTopBox, 90, 62, 28, riverside.Id, "explained"),
            Goal(GoalMetric.Retention, 85, 300, 64),
            Goal(GoalMetric.NoShowRate, 5, 62, 28));
        if (team.Clinician is { } clinician)
            db.Add(Goal(GoalMetric.OverallTopBox, 75, 62, 28, staff: clinician));
    }

    /// <summary>The share of top-box answers per location and question; Midtown's wait is the story.</summary>
    private double TopBoxRate(Guid locationId, string key, int daysAgo)
    {
        var riverside = locationId == riversideId;
        return key switch
        {
            "booking" => riverside ? 0.86 : 0.85,
            "reminders" => riverside ? 0.84 : 0.83,
            "welcome" => riverside ? 0.88 : 0.86,
            "wait" => riverside ? 0.76 : daysAgo > MidtownWaitImprovedDaysAgo ? 0.46 : 0.63,
            "explained" => riverside ? 0.88 : 0.84,
            "comfort" => riverside ? 0.85 : 0.84,
            _ => riverside ? 0.72 : daysAgo > MidtownWaitImprovedDaysAgo ? 0.64 : 0.70,
        };
    }

    private readonly Dictionary<(Guid, string), double> diffusion = [];

    /// <summary>Whether the next answer is top-box: over any run of answers the share is the rate, within one answer.</summary>
    private bool NextIsTopBox(Guid locationId, string key, double rate)
    {
        var carried = diffusion.GetValueOrDefault((locationId, key)) + rate;
        var top = carried >= 1;
        diffusion[(locationId, key)] = top ? carried - 1 : carried;
        return top;
    }

    private static readonly string[] Praise =
    [
        "Lovely team, thank you.", "Casey was so gentle.", "Quick, kind and on time.", "The reminder with parking directions helped.",
        "Frankie at the desk made me feel at ease.", "Easiest booking I have done online.",
    ];
    private static readonly string[] Neutral = ["Parking was hard to find.", "Fine, as every year.", "The forms asked for the same thing twice."];
    private static readonly string[] SlowWait =
    [
        "Waited 40 minutes past my time and nobody told me why.", "The waiting room was packed; I waited nearly an hour.",
        "Half an hour late and no explanation.",
    ];
    private static readonly string[] BetterWait = ["Shorter wait than last year, and the text about the delay helped.", "Still a wait, but they told me how long."];

    /// <summary>
    /// A response to <paramref name="visit"/> (or an anonymous kiosk one at <paramref name="locationId"/>): each question
    /// top-box at its rate, the rest mostly 4 with a tail of low scores; a few skips, partial kiosk answers and comments.
    /// </summary>
    private SurveyResponse? NewResponse(SurveyDefinition definition, Appointment? visit, Guid locationId, DateTimeOffset completed, Random random,
        DateTimeOffset now, DateOnly today, TimeZoneInfo zone)
    {
        var kiosk = visit is null || random.NextDouble() < 0.55;
        var seconds = kiosk ? random.Next(25, 90) : random.Next(45, 300);
        var submitted = kiosk ? completed.AddMinutes(random.Next(2, 9)) : completed.AddHours(3).AddMinutes(random.Next(0, 36 * 60));
        if (submitted > now) return null;
        var daysAgo = today.DayNumber - LocalDay(submitted, zone).DayNumber;
        var partialAfter = kiosk && random.NextDouble() < 0.04 ? random.Next(2, 6) : (int?)null;
        var answers = new List<SurveyAnswer>();
        var midtownWait = locationId != riversideId && daysAgo > MidtownWaitImprovedDaysAgo;
        foreach (var (question, n) in definition.Questions.OrderBy(q => q.Position).Select((q, n) => (q, n)))
        {
            if (n >= partialAfter) break;
            var top = NextIsTopBox(locationId, question.Key, TopBoxRate(locationId, question.Key, daysAgo));
            if (random.NextDouble() < 0.04) continue;
            int score;
            if (question.Scale == SurveyScale.Recommend10)
                score = top ? random.Next(9, 11) : answers.Any(a => a.Score <= 2) ? random.Next(2, 7) : random.NextDouble() < 0.75 ? random.Next(7, 9) : random.Next(5, 7);
            else if (top)
                score = 5;
            else
            {
                var r = random.NextDouble();
                score = question.Key == "wait" && midtownWait ? (r < 0.45 ? 4 : r < 0.75 ? 3 : r < 0.92 ? 2 : 1) : (r < 0.8 ? 4 : r < 0.94 ? 3 : r < 0.98 ? 2 : 1);
            }
            answers.Add(new SurveyAnswer { QuestionKey = question.Key, Score = score });
        }
        int? Of(string key) => answers.FirstOrDefault(a => a.QuestionKey == key)?.Score;
        var low = answers.Any(a => a.QuestionKey != "recommend" && a.Score <= 2);
        string? comment = null;
        if (partialAfter is null && random.NextDouble() < (low ? 0.7 : 0.2))
            comment = Of("wait") <= 3 ? (locationId != riversideId && daysAgo <= MidtownWaitImprovedDaysAgo ? Pick(BetterWait, random) : Pick(SlowWait, random))
                : Of("explained") <= 3 ? "Nobody explained what would happen next."
                : Of("comfort") <= 3 ? (random.NextDouble() < 0.5 ? "The changing room door would not lock." : "The room was cold.")
                : Of("recommend") >= 9 ? Pick(Praise, random)
                : random.NextDouble() < 0.04 ? "It was painful and I am still sore."
                : Pick(Neutral, random);
        var response = new SurveyResponse
        {
            Id = Guid.CreateVersion7(submitted), DefinitionVersion = definition.Version, Channel = kiosk ? SurveyChannel.Kiosk : SurveyChannel.Email,
            LocationId = locationId, AppointmentId = visit?.Id, CustomerId = visit?.CustomerId,
            StartedAt = submitted.AddSeconds(-seconds), SubmittedAt = submitted, DurationSeconds = seconds, IsPartial = partialAfter is not null,
            Comment = comment, ContactRequested = random.NextDouble() < (low ? 0.3 : 0.01), Answers = answers,
        };
        return response.Answers.Count == 0 ? null : response;
    }

    private static string Pick(string[] from, Random random) => from[random.Next(from.Length)];

    /// <summary>A case's life by its age: resolved after a week (root cause from the worst answer), contacted after two days, else open.</summary>
    private RecoveryCase AgedCase(SurveyResponse response, string summary, Location location, Random random, DateTimeOffset now)
    {
        var opened = response.SubmittedAt;
        var recoveryCase = new RecoveryCase
        {
            Id = Guid.CreateVersion7(opened), Source = CaseSource.Survey, ResponseId = response.Id, LocationId = location.Id,
            CustomerId = response.CustomerId, AppointmentId = response.AppointmentId, Summary = summary, Comment = response.Comment,
            Clinical = ServiceRecovery.IsClinical(response.Comment), OwnerId = team.Manager, OpenedAt = opened,
            DueAt = BusinessHours.Of(location, []).FirstContactDue(opened, 1),
        };
        var age = now - opened;
        if (age > TimeSpan.FromDays(2))
        {
            var contacted = opened.AddHours(random.Next(1, 22)).AddMinutes(random.Next(0, 60));
            recoveryCase.Status = CaseStatus.Contacted;
            recoveryCase.FirstContactAt = contacted;
            recoveryCase.Heard = HeardSteps.Hear | HeardSteps.Empathise | HeardSteps.Apologise;
            recoveryCase.Notes.Add(CaseNoteAt(contacted, "Called: listened to the whole story and apologised."));
        }
        if (age > TimeSpan.FromDays(7))
        {
            var worst = response.Answers.Where(a => a.QuestionKey != "recommend").OrderBy(a => a.Score).FirstOrDefault();
            var (cause, outcome) = worst is { Score: <= 3 } ? worst.QuestionKey switch
            {
                "wait" => (RootCause.WaitTime, "Apologised for the wait; offered the first slot of the morning next time."),
                "explained" => (RootCause.Communication, "Explained the results timeline: results in 1–2 business days."),
                "booking" or "reminders" => (RootCause.Scheduling, "Walked her through booking online; fixed her reminder email."),
                "comfort" => (RootCause.Facility, "Reported to facilities; the room is fixed."),
                _ => (RootCause.StaffCourtesy, "Apologised; talked it through with the team at the huddle."),
            } : (RootCause.Other, "Listened; nothing to change, she was glad we called.");
            var resolved = recoveryCase.FirstContactAt!.Value.AddDays(random.Next(0, 3)).AddHours(2);
            recoveryCase.Status = CaseStatus.Resolved;
            recoveryCase.Heard |= HeardSteps.Resolve | HeardSteps.Diagnose;
            recoveryCase.ResolvedAt = resolved;
            recoveryCase.ResolvedById = team.Manager;
            recoveryCase.RootCause = cause;
            recoveryCase.Outcome = outcome;
            recoveryCase.Notes.Add(CaseNoteAt(resolved, "Resolved: " + outcome));
        }
        if (recoveryCase.Status == CaseStatus.Open && recoveryCase.DueAt < now)
            recoveryCase.EscalatedAt = recoveryCase.DueAt.AddMinutes(10);
        return recoveryCase;
    }

    private CaseNote CaseNoteAt(DateTimeOffset at, string text) => new()
        { Id = Guid.CreateVersion7(at), At = at, Text = text, AuthorId = team.Manager!, AuthorName = "Morgan Manager" };
}
