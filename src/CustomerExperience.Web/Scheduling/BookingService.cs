using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CustomerExperience.Web.Scheduling;

/// <summary>What can come of a booking, reschedule or cancel request.</summary>
public abstract record BookingOutcome
{
    public sealed record Done(Appointment Visit, Location Location, string ManageToken) : BookingOutcome;
    /// <summary>The time exists but is no longer free (or was taken while we wrote): offer these instead.</summary>
    public sealed record Taken(IReadOnlyList<Slot> Alternatives) : BookingOutcome;
    /// <summary>Bad input, one message per field (fields named as in the API).</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : BookingOutcome;
    /// <summary>The customer's insurance covers this service again only from <paramref name="CoveredFrom"/>.</summary>
    public sealed record NotCovered(DateOnly CoveredFrom) : BookingOutcome;
    public sealed record NotFound(string What) : BookingOutcome;
    /// <summary>The visit is cancelled, completed or otherwise no longer changeable; <paramref name="Current"/> is how it stands.</summary>
    public sealed record Closed(string Reason, Appointment? Current = null) : BookingOutcome;
    /// <summary>The visit changed after the form was shown (its version differs); nothing was done.</summary>
    public sealed record Changed(Appointment Current) : BookingOutcome
    {
        public string Message => ChangedMeanwhile(Current);
    }
    /// <summary>Too close to the visit to change it online: call the clinic.</summary>
    public sealed record InsideCutoff(string Phone, TimeSpan Cutoff) : BookingOutcome;

    /// <summary>What staff read when they acted on a visit as an older page showed it.</summary>
    public static string ChangedMeanwhile(Appointment current) =>
        $"This visit was changed meanwhile, so nothing was done. Here is how it stands now: {BookingService.Describe(current.Status)}, " +
        $"{AppointmentEmails.FormatWhen(current.Start, current.Location!)}.";

    public static Invalid Error(string field, string message) => new(new Dictionary<string, string> { [field] = message });
}

/// <param name="CustomerId">The clinic's own bookings name the customer (front desk, rebooking); a public form's details
/// are matched by <see cref="CustomerIdentity"/>.</param>
public sealed record BookingRequest(
    Guid ServiceId, Guid LocationId, DateTimeOffset Start, CustomerDetails Customer,
    bool AcceptNotCovered = false, BookingSource Source = BookingSource.Online, Guid? PreferredResourceId = null,
    Guid? CustomerId = null);

