using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Data;

/// <summary>
/// A demo screening clinic: two locations, three services, rooms with weekday hours, holidays, and a few
/// hundred customers with past visits. Deterministic, and seeded once: a second run changes nothing.
/// </summary>
public class DemoData(AppDbContext db, TimeProvider clock)
{
    public const string Zone = "America/New_York";
    private const int CustomerCount = 300;

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
        var (riverside, midtown) = Locations();
        var (screening, diagnostic, boneDensity) = Services();
        var resources = Resources(riverside, midtown, screening, diagnostic, boneDensity);
        db.AddRange(riverside, midtown, screening, diagnostic, boneDensity);
        db.AddRange(resources);

        var random = new Random(20261123);
        var customers = Enumerable.Range(0, CustomerCount).Select(i => NewCustomer(i, random, now)).ToList();
        db.AddRange(customers);

        var taken = new HashSet<(Guid Resource, DateOnly Day, int Slot)>();
        var today = Location.DateIn(zone, now);
        var mammography = resources.Where(r => r.Services.Contains(screening)).ToList();
        var dexa = resources.Where(r => r.Services.Contains(boneDensity)).ToList();

        foreach (var (customer, i) in customers.Select((c, i) => (c, i)))
        {
            // Spread last screenings over the past two years, so some customers are due for a recall now.
            var daysAgo = 20 + random.Next(0, 700);
            var room = mammography[i % mammography.Count];
            AddPastVisit(customer, screening, room, today.AddDays(-daysAgo), random, taken, zone);
            if (daysAgo > 400)
                AddPastVisit(customer, screening, room, today.AddDays(-daysAgo + 365), random, taken, zone);
            if (i % 5 == 0)
                AddPastVisit(customer, boneDensity, dexa[i % dexa.Count], today.AddDays(-(30 + random.Next(0, 900))), random, taken, zone);
        }

