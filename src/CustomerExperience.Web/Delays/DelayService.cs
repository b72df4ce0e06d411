using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Delays;

/// <summary>What a front-desk form sends, as typed: <see cref="DelayService"/> checks every field.</summary>
public sealed record DelayRequest(string? LocationId, string? ResourceId, string? Minutes, string? Message);

public abstract record DelayOutcome
{
    /// <param name="Emailed">Customers emailed by this change (0 when nobody needed telling).</param>
    public sealed record Done(Delay Delay, int Emailed, bool Updated) : DelayOutcome;
    /// <summary>One message per bad field, keyed by the form field's name.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : DelayOutcome;
    public sealed record NotFound : DelayOutcome;
    /// <summary>The delay was already cleared.</summary>
    public sealed record Ended : DelayOutcome;
}

/// <summary>The delay that applies to one visit and when it is now expected to start.</summary>
public sealed record VisitDelay(int Minutes, DateTimeOffset ExpectedStart, string? Message);

/// <summary>
/// Front-desk delays: post one for a location or one of its resources, change its minutes, clear it. One running delay
/// per place: posting again for the same place updates the running one. Every change is audited with the staff
/// member's name and tells the affected customers (<see cref="DelayNotifier"/>) in the same transaction.
/// </summary>
public class DelayService(AppDbContext db, DelayNotifier notifier, Audit audit, TimeProvider clock)
{
    public async Task<DelayOutcome> PostAsync(DelayRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var (minutes, minutesError) = DelayRules.ParseMinutes(request.Minutes);
        if (minutesError is not null) errors["minutes"] = minutesError;
        var (message, messageError) = DelayRules.CleanMessage(request.Message);
        if (messageError is not null) errors["message"] = messageError;

        Location? location = null;
        if (!Guid.TryParse(request.LocationId, out var locationId)
            || (location = await db.Locations.AsNoTracking().FirstOrDefaultAsync(l => l.Id == locationId, ct)) is null)
            errors["locationId"] = "Choose a location from the list.";

        Resource? resource = null;
        if (!string.IsNullOrWhiteSpace(request.ResourceId))
        {
            if (!Guid.TryParse(request.ResourceId, out var resourceId)
                || (resource = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == resourceId && r.IsActive, ct)) is null)
                errors["resourceId"] = "Choose a room or machine from the list, or the whole location.";
            else if (location is not null && resource.LocationId != location.Id)
                errors["resourceId"] = $"{resource.Name} is not at {location.Name}. Choose one of its rooms, or the whole location.";
        }
        if (errors.Count > 0) return new DelayOutcome.Invalid(errors);

        var now = clock.GetUtcNow();
        var (staffId, staffName) = audit.CurrentStaff();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await notifier.LockLocationAsync(location!.Id, ct);
        var current = await notifier.CurrentDelaysAsync(location, ct);
        var delay = current.FirstOrDefault(d => d.ResourceId == resource?.Id);
        var updated = delay is not null;
        var place = Place(location, resource);
        if (delay is null)
        {
            delay = new Delay
            {
                Id = Guid.CreateVersion7(), LocationId = location.Id, ResourceId = resource?.Id, Minutes = minutes!.Value,
                Message = message, PostedById = staffId, PostedBy = staffName, PostedAt = now, UpdatedAt = now,
            };
            db.Delays.Add(delay);
            audit.Record(AuditActions.DelayPosted, $"{place}: running {minutes} minutes late{Quote(message)}");
        }
        else
        {
            audit.Record(AuditActions.DelayChanged, $"{place}: from {delay.Minutes} to {minutes} minutes late{Quote(message)}");
            delay.Minutes = minutes!.Value;
            delay.Message = message;
            delay.UpdatedAt = now;
        }
        // The new delay must be in the database before the notices that point at it.
        await db.SaveChangesAsync(ct);
        var emailed = await notifier.NotifyAtAsync(location, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new DelayOutcome.Done(delay, emailed, updated);
    }

    /// <summary>Raises or lowers a running delay (its message stays).</summary>
    public async Task<DelayOutcome> ChangeAsync(Guid delayId, string? minutesText, CancellationToken ct)
    {
        var (minutes, error) = DelayRules.ParseMinutes(minutesText);
        if (error is not null) return new DelayOutcome.Invalid(new Dictionary<string, string> { ["minutes"] = error });

        return await WithDelayAsync(delayId, async (delay, location, ct) =>
        {
            audit.Record(AuditActions.DelayChanged, $"{Place(location, delay.Resource)}: from {delay.Minutes} to {minutes} minutes late");
            delay.Minutes = minutes!.Value;
            delay.UpdatedAt = clock.GetUtcNow();
            return await notifier.NotifyAtAsync(location, ct);
        }, ct);
    }

    /// <summary>Ends a delay: it no longer shows anywhere and tells no one. Customers are not emailed about it.</summary>
    public async Task<DelayOutcome> ClearAsync(Guid delayId, CancellationToken ct) =>
        await WithDelayAsync(delayId, (delay, location, _) =>
        {
            var (_, staffName) = audit.CurrentStaff();
            audit.Record(AuditActions.DelayCleared, $"{Place(location, delay.Resource)}: cleared (was {delay.Minutes} minutes late)");
            delay.ClearedAt = clock.GetUtcNow();
            delay.ClearedBy = staffName;
            return Task.FromResult(0);
        }, ct);

    /// <summary>The location's current delays (location-wide first, then by resource name), for the pages.</summary>
    public async Task<List<Delay>> CurrentAtAsync(Location location, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var running = await db.Delays.AsNoTracking().Include(d => d.Resource)
            .Where(d => d.LocationId == location.Id && d.ClearedAt == null).ToListAsync(ct);
        return running.Where(d => DelayRules.IsCurrent(d, location, now))
            .OrderBy(d => d.ResourceId is null ? 0 : 1).ThenBy(d => d.Resource?.Name).ToList();
    }

    /// <summary>The delay a booked or checked-in visit today is subject to, or null.</summary>
    public async Task<VisitDelay?> ForVisitAsync(Appointment visit, Location location, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!visit.IsActive || DelayRules.LocalDate(visit.Start, location) != DelayRules.LocalDate(now, location))
            return null;
        if (DelayRules.Applying(await CurrentAtAsync(location, ct), visit.ResourceId) is not { } delay)
            return null;
        return new VisitDelay(delay.Minutes, visit.Start.AddMinutes(delay.Minutes), delay.Message);
    }

    private async Task<DelayOutcome> WithDelayAsync(Guid delayId, Func<Delay, Location, CancellationToken, Task<int>> change, CancellationToken ct)
    {
        var locationId = await db.Delays.Where(d => d.Id == delayId).Select(d => (Guid?)d.LocationId).FirstOrDefaultAsync(ct);
        if (locationId is null) return new DelayOutcome.NotFound();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await notifier.LockLocationAsync(locationId.Value, ct);
        var location = await db.Locations.AsNoTracking().SingleAsync(l => l.Id == locationId, ct);
        var delay = (await notifier.CurrentDelaysAsync(location, ct)).FirstOrDefault(d => d.Id == delayId);
        if (delay is null)
        {
            // Cleared meanwhile, or left over from an earlier day (closed just now by CurrentDelaysAsync).
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return new DelayOutcome.Ended();
        }
        var emailed = await change(delay, location, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new DelayOutcome.Done(delay, emailed, Updated: true);
    }

    public static string Place(Location location, Resource? resource) =>
        resource is null ? location.Name : $"{resource.Name} at {location.Name}";

    private static string Quote(string? message) => message is null ? "" : $" (\"{message}\")";
}