/// <summary>
/// The booking write path. One transaction upserts the customer, inserts the visit and queues the email.
/// The database's exclusion constraint is the last word on double booking: a 23P01 means someone else got
/// there first, and the customer is offered the nearest free times.
/// </summary>
public class BookingService(
    AppDbContext db, AvailabilityService availability, Eligibility eligibility, Outbox outbox,
    AppointmentEmails emails, MessageTexts texts, TimeProvider clock, IOptions<BookingRules> rules, Metrics metrics)
{
    private const string ExclusionViolation = "23P01";

    /// <param name="audit">Called inside the transaction once the visit is placed; whatever it adds to the context (an
    /// audit entry saying who booked) is saved and committed with the visit, or not at all.</param>
    public async Task<BookingOutcome> BookAsync(BookingRequest request, CancellationToken ct, Action<Appointment>? audit = null)
    {
        var now = clock.GetUtcNow();
        var staff = request.Source == BookingSource.FrontDesk;
        // The set-up and the free slots of the visit's local day in one go (one version read).
        if (await availability.OfferOnAsync(request.ServiceId, request.LocationId, request.Start, ct, staff) is not { } offer)
            return new BookingOutcome.NotFound("service at that location");
        var (service, location) = (offer.Setup.Service, offer.Setup.Location);

        var today = location.LocalDate(now);
        var errors = request.Customer.Validate(today, online: request.Source == BookingSource.Online);
        if (errors.Count > 0) return new BookingOutcome.Invalid(errors);

        var (slot, problem) = await FindSlotAsync(service, location, request.Start, null, staff, ct, offer);
        if (problem is not null) return problem;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        using var _ = new WithoutSavepoints(db);
        var (customer, known) = request.CustomerId is { } id
            ? (await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct), true)
            : await MatchOrCreateCustomerAsync(request.Customer, now, ct);
        if (customer is null) return new BookingOutcome.NotFound("customer");
        // Only a customer on file can have had a visit; the public form's details identify one only as CustomerIdentity
        // matches them, so this reveals nothing about anybody else who shares the email.
        if (known && !request.AcceptNotCovered
            && await eligibility.CoveredFromAsync(customer.Id, service, ct) is { } coveredFrom
            && LocalDate(request.Start, location) < coveredFrom)
        {
            await transaction.RollbackAsync(ct);
            return new BookingOutcome.NotCovered(coveredFrom);
        }
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(),
            CustomerId = customer.Id,
            ServiceId = service.Id,
            LocationId = location.Id,
            Source = request.Source,
            CreatedAt = now,
        };
        visit.Schedule(request.Start, service.Duration, service.Buffer);

        var resources = slot!.FreeResourceIds.OrderBy(id => id == request.PreferredResourceId ? 0 : 1).ToList();
        if (!await TryPlaceAsync(visit, resources, ct))
        {
            await transaction.RollbackAsync(ct);
            return await TakenAsync(service, location, request.Start, null, ct);
        }
        if (!await availability.StillOpenAsync(visit.ResourceId, service.Id, location.Id, visit.Start, visit.End, ct))
        {
            await transaction.RollbackAsync(ct);
            return NoLongerOffered;
        }
        var token = ManageToken.Issue(db, visit.Id, now);
        audit?.Invoke(visit);
        await db.SaveChangesAsync(ct);

        var template = await texts.ForAsync(AppointmentEmails.KindOf(AppointmentEmails.Change.Booked, visit), ct);
        await outbox.EnqueueAsync(emails.Build(template, AppointmentEmails.Change.Booked, visit, service, location, customer, token, now), ct);
        await transaction.CommitAsync(ct);
        metrics.BookingMade(request.Source);
        return new BookingOutcome.Done(visit, location, token);
    }

    public async Task<BookingOutcome> RescheduleAsync(string token, DateTimeOffset start, CancellationToken ct, bool staffOverride = false) =>
        await VisitIdAsync(token, ct) is { } visitId
            ? await RescheduleAsync(visitId, token, start, staffOverride, shownVersion: null, audit: null, ct)
            : new BookingOutcome.NotFound("booking");

    /// <summary>Staff move a visit by its id (they have no manage token); the customer's email carries a fresh one.</summary>
    /// <param name="staffOverride">Skips the change cut-off; never the no-double-booking rule.</param>
    /// <param name="audit">Called inside the transaction once the visit has moved; what it adds to the context is
    /// committed with the move, or not at all.</param>
    /// <param name="shownVersion">The <see cref="Appointment.Version"/> the staff form showed: if the visit changed since,
    /// nothing happens and the outcome is <see cref="BookingOutcome.Changed"/>.</param>
    public async Task<BookingOutcome> RescheduleAsync(Guid visitId, DateTimeOffset start, CancellationToken ct,
        bool staffOverride = false, Action<Appointment>? audit = null, uint? shownVersion = null) =>
        await RescheduleAsync(visitId, token: null, start, staffOverride, shownVersion, audit, ct);

    public async Task<BookingOutcome> CancelAsync(string token, CancellationToken ct, bool staffOverride = false, string reason = "Cancelled by the customer") =>
        await VisitIdAsync(token, ct) is { } visitId
            ? await CancelAsync(visitId, token, reason, staffOverride, shownVersion: null, audit: null, ct)
            : new BookingOutcome.NotFound("booking");

    /// <summary>Staff cancel a visit by its id; see <see cref="RescheduleAsync(Guid, DateTimeOffset, CancellationToken, bool, Action{Appointment}, uint?)"/>.</summary>
    public async Task<BookingOutcome> CancelAsync(Guid visitId, string reason, CancellationToken ct,
        bool staffOverride = false, Action<Appointment>? audit = null, uint? shownVersion = null) =>
        await CancelAsync(visitId, token: null, reason, staffOverride, shownVersion, audit, ct);

    /// <param name="token">The manage token the customer came with (the outcome gives it back); null for staff. The email
    /// gets a fresh one either way.</param>
    private async Task<BookingOutcome> RescheduleAsync(Guid visitId, string? token, DateTimeOffset start, bool staffOverride,
        uint? shownVersion, Action<Appointment>? audit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await LockAsync(visitId, ct) is not { } visit)
            return new BookingOutcome.NotFound("booking");
        if (shownVersion is { } shown && shown != visit.Version)
            return new BookingOutcome.Changed(visit);
        if (visit.Status != AppointmentStatus.Booked)
            return new BookingOutcome.Closed($"This visit is {Describe(visit.Status)} and can no longer be changed.", visit);
        if (!staffOverride && visit.Start - now < rules.Value.ChangeCutoff)
            return new BookingOutcome.InsideCutoff(visit.Location!.Phone, rules.Value.ChangeCutoff);
        var (slot, problem) = await FindSlotAsync(visit.Service!, visit.Location!, start, visit.Id, staff: staffOverride, ct);
        if (problem is not null) return problem;
        // The same time is a move only when the visit's own room can no longer take it (closed, out of use).
        if (start == visit.Start && slot!.FreeResourceIds.Contains(visit.ResourceId))
            return BookingOutcome.Error("start", "That is already the time of your visit. Choose a different time.");

        // Keep the same room or machine when it is free: fewer surprises for the front desk.
        var resources = slot!.FreeResourceIds.OrderBy(id => id == visit.ResourceId ? 0 : 1).ToList();
        var placed = false;
        foreach (var resourceId in resources)
        {
            visit.Reschedule(start, visit.Service!.Duration, visit.Service.Buffer, resourceId, now);
            if (await TrySaveAsync(ct)) { placed = true; break; }
            await db.Entry(visit).ReloadAsync(ct);
        }
        if (!placed)
        {
            await transaction.RollbackAsync(ct);
            return await TakenAsync(visit.Service!, visit.Location!, start, visit.Id, ct);
        }
        if (!await availability.StillOpenAsync(visit.ResourceId, visit.ServiceId, visit.LocationId, visit.Start, visit.End, ct))
        {
            await transaction.RollbackAsync(ct);
            return NoLongerOffered;
        }
        var fresh = ManageToken.Issue(db, visit.Id, now);
        audit?.Invoke(visit);
        await db.SaveChangesAsync(ct);

        await outbox.WithdrawPendingAsync(visit.Id, "reminder", ct);
        await EnqueueChangeAsync(AppointmentEmails.Change.Rescheduled, visit, fresh, now, ct);
        await transaction.CommitAsync(ct);
        return new BookingOutcome.Done(visit, visit.Location!, token ?? fresh);
    }

    /// <summary>A customer cancels only a booked visit; staff also a checked-in one (the customer had to leave).</summary>
    private async Task<BookingOutcome> CancelAsync(Guid visitId, string? token, string reason, bool staffOverride,
        uint? shownVersion, Action<Appointment>? audit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await LockAsync(visitId, ct) is not { } visit)
            return new BookingOutcome.NotFound("booking");
        if (shownVersion is { } shown && shown != visit.Version)
            return new BookingOutcome.Changed(visit);
        if (token is null ? !visit.IsActive : visit.Status != AppointmentStatus.Booked)
            return new BookingOutcome.Closed($"This visit is {Describe(visit.Status)} and can no longer be changed.", visit);
        if (!staffOverride && visit.Start - now < rules.Value.ChangeCutoff)
            return new BookingOutcome.InsideCutoff(visit.Location!.Phone, rules.Value.ChangeCutoff);

        var fresh = ManageToken.Issue(db, visit.Id, now);
        visit.Cancel(reason, now);
        audit?.Invoke(visit);
        await db.SaveChangesAsync(ct);
        await outbox.WithdrawPendingAsync(visit.Id, "reminder", ct);
        await EnqueueChangeAsync(AppointmentEmails.Change.Cancelled, visit, fresh, now, ct);
        await transaction.CommitAsync(ct);
        return new BookingOutcome.Done(visit, visit.Location!, token ?? fresh);
    }

    /// <summary>
    /// The visit, read inside the caller's transaction with its row locked until it ends, so a change decided on it
    /// cannot overwrite another that committed meanwhile: concurrent changes of one visit queue up here, and each
    /// decides on what the one before it left.
    /// </summary>
    private async Task<Appointment?> LockAsync(Guid visitId, CancellationToken ct)
    {
        // A copy this context read earlier would answer the query instead of the locked row.
        if (db.Appointments.Local.FirstOrDefault(a => a.Id == visitId) is { } earlier)
            db.Entry(earlier).State = EntityState.Detached;
        return await db.Appointments
            .FromSql($"SELECT *, xmin FROM cx.appointments WHERE id = {visitId} FOR UPDATE")
            .Include(a => a.Service).Include(a => a.Location).Include(a => a.Customer)
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>Every committed change has its own email: the key carries the calendar sequence the change raised, so a
    /// repeated key means two changes decided on the same state, which the row lock rules out.</summary>
    private async Task EnqueueChangeAsync(AppointmentEmails.Change change, Appointment visit, string token, DateTimeOffset now, CancellationToken ct)
    {
        var template = await texts.ForAsync(AppointmentEmails.KindOf(change, visit), ct);
        var message = emails.Build(template, change, visit, visit.Service!, visit.Location!, visit.Customer!, token, now);
        if (!await outbox.EnqueueAsync(message, ct))
            throw new InvalidOperationException($"An email with the key {message.IdempotencyKey} was already queued.");
    }

    /// <summary>The time was offered from a set-up that changed meanwhile (new hours, a closure, a room taken out of use).</summary>
    private static readonly BookingOutcome NoLongerOffered =
        BookingOutcome.Error("start", "That time is no longer offered: the clinic's hours changed meanwhile. Choose a time from the list.");

    /// <summary>A visit by id, with what its pages and emails show; null when there is none.</summary>
    public async Task<Appointment?> FindAsync(Guid visitId, CancellationToken ct) =>
        await db.Appointments
            .Include(a => a.Service).Include(a => a.Location).Include(a => a.Customer)
            .FirstOrDefaultAsync(a => a.Id == visitId, ct);

    private async Task<Guid?> VisitIdAsync(string token, CancellationToken ct)
    {
        if (!ManageToken.LooksValid(token)) return null;
        var hash = ManageToken.Hash(token);
        return await db.AppointmentManageTokens.Where(t => t.Hash == hash).Select(t => (Guid?)t.AppointmentId).FirstOrDefaultAsync(ct);
    }

    /// <summary>The visit behind a manage token, with what its pages and emails show; null for unknown or malformed tokens.</summary>
    public async Task<Appointment?> FindByTokenAsync(string? token, CancellationToken ct)
    {
        if (!ManageToken.LooksValid(token)) return null;
        var hash = ManageToken.Hash(token!);
        return await db.Appointments
            .Include(a => a.Service).Include(a => a.Location).Include(a => a.Customer)
            .FirstOrDefaultAsync(a => db.AppointmentManageTokens.Any(t => t.Hash == hash && t.AppointmentId == a.Id), ct);
    }

    public bool InsideCutoff(Appointment visit) => visit.Start - clock.GetUtcNow() < rules.Value.ChangeCutoff;

    /// <param name="staff">The front desk books without the minimum notice (walk-ins); everything else holds.</param>
    /// <param name="offer">The day's offer when the caller has it already (read with the same rules).</param>
    private async Task<(Slot? Slot, BookingOutcome? Problem)> FindSlotAsync(
        Service service, Location location, DateTimeOffset start, Guid? ignore, bool staff, CancellationToken ct,
        AvailabilityService.Offer? offer = null)
    {
        var now = clock.GetUtcNow();
        if (start <= now)
            return (null, BookingOutcome.Error("start", "That time is in the past. Choose a time from the list."));
        if (!staff && start < now + rules.Value.MinimumNotice)
            return (null, BookingOutcome.Error("start", $"Online bookings need at least {rules.Value.MinimumNotice.TotalHours:0} hours' notice. Please call the clinic for sooner visits."));

        var day = LocalDate(start, location);
        var free = offer?.Slots ?? await availability.GetSlotsAsync(service.Id, location.Id, day, 1, ct, ignore, staff: staff);
        if (free.FirstOrDefault(s => s.Start == start) is { } slot)
            return (slot, null);

        var possible = await availability.GetSlotsAsync(service.Id, location.Id, day, 1, ct, ignore, ignoreBookings: true, staff: staff);
        if (possible.Any(s => s.Start == start))
            return (null, await TakenAsync(service, location, start, ignore, ct));
        return (null, BookingOutcome.Error("start", "That is not a time this service can be booked at this location. Choose a time from the list."));
    }

    /// <summary>The time is taken (seen before writing, or lost to the exclusion constraint): counted, with the nearest free times.</summary>
    private async Task<BookingOutcome> TakenAsync(Service service, Location location, DateTimeOffset wanted, Guid? ignore, CancellationToken ct)
    {
        metrics.BookingConflict();
        return new BookingOutcome.Taken(await AlternativesAsync(service, location, wanted, ignore, ct));
    }

    private async Task<IReadOnlyList<Slot>> AlternativesAsync(Service service, Location location, DateTimeOffset wanted, Guid? ignore, CancellationToken ct)
    {
        var day = LocalDate(wanted, location);
        var slots = await availability.GetSlotsAsync(service.Id, location.Id, day.AddDays(-3), 14, ct, ignore);
        return AvailabilityCalculator.NearestAlternatives(slots, wanted, 3);
    }

    /// <summary>
    /// Tries each free resource in turn; the exclusion constraint decides. <c>ON CONFLICT DO NOTHING</c> takes an
    /// exclusion constraint as its arbiter, so a lost race costs one statement and leaves the transaction usable.
    /// </summary>
    private async Task<bool> TryPlaceAsync(Appointment visit, IReadOnlyList<Guid> resources, CancellationToken ct)
    {
        foreach (var resourceId in resources)
        {
            var inserted = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO cx.appointments (id, customer_id, service_id, location_id, resource_id, start, "end", blocked_until,
                                             status, source, calendar_sequence, created_at)
                VALUES ({visit.Id}, {visit.CustomerId}, {visit.ServiceId}, {visit.LocationId}, {resourceId}, {visit.Start},
                        {visit.End}, {visit.BlockedUntil}, {visit.Status.ToString()}, {visit.Source.ToString()}, {visit.CalendarSequence},
                        {visit.CreatedAt})
                ON CONFLICT DO NOTHING
                """, ct);
            if (inserted == 1)
            {
                visit.ResourceId = resourceId;
                return true;
            }
        }
        return false;
    }

    private async Task<bool> TrySaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: ExclusionViolation })
        {
            return false;
        }
    }

    /// <summary>
    /// The customer these details identify (<see cref="CustomerIdentity"/>), else a new one, even when the email is on file
    /// for someone else. An existing customer's details are only filled in, never overwritten from a public form: the
    /// record may have been checked by staff. A transaction lock on the email keeps two simultaneous first bookings of one
    /// person from creating two customers.
    /// </summary>
    /// <returns>The customer, and whether they were on file already.</returns>
    private async Task<(Customer, bool Known)> MatchOrCreateCustomerAsync(CustomerDetails details, DateTimeOffset now, CancellationToken ct)
    {
        var normalized = Customer.Normalize(details.Email!);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({normalized}, 0))", ct);
        if (await CustomerIdentity.FindAsync(db, details, ct) is { } existing)
        {
            var (preferredName, phone) = (Blank(details.PreferredName), Blank(details.Phone));
            if ((existing.PreferredName is null && preferredName is not null) || (existing.Phone is null && phone is not null))
                await db.Customers.Where(c => c.Id == existing.Id).ExecuteUpdateAsync(c => c
                    .SetProperty(x => x.PreferredName, x => x.PreferredName ?? preferredName)
                    .SetProperty(x => x.Phone, x => x.Phone ?? phone), ct);
            existing.PreferredName ??= preferredName;
            existing.Phone ??= phone;
            return (existing, true);
        }
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = details.FullName!.Trim(), PreferredName = Blank(details.PreferredName),
            Email = details.Email!, Phone = Blank(details.Phone), DateOfBirth = details.DateOfBirth, CreatedAt = now,
        };
        db.Customers.Add(customer);
        await db.SaveChangesAsync(ct);
        return (customer, false);
    }

    /// <summary>
    /// EF wraps every SaveChanges inside a transaction in a savepoint (two more round trips) so that a failed save can
    /// be caught and the transaction go on. The booking never goes on after a failed save, so it does without.
    /// </summary>
    private sealed class WithoutSavepoints : IDisposable
    {
        private readonly AppDbContext db;

        public WithoutSavepoints(AppDbContext db)
        {
            this.db = db;
            db.Database.AutoSavepointsEnabled = false;
        }

        public void Dispose() => db.Database.AutoSavepointsEnabled = true;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateOnly LocalDate(DateTimeOffset instant, Location location) =>
        location.LocalDate(instant);

    public static string Describe(AppointmentStatus status) => status switch
    {
        AppointmentStatus.Cancelled => "cancelled",
        AppointmentStatus.Completed => "completed",
        AppointmentStatus.NoShow => "marked as missed",
        AppointmentStatus.CheckedIn => "checked in",
        _ => "booked",
    };
}