        // Today is a full day for the front desk (what already happened is checked in or completed), and the next
        // few days have visits too. Some customers carry the personal touches the visit panel shows.
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
                    visit.CheckIn(start.AddMinutes(-5));
                    visit.Complete(start + screening.Duration);
                }
                else if (start < now.AddMinutes(15))
                    visit.CheckIn(now.AddMinutes(-5));
                db.Add(visit);
                if (slot % 3 == 0)
                    AddPersonalTouches(customer, now);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private void AddPastVisit(Customer customer, Service service, Resource resource, DateOnly date, Random random,
        HashSet<(Guid, DateOnly, int)> taken, TimeZoneInfo zone)
    {
        while (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            date = date.AddDays(-1);
        var slot = random.Next(0, 12);
        while (!taken.Add((resource.Id, date, slot)))
            slot = (slot + 1) % 12;
        // Twelve 40-minute slots from 08:00, skipping the lunch hour.
        var time = new TimeOnly(8, 0).AddMinutes(slot * 40 + (slot >= 6 ? 40 : 0));
        var start = ToUtc(date, time, zone);
        var appointment = NewAppointment(customer, service, resource, start, start.AddDays(-20));
        appointment.CheckIn(start.AddMinutes(-5));
        appointment.Complete(start + service.Duration);
        db.Add(appointment);
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
        var last = LastNames[(i * 7) % LastNames.Length];
        return new Customer
        {
            Id = Guid.CreateVersion7(now),
            FullName = $"{first} {last}",
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

    private static (Location, Location) Locations()
    {
        Location Build(string slug, string name, string address, string postal, string phone, string directions, string arrival) => new()
        {
            Id = Guid.CreateVersion7(),
            Slug = slug,
            Name = name,
            AddressLine = address,
            City = "New York",
            Region = "NY",
            PostalCode = postal,
            TimeZoneId = Zone,
            Phone = phone,
            DirectionsUrl = directions,
            ArrivalNotes = arrival,
            Closures = Holidays.Select(h => new LocationClosure { Id = Guid.CreateVersion7(), From = h.Date, To = h.Date, Reason = h.Reason }).ToList(),
        };

        return (
            Build("riverside", "Riverside Women's Imaging", "410 Riverside Drive, Suite 2", "10025", "+1 212 555 0140",
                "https://www.openstreetmap.org/search?query=410%20Riverside%20Drive%20New%20York",
                "Free parking for patients in the garage on 113th Street; bring your ticket to the front desk. Please arrive 10 minutes early."),
            Build("midtown", "Midtown Screening Center", "250 West 57th Street, 4th floor", "10107", "+1 212 555 0190",
                "https://www.openstreetmap.org/search?query=250%20West%2057th%20Street%20New%20York",
                "Nearest subway: 57 St–7 Av (N, Q, R, W). Street parking is scarce; the garage on 56th Street validates 2 hours."));
    }

    private static (Service, Service, Service) Services() => (
        new Service
        {
            Id = Guid.CreateVersion7(), Slug = "screening-mammogram", Name = "Screening mammogram",
            Description = "Routine yearly breast screening for people without symptoms.",
            DurationMinutes = 30, BufferMinutes = 10, CoverageIntervalDays = 365, RecallIntervalDays = 365,
            ReminderOffsetsMinutes = [7 * 24 * 60, 24 * 60, 120],
            PreparationNotes = "Please do not use deodorant, powder or lotion under your arms or on your chest on the day. A two-piece outfit is easiest.",
            ResultsMinBusinessDays = 1, ResultsMaxBusinessDays = 2, CalendarTitle = "Clinic appointment",
        },
        new Service
        {
            Id = Guid.CreateVersion7(), Slug = "diagnostic-mammogram", Name = "Diagnostic mammogram",
            Description = "A closer look when you or your doctor have a concern. Bring your referral.",
            DurationMinutes = 45, BufferMinutes = 15, ReminderOffsetsMinutes = [24 * 60, 120],
            PreparationNotes = "Please bring your referral and any earlier images. Do not use deodorant or powder on the day.",
            ResultsMinBusinessDays = 1, ResultsMaxBusinessDays = 2, CalendarTitle = "Clinic appointment",
        },
        new Service
        {
            Id = Guid.CreateVersion7(), Slug = "bone-density-scan", Name = "Bone density scan",
            Description = "A quick, low-dose DEXA scan of hip and spine.",
            DurationMinutes = 20, BufferMinutes = 10, CoverageIntervalDays = 730, RecallIntervalDays = 730,
            ReminderOffsetsMinutes = [7 * 24 * 60, 24 * 60, 120],
            PreparationNotes = "Do not take calcium supplements for 24 hours before your scan. Wear clothes without metal zips or buttons.",
            ResultsMinBusinessDays = 2, ResultsMaxBusinessDays = 3, CalendarTitle = "Clinic appointment",
        });

    private static List<Resource> Resources(Location riverside, Location midtown, Service screening, Service diagnostic, Service boneDensity)
    {
        List<WorkingHours> Weekdays(bool saturday)
        {
            var hours = new List<WorkingHours>();
            foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
            {
                hours.Add(new WorkingHours { Id = Guid.CreateVersion7(), Day = day, Opens = new TimeOnly(8, 0), Closes = new TimeOnly(12, 0) });
                hours.Add(new WorkingHours { Id = Guid.CreateVersion7(), Day = day, Opens = new TimeOnly(13, 0), Closes = new TimeOnly(17, 0) });
            }
            if (saturday)
                hours.Add(new WorkingHours { Id = Guid.CreateVersion7(), Day = DayOfWeek.Saturday, Opens = new TimeOnly(9, 0), Closes = new TimeOnly(13, 0) });
            return hours;
        }

        Resource Build(Location location, string name, ResourceKind kind, bool saturday, params Service[] services) => new()
        {
            Id = Guid.CreateVersion7(), LocationId = location.Id, Name = name, Kind = kind,
            Services = [.. services], WorkingHours = Weekdays(saturday),
        };

        return
        [
            Build(riverside, "Mammography room 1", ResourceKind.Room, true, screening, diagnostic),
            Build(riverside, "Mammography room 2", ResourceKind.Room, false, screening, diagnostic),
            Build(riverside, "DEXA room", ResourceKind.Machine, false, boneDensity),
            Build(midtown, "Mammography suite A", ResourceKind.Room, true, screening, diagnostic),
            Build(midtown, "DEXA suite", ResourceKind.Machine, false, boneDensity),
        ];
    }
}
