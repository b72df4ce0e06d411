using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Recovery;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CustomerExperience.Web.Data;

/// <summary>
/// A demo screening clinic: two locations, three services, rooms with weekday hours, holidays, and three thousand
/// customers with two years of visits (see DemoData.History.cs), the care team and visit code of every visit that
/// happened, a year of survey answers, service-recovery cases, recall emails and goals, all relative to today.
/// Deterministic for a given day, and seeded once: a second run changes nothing. The demo staff accounts
/// (<see cref="StaffAccounts.Demo"/>) are created first.
/// The clinic's set-up (locations, services, rooms with their hours, closures to come) goes through the set-up pages'
/// own editors, checks and audit included, so the demo cannot hold a set-up those pages would refuse. What happened
/// (visits, answers, cases, emails, closures already over, which the closures page refuses as past) is written directly:
/// a set-up page has no say over history, and its tens of thousands of rows go in by binary COPY.
/// </summary>
public partial class DemoData(AppDbContext db, TimeProvider clock, Audit audit, LocationSettings locationSettings,
    ServiceSettings serviceSettings, RoomsEditor roomsEditor, ClosuresEditor closuresEditor)
{
    /// <summary>Who the audit trail says set the demo clinic up.</summary>
    public const string SetUpBy = "Demo set-up";

    public const string Zone = "America/New_York";
    private const int CustomerCount = ReturningCustomers + NewCustomers;

    private static readonly string[] FirstNames =
        ["Maria", "Aisha", "Chen", "Olivia", "Fatima", "Grace", "Sofia", "Priya", "Hannah", "Yuki", "Amara", "Elena",
         "Nora", "Lucia", "Zoë", "Ingrid", "Camila", "Mei", "Leila", "Rosa", "Joan", "Beatriz", "Siobhan", "Dana"];
    private static readonly string[] LastNames =
        ["Garcia", "Okafor", "Wang", "Smith", "Haddad", "Kim", "Rossi", "Patel", "Müller", "Tanaka", "Mensah", "Novak",
         "O'Brien", "Fernández", "Cohen", "Larsen", "Silva", "Nguyen", "Ahmadi", "Jones", "Dubois", "Kowalski"];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Two instances starting together must not both seed.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(4242)", cancellationToken);
        if (await db.Locations.AnyAsync(cancellationToken))
            return;

        var now = clock.GetUtcNow();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var today = Location.DateIn(zone, now);
        team = await DemoTeamAsync(cancellationToken);
        audit.RecordStartUpChangesAs("demo", SetUpBy);
        var (riverside, midtown) = await SetUpLocationsAsync(cancellationToken);
        await AddHomeLocationsAsync(riverside, midtown, cancellationToken);
        var (screening, diagnostic, boneDensity) = await SetUpServicesAsync(cancellationToken);
        var resources = await SetUpRoomsAsync(riverside, midtown, screening, diagnostic, boneDensity, cancellationToken);
        await SetUpClosuresAsync([riverside, midtown], today, cancellationToken);

        var random = new Random(20261123);
        var customers = Enumerable.Range(0, CustomerCount).Select(i => NewCustomer(i, random, now)).ToList();
        db.AddRange(customers);

        var mammography = resources.Where(r => r.Services.Contains(screening)).ToList();
        var history = AddHistory(customers, screening, boneDensity, resources, random, now, today, zone);

        // Today is a full day for the front desk (what already happened is checked in or completed), and the next
        // few days have visits too. Some customers carry the personal touches the visit panel shows.
        var todays = new List<Appointment>();
        for (var day = 0; day < 4; day++)
        {
            var date = today.AddDays(day);
            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || Holidays.Any(h => h.Date == date))
                continue;
            var slots = day == 0 ? 12 : 6;
            for (var slot = 0; slot < slots; slot++)
            {
                var customer = customers[(day * 37 + slot * 11) % customers.Count];
                var resource = mammography[slot % mammography.Count];
                var time = new TimeOnly(8, 0).AddMinutes(slot / mammography.Count * 45 + 30 * (day % 2));
                var start = ToUtc(date, time, zone);
                var visit = NewAppointment(customer, screening, resource, start, now.AddDays(-30));
                if (start + screening.Duration < now)
                {
                    CheckIn(visit, start.AddMinutes(-5));
                    visit.Complete(start + screening.Duration);
                }
                else if (start < now.AddMinutes(15))
                    CheckIn(visit, now.AddMinutes(-5));
                visits.Add(visit);
                todays.Add(visit);
                if (slot % 3 == 0)
                    AddPersonalTouches(customer, now);
            }
        }
        visits.AddRange(history);
        await AddSurveysAndCasesAsync([riverside, midtown], history, todays, random, now, today, zone, cancellationToken);
        var all = history.Concat(todays).ToList();
        AddRecalls(all, customers.ToDictionary(c => c.Id), new[] { screening, diagnostic, boneDensity }.ToDictionary(s => s.Id), now, zone);
        AddGoals(riverside, today, now);
        await db.SaveChangesAsync(cancellationToken);
        await CopyBulkAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    // The big tables go in by binary COPY after the rest is saved: tracking and inserting their tens of thousands of
    // rows through EF took over a minute. Like the customers, notes and goals they are not set-up (no set-up page makes
    // them), so they are where the seeding cannot go through the set-up pages' code.
    private readonly List<Appointment> visits = [];
    private readonly List<SurveyResponse> responses = [];
    private readonly List<RecoveryCase> cases = [];
    private readonly List<OutboundEmail> emails = [];

    private async Task CopyBulkAsync(CancellationToken cancellationToken)
    {
        foreach (var response in responses)
            foreach (var answer in response.Answers)
                answer.ResponseId = response.Id;
        foreach (var recoveryCase in cases)
            foreach (var note in recoveryCase.Notes)
                note.CaseId = recoveryCase.Id;
        await db.CopyAsync(visits, cancellationToken);
        await db.CopyAsync(responses, cancellationToken);
        await db.CopyAsync(responses.SelectMany(r => r.Answers), cancellationToken);
        // In key order, as SaveChanges inserted them: the identity numbers cases the same way.
        await db.CopyAsync(cases.OrderBy(c => c.Id), cancellationToken);
        await db.CopyAsync(cases.SelectMany(c => c.Notes), cancellationToken);
        await db.CopyAsync(emails, cancellationToken);
    }

    /// <summary>The demo staff: who checks customers in at each location, and the clinician who performs the visits.</summary>
    private sealed record DemoTeam(string? Admin, string? Manager, string? Desk, string? Clinician)
    {
        public string? CheckedInBy(Guid locationId, Guid riversideId) => locationId == riversideId ? Desk : Manager;
    }

    private DemoTeam team = new(null, null, null, null);
    private Guid riversideId;
    private readonly Random codeRandom = new(482913);
    private readonly Dictionary<Guid, HashSet<string>> givenCodes = [];

    private async Task<DemoTeam> DemoTeamAsync(CancellationToken cancellationToken)
    {
        var emails = StaffAccounts.Demo.Select(d => d.Email).ToList();
        var ids = await db.Users.Where(u => emails.Contains(u.Email!)).ToDictionaryAsync(u => u.Email!, u => u.Id, cancellationToken);
        string? Id(string role) => ids.GetValueOrDefault(StaffAccounts.Demo.First(d => d.Role == role).Email);
        return new DemoTeam(Id(StaffRoles.Admin), Id(StaffRoles.Manager), Id(StaffRoles.FrontDesk), Id(StaffRoles.Clinician));
    }

    /// <summary>The front desk works at Riverside, everyone else at both; Riverside's cases go to the demo manager.</summary>
    private async Task AddHomeLocationsAsync(Location riverside, Location midtown, CancellationToken ct)
    {
        riversideId = riverside.Id;
        foreach (var (staff, locations) in new[]
                 {
                     (team.Admin, new[] { riverside, midtown }), (team.Manager, [riverside, midtown]),
                     (team.Desk, [riverside]), (team.Clinician, [riverside, midtown]),
                 })
        {
            if (staff is null) continue;
            db.AddRange(locations.Select(l => new StaffLocation { StaffUserId = staff, LocationId = l.Id }));
        }
        await db.SaveChangesAsync(ct);
        if (team.Manager is null) return;
        // As on the location's page: the manager must work there, which the rows just saved say.
        var form = LocationForm.From(riverside);
        form.ServiceRecoveryManagerId = team.Manager;
        Saved(await locationSettings.UpdateAsync(riverside.Id, riverside.Version, form, ct), riverside.Name);
    }

    /// <summary>Check-in with its care team and a visit code unique at the location (among all demo visits, so among any 30 days).</summary>
    private void CheckIn(Appointment visit, DateTimeOffset at)
    {
        visit.CheckIn(at, team.CheckedInBy(visit.LocationId, riversideId), team.Clinician);
        var codes = givenCodes.TryGetValue(visit.LocationId, out var given) ? given : givenCodes[visit.LocationId] = [];
        string code;
        do code = codeRandom.Next(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        while (!codes.Add(code));
        visit.GiveVisitCode(code);
    }

    /// <summary>What the two customers who come today said about their last visit, so the visit panel has something to say.</summary>
    private static readonly (int[] Scores, string Comment, bool Contact)[] LastTimeUnhappy =
    [
        ([5, 4, 4, 2, 3, 4, 6], "Waited 40 minutes past my time and nobody told me why.", false),
        ([5, 5, 3, 4, 2, 3, 7], "Nobody explained what would happen next or when my results come.", true),
    ];

    /// <summary>
    /// A year of survey answers from the kiosk and by email on the visits that happened (about six in ten answered), a
    /// few anonymous kiosk answers on most days, and the cases the unhappy ones opened; a complaint logged at the desk.
    /// </summary>
    private async Task AddSurveysAndCasesAsync(Location[] places, List<Appointment> history, List<Appointment> todays, Random random, DateTimeOffset now,
        DateOnly today, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var definition = await db.SurveyDefinitions.AsNoTracking().Include(d => d.Questions)
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(cancellationToken);
        if (definition is null || team.Manager is null) return;
        var locations = places.ToDictionary(l => l.Id);

        // Customers seen today: their last visit before today is where an earlier unhappy answer belongs.
        var todaysCustomers = todays.Where(v => v.Status == AppointmentStatus.Completed).Select(v => v.CustomerId).Distinct().ToList();
        var past = history.Where(v => v.Status == AppointmentStatus.Completed).OrderBy(v => v.Start).ToList();
        var lastTimeOfToday = todaysCustomers.Take(LastTimeUnhappy.Length)
            .Select(id => past.LastOrDefault(v => v.CustomerId == id)).OfType<Appointment>().ToList();

        var demoCases = 0;
        var firstDay = today.AddDays(-364);
        var anonymousDays = Enumerable.Range(0, 365).Select(d => firstDay.AddDays(d))
            .Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && d < today).ToList();
        var planned = past.Where(v => LocalDay(v.Start, zone) >= firstDay && !lastTimeOfToday.Contains(v))
            .Where(_ => random.NextDouble() < 0.62)
            .Select(v => (Visit: (Appointment?)v, v.LocationId, Completed: v.CompletedAt!.Value))
            .Concat(anonymousDays.SelectMany(d => locations.Keys.Where(_ => random.NextDouble() < 0.3)
                .Select(l => (Visit: (Appointment?)null, LocationId: l, Completed: ToUtc(d, new TimeOnly(10, 0).AddMinutes(random.Next(0, 360)), zone)))))
            .OrderBy(p => p.Completed).ToList();
        foreach (var (visit, locationId, completed) in planned)
        {
            if (NewResponse(definition, visit, locationId, completed, random, now, today, zone) is not { } response) continue;
            responses.Add(response);
            if (ServiceRecovery.WhyFollowUp(definition, response) is { } summary)
                cases.Add(AgedCase(response, summary, locations[locationId], random, now));
        }

        var questions = definition.Questions.OrderBy(q => q.Position).ToList();
        foreach (var (visit, (scores, comment, contact)) in lastTimeOfToday.Zip(LastTimeUnhappy))
        {
            var completed = visit.CompletedAt!.Value;
            var response = new SurveyResponse
            {
                Id = Guid.CreateVersion7(completed), DefinitionVersion = definition.Version, Channel = SurveyChannel.Email,
                LocationId = visit.LocationId, AppointmentId = visit.Id, CustomerId = visit.CustomerId,
                StartedAt = completed.AddHours(5), DurationSeconds = 41, Comment = comment, ContactRequested = contact,
                Answers = [.. questions.Select((q, n) => new SurveyAnswer { QuestionKey = q.Key, Score = scores[n] })],
            };
            response.SubmittedAt = response.StartedAt.Value.AddSeconds(41);
            responses.Add(response);
            if (ServiceRecovery.WhyFollowUp(definition, response) is { } summary)
                cases.Add(DemoCase(CaseSource.Survey, response, summary, locations[response.LocationId], demoCases++, now));
        }

        var complained = past.Last(v => !lastTimeOfToday.Contains(v) && !todaysCustomers.Contains(v.CustomerId));
        var complaint = DemoCase(CaseSource.Complaint, null, "Complaint logged at the front desk", locations[complained.LocationId], 3, now);
        complaint.CustomerId = complained.CustomerId;
        complaint.AppointmentId = complained.Id;
        complaint.Comment = "Said at checkout that the waiting room was too cold and the magazines were years old.";
        complaint.OpenedById = team.Desk;
        cases.Add(complaint);
    }

    /// <summary>The <paramref name="n"/>th demo case: resolved when n is 0 or 1, contacted when 2, open after that.</summary>
    private RecoveryCase DemoCase(CaseSource source, SurveyResponse? response, string summary, Location location, int n, DateTimeOffset now)
    {
        var opened = response?.SubmittedAt ?? now.AddHours(-3);
        var recoveryCase = new RecoveryCase
        {
            Id = Guid.CreateVersion7(opened), Source = source, ResponseId = response?.Id, LocationId = location.Id,
            CustomerId = response?.CustomerId, AppointmentId = response?.AppointmentId, Summary = summary, Comment = response?.Comment,
            Clinical = ServiceRecovery.IsClinical(response?.Comment), OwnerId = team.Manager, OpenedAt = opened,
            DueAt = BusinessHours.Of(location, []).FirstContactDue(opened, 1),
        };
        CaseNote Note(DateTimeOffset at, string text) => new()
            { Id = Guid.CreateVersion7(at), At = at, Text = text, AuthorId = team.Manager!, AuthorName = "Morgan Manager" };
        if (n <= 2)
        {
            recoveryCase.Status = CaseStatus.Contacted;
            recoveryCase.FirstContactAt = opened.AddHours(3);
            recoveryCase.Heard = HeardSteps.Hear | HeardSteps.Empathise | HeardSteps.Apologise;
            recoveryCase.Notes.Add(Note(opened.AddHours(3), "Called her: she was glad we rang. Apologised and listened to the whole story."));
        }
        if (n <= 1)
        {
            var (cause, outcome) = n == 0
                ? (RootCause.WaitTime, "Called, apologised for the wait; booked her next visit in the first slot of the morning.")
                : (RootCause.Communication, "Called, explained the results timeline; she now knows results come in 1–2 business days.");
            recoveryCase.Status = CaseStatus.Resolved;
            recoveryCase.Heard = HeardSteps.Hear | HeardSteps.Empathise | HeardSteps.Apologise | HeardSteps.Resolve | HeardSteps.Diagnose;
            recoveryCase.ResolvedAt = opened.AddDays(1);
            recoveryCase.ResolvedById = team.Manager;
            recoveryCase.RootCause = cause;
            recoveryCase.Outcome = outcome;
            recoveryCase.Notes.Add(Note(opened.AddDays(1), n == 0
                ? "Diagnosis: the 9:00 room started late after a machine check; the desk now posts a delay at once."
                : "Diagnosis: the checkout script skipped the results line; reminded the desk at the morning huddle."));
        }
        // An open case past its due time escalated already, so starting the demo sends no escalation email.
        if (recoveryCase.Status == CaseStatus.Open && recoveryCase.DueAt < now)
            recoveryCase.EscalatedAt = recoveryCase.DueAt.AddMinutes(10);
        return recoveryCase;
    }

    private static readonly string[] Notes =
    [
        "Nervous about results — explain the timeline (results in 1–2 business days) before she asks.",
        "Prefers to be called by her first name. Likes a chat about her grandchildren.",
        "Needs the lift; comes with her daughter, who likes to wait in the lounge.",
        "Had a difficult experience elsewhere; take extra time to explain each step.",
    ];

    private void AddPersonalTouches(Customer customer, DateTimeOffset now)
    {
        if (customer.Preferences is not null)
            return;
        var i = customer.Email.Sum(c => c) % Notes.Length;
        customer.Pronunciation ??= customer.FullName.StartsWith("Siobhan") ? "shiv-AWN" : customer.FullName.StartsWith("Aisha") ? "EYE-sha" : null;
        customer.Preferences = i % 2 == 0 ? "Prefers mornings; female technologist if possible." : "Prefers a warm room; bring a gown in size L.";
        db.Add(new CustomerNote
        {
            Id = Guid.CreateVersion7(now), CustomerId = customer.Id, Text = Notes[i], CreatedAt = now.AddDays(-200),
            CreatedById = "demo", CreatedBy = "Frankie Desk",
        });
    }

    private static Appointment NewAppointment(Customer customer, Service service, Resource resource, DateTimeOffset start, DateTimeOffset createdAt)
    {
        var appointment = new Appointment
        {
            Id = Guid.CreateVersion7(createdAt),
            CustomerId = customer.Id,
            ServiceId = service.Id,
            LocationId = resource.LocationId,
            ResourceId = resource.Id,
            Source = BookingSource.Online,
            CreatedAt = createdAt,
        };
        appointment.Schedule(start, service.Duration, service.Buffer);
        return appointment;
    }

    private static DateTimeOffset ToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone) =>
        new(TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(time), zone), TimeSpan.Zero);

    private static Customer NewCustomer(int i, Random random, DateTimeOffset now)
    {
        var first = FirstNames[i % FirstNames.Length];
        var last = LastNames[(i * 7 + i / FirstNames.Length) % LastNames.Length];
        // Past every first and last name pairing, a middle initial keeps names apart.
        var pairings = FirstNames.Length * LastNames.Length;
        var middle = i < pairings ? "" : $"{"ABCDEFGHJKLMNPRSTW"[i / pairings % 18]}. ";
        return new Customer
        {
            Id = Guid.CreateVersion7(now),
            FullName = $"{first} {middle}{last}",
            PreferredName = i % 4 == 0 ? first[..Math.Min(first.Length, 3)] : null,
            Email = $"{Slug(first)}.{Slug(last)}{i}@example.com",
            Phone = $"+1 212 555 {1000 + i:0000}",
            DateOfBirth = new DateOnly(1950 + random.Next(0, 35), 1 + random.Next(0, 12), 1 + random.Next(0, 28)),
            PreferredTimeOfDay = (TimeOfDayPreference)(i % 3),
            EmailOptOut = i % 50 == 49,
            CreatedAt = now.AddDays(-800),
        };
    }

    private static string Slug(string name) =>
        new(name.Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetter).Select(char.ToLowerInvariant).ToArray());

    private static readonly (DateOnly Date, string Reason)[] Holidays =
    [
        (new DateOnly(2026, 11, 26), "Thanksgiving"),
        (new DateOnly(2026, 12, 25), "Christmas Day"),
        (new DateOnly(2027, 1, 1), "New Year's Day"),
        (new DateOnly(2027, 5, 31), "Memorial Day"),
        (new DateOnly(2027, 7, 5), "Independence Day (observed)"),
    ];

    /// <summary>The id of what a set-up editor saved; anything else (a refusal) stops the seeding, naming what was wrong.</summary>
    private static Guid Saved(PlacesSave outcome, string what) => outcome switch
    {
        PlacesSave.Saved saved => saved.Id,
        PlacesSave.Invalid invalid => throw Refused(what, invalid.Errors),
        _ => throw new InvalidOperationException($"Demo set-up: {what} was not saved ({outcome.GetType().Name})."),
    };

    private static Guid Saved(SetupOutcome outcome, string what) => outcome switch
    {
        SetupOutcome.Saved saved => saved.Id,
        SetupOutcome.Invalid invalid => throw Refused(what, invalid.Errors),
        _ => throw new InvalidOperationException($"Demo set-up: {what} was not saved ({outcome.GetType().Name})."),
    };

    private static InvalidOperationException Refused(string what, IReadOnlyDictionary<string, string> errors) =>
        new($"Demo set-up: {what} was refused: {string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value}"))}");

    private async Task<(Location, Location)> SetUpLocationsAsync(CancellationToken ct)
    {
        async Task<Location> Create(string slug, string name, string address, string postal, string phone, string directions, string arrival, string parking)
        {
            var id = Saved(await locationSettings.CreateAsync(new LocationForm
            {
                Slug = slug, Name = name, AddressLine = address, City = "New York", Region = "NY", PostalCode = postal,
                TimeZoneId = Zone, Phone = phone, DirectionsUrl = directions, ArrivalNotes = arrival, ParkingNotes = parking,
            }, ct), name);
            return (await db.Locations.FindAsync([id], ct))!;
        }

        return (
            await Create("riverside", "Riverside Women's Imaging", "410 Riverside Drive, Suite 2", "10025", "+1 212 555 0140",
                "https://www.openstreetmap.org/search?query=410%20Riverside%20Drive%20New%20York",
                "Please arrive 10 minutes early; reception is on the 2nd floor.",
                "Free parking for patients in the garage on 113th Street; bring your ticket to the front desk."),
            await Create("midtown", "Midtown Screening Center", "250 West 57th Street, 4th floor", "10107", "+1 212 555 0190",
                "https://www.openstreetmap.org/search?query=250%20West%2057th%20Street%20New%20York",
                "Nearest subway: 57 St–7 Av (N, Q, R, W).",
                "Street parking is scarce; the garage on 56th Street validates 2 hours."));
    }

    private async Task<(Service, Service, Service)> SetUpServicesAsync(CancellationToken ct)
    {
        async Task<Service> Create(ServiceForm form)
        {
            form.CalendarTitle = ServiceSettings.NeutralCalendarTitle;
            var id = Saved(await serviceSettings.CreateAsync(form, ct), form.Name!);
            return (await db.Services.FindAsync([id], ct))!;
        }

        return (
            await Create(new ServiceForm
            {
                Slug = "screening-mammogram", Name = "Screening mammogram",
                Description = "Routine yearly breast screening for people without symptoms.",
                DurationMinutes = "30", BufferMinutes = "10", CoverageIntervalDays = "365", RecallIntervalDays = "365",
                ReminderOffsets = "7 days, 1 day, 2 hours",
                PreparationNotes = "Please do not use deodorant, powder or lotion under your arms or on your chest on the day. A two-piece outfit is easiest.",
                ResultsMinBusinessDays = "1", ResultsMaxBusinessDays = "2",
            }),
            await Create(new ServiceForm
            {
                Slug = "diagnostic-mammogram", Name = "Diagnostic mammogram",
                Description = "A closer look when you or your doctor have a concern. Bring your referral.",
                DurationMinutes = "45", BufferMinutes = "15", ReminderOffsets = "1 day, 2 hours",
                PreparationNotes = "Please bring your referral and any earlier images. Do not use deodorant or powder on the day.",
                ResultsMinBusinessDays = "1", ResultsMaxBusinessDays = "2",
            }),
            await Create(new ServiceForm
            {
                Slug = "bone-density-scan", Name = "Bone density scan",
                Description = "A quick, low-dose DEXA scan of hip and spine.",
                DurationMinutes = "20", BufferMinutes = "10", CoverageIntervalDays = "730", RecallIntervalDays = "730",
                ReminderOffsets = "7 days, 1 day, 2 hours",
                PreparationNotes = "Do not take calcium supplements for 24 hours before your scan. Wear clothes without metal zips or buttons.",
                ResultsMinBusinessDays = "2", ResultsMaxBusinessDays = "3",
            }));
    }

    /// <summary>Rooms and machines as the rooms page saves them: weekdays 08:00–17:00 with a lunch break, some on Saturday mornings.</summary>
    private async Task<List<Resource>> SetUpRoomsAsync(Location riverside, Location midtown, Service screening, Service diagnostic, Service boneDensity,
        CancellationToken ct)
    {
        const string Weekday = "08:00–12:00, 13:00–17:00";
        async Task<Resource> Create(Location location, string name, ResourceKind kind, bool saturday, params Service[] services)
        {
            var hours = RoomsForm.Week.Where(d => d is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToDictionary(d => d, _ => (string?)Weekday);
            if (saturday) hours[DayOfWeek.Saturday] = "09:00–13:00";
            var form = new RoomsForm
            {
                Name = name, Kind = kind.ToString(), LocationId = location.Id.ToString(),
                Services = services.Select(s => s.Id.ToString()).ToList(), Hours = hours,
            };
            var id = Saved(await roomsEditor.SaveAsync(null, form, null, [], ct), $"{name} at {location.Name}");
            return (await db.Resources.FindAsync([id], ct))!;
        }

        return
        [
            await Create(riverside, "Mammography room 1", ResourceKind.Room, true, screening, diagnostic),
            await Create(riverside, "Mammography room 2", ResourceKind.Room, false, screening, diagnostic),
            await Create(riverside, "DEXA room", ResourceKind.Machine, false, boneDensity),
            await Create(midtown, "Mammography suite A", ResourceKind.Room, true, screening, diagnostic),
            await Create(midtown, "DEXA suite", ResourceKind.Machine, false, boneDensity),
        ];
    }

    /// <summary>The holidays: those to come through the closures page's editor; those over already (which it refuses) as history.</summary>
    private async Task SetUpClosuresAsync(Location[] locations, DateOnly today, CancellationToken ct)
    {
        foreach (var location in locations)
            foreach (var (date, reason) in Holidays)
            {
                if (date < today)
                {
                    db.LocationClosures.Add(new LocationClosure { Id = Guid.CreateVersion7(), LocationId = location.Id, From = date, To = date, Reason = reason });
                    continue;
                }
                var day = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                Saved(await closuresEditor.AddAsync(new ClosureForm(location.Id.ToString(), null, day, day, reason), [], ct), $"{reason} at {location.Name}");
            }
    }
}
