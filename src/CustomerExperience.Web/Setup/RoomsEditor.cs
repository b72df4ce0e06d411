using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Setup;

/// <summary>What can come of saving a set-up change (a room, a closure).</summary>
public abstract record SetupOutcome
{
    /// <param name="Affected">The booked visits the change left without a place, as read under the lock; the admin chose
    /// what happens to them before saving.</param>
    public sealed record Saved(Guid Id, IReadOnlyList<Appointment> Affected, string CustomerReason) : SetupOutcome;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : SetupOutcome;
    /// <summary>Nothing saved: these visits would lose their place, and the admin has not yet seen exactly this list.</summary>
    public sealed record Confirm(IReadOnlyList<Appointment> Affected, bool ListChanged) : SetupOutcome;
    /// <summary>Nothing saved: someone else changed it after the form was shown.</summary>
    public sealed record Changed(Resource Current) : SetupOutcome;
    public sealed record NotFound : SetupOutcome;
}

/// <summary>
/// Creates and changes rooms and machines. A change is decided, checked against the booked visits and saved in one
/// transaction holding the room's row FOR UPDATE: a booking of that room takes KEY SHARE on the same row (its foreign key,
/// and <see cref="AvailabilityService.StillOpenAsync"/>), so it either committed before the lock and is in the list, or it
/// waits and then re-checks against the saved hours and is refused.
/// </summary>
public class RoomsEditor(AppDbContext db, RoomsAffectedVisits affected, Audit audit)
{
    /// <param name="shownStamp">The <see cref="RoomsForm.Stamp"/> of the room the form showed (null for a new room).</param>
    /// <param name="acknowledged">The visits the admin was shown and decided about; the change is saved only when they are
    /// exactly the visits it affects.</param>
    public async Task<SetupOutcome> SaveAsync(Guid? id, RoomsForm form, string? shownStamp, IReadOnlyCollection<Guid> acknowledged, CancellationToken ct)
    {
        var (values, errors) = await form.ValidateAsync(db, ct);
        if (values is null) return new SetupOutcome.Invalid(errors);

        await using var transaction = await db.BeginUnlessInTransactionAsync(ct);
        Resource room;
        IReadOnlyList<Appointment> lost = [];
        if (id is { } existing)
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM cx.resources WHERE id = {existing} FOR UPDATE", ct);
            if (await db.Resources.Include(r => r.Services).Include(r => r.WorkingHours).Include(r => r.Closures).AsSplitQuery()
                    .SingleOrDefaultAsync(r => r.Id == existing, ct) is not { } found)
                return new SetupOutcome.NotFound();
            room = found;
            if (shownStamp != RoomsForm.Stamp(room)) return new SetupOutcome.Changed(room);
            lost = await affected.ByRoomChangeAsync(room, values, ct);
            if (!lost.Select(v => v.Id).ToHashSet().SetEquals(acknowledged) && lost.Count > 0)
                return new SetupOutcome.Confirm(lost, ListChanged: acknowledged.Count > 0);
            db.WorkingHours.RemoveRange(room.WorkingHours);
        }
        else
        {
            room = new Resource { Id = Guid.CreateVersion7(), Name = values.Name };
            db.Resources.Add(room);
        }

        var describeBefore = id is null ? null : Describe(room);
        room.Name = values.Name;
        room.Kind = values.Kind;
        room.LocationId = values.LocationId;
        room.IsActive = values.Active;
        room.Services = await db.Services.Where(s => values.ServiceIds.Contains(s.Id)).ToListAsync(ct);
        room.WorkingHours = values.Hours.Select(h => new WorkingHours { Id = h.Id, ResourceId = room.Id, Day = h.Day, Opens = h.Opens, Closes = h.Closes }).ToList();
        db.WorkingHours.AddRange(room.WorkingHours);

        var details = describeBefore is null ? $"Created {Describe(room)}" : $"Changed {describeBefore} to {Describe(room)}";
        if (lost.Count > 0) details += $"; {lost.Count} booked {(lost.Count == 1 ? "visit" : "visits")} affected";
        audit.Record(id is null ? AuditActions.RoomCreated : AuditActions.RoomChanged, details);
        await db.SaveChangesAsync(ct);
        if (transaction is not null) await transaction.CommitAsync(ct);

        var reason = values.Active
            ? "Our opening hours have changed and no longer include that time."
            : "The room booked for your visit is no longer available.";
        return new SetupOutcome.Saved(room.Id, lost, reason);
    }

    private static string Describe(Resource room) =>
        $"{room.Kind.ToString().ToLowerInvariant()} “{room.Name}” ({(room.IsActive ? "active" : "out of use")}; " +
        string.Join("; ", RoomsForm.Week.Select(d => $"{d.ToString()[..3]} {DayOrClosed(room, d)}")) + ")";

    private static string DayOrClosed(Resource room, DayOfWeek day) =>
        RoomsForm.FormatDay(room.WorkingHours.Where(h => h.Day == day)) is { Length: > 0 } hours ? hours : "closed";
}
