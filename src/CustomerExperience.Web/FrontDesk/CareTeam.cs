using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.FrontDesk;

/// <summary>A staff member the performer picker offers.</summary>
public sealed record StaffChoice(string Id, string Name, bool IsClinician);

/// <summary>What a visit's performer picker shows: the choices and the one selected.</summary>
public sealed record PerformerPicker(IReadOnlyList<StaffChoice> Choices, string Selected)
{
    /// <summary>The visit's performer when it has one, else the signed-in user.</summary>
    public static string Default(Appointment visit, string signedInId) => visit.PerformedById ?? signedInId;
}

/// <summary>
/// Who can be named on a visit's care team: the enabled staff whose home locations include the visit's location,
/// clinicians first. The signed-in user and the visit's current performer are always accepted too: the first is
/// the default, the second is "unchanged".
/// </summary>
public class CareTeam(AppDbContext db)
{
    public async Task<IReadOnlyList<StaffChoice>> AtAsync(Guid locationId, CancellationToken ct) =>
        await (from user in db.Users
               where user.DisabledAt == null && db.StaffLocations.Any(s => s.StaffUserId == user.Id && s.LocationId == locationId)
               let clinician = db.UserRoles.Any(r => r.UserId == user.Id && r.RoleId == ClinicianRoleId)
               orderby clinician descending, user.DisplayName
               select new StaffChoice(user.Id, user.DisplayName, clinician))
            .ToListAsync(ct);

    /// <summary>
    /// The performer picker of each of <paramref name="visits"/> (all at <paramref name="locationId"/>): the location's
    /// staff, plus the signed-in user and the visit's performer when they are not among them.
    /// </summary>
    public async Task<Func<Appointment, PerformerPicker>> PickersAsync(Guid locationId, IEnumerable<Appointment> visits, string signedInId,
        CancellationToken ct)
    {
        var staff = await AtAsync(locationId, ct);
        var others = await NamesAsync(visits.Select(v => v.PerformedById).Append(signedInId).Where(id => staff.All(c => c.Id != id)), ct);
        return visit =>
        {
            var extra = new[] { signedInId, visit.PerformedById }.OfType<string>().Distinct()
                .Where(others.ContainsKey).Select(id => new StaffChoice(id, others[id], false));
            return new PerformerPicker([.. staff, .. extra], PerformerPicker.Default(visit, signedInId));
        };
    }

    /// <summary>Null when <paramref name="performerId"/> may perform <paramref name="visit"/>; otherwise the reason, for a 400.</summary>
    public async Task<string?> WhyNotPerformerAsync(Appointment visit, string performerId, string signedInId, CancellationToken ct)
    {
        if (performerId == signedInId || performerId == visit.PerformedById) return null;
        var works = await db.Users.AnyAsync(u => u.Id == performerId && u.DisabledAt == null
            && db.StaffLocations.Any(s => s.StaffUserId == u.Id && s.LocationId == visit.LocationId), ct);
        return works ? null : $"The performer must be an active staff member of {visit.Location?.Name ?? "this location"}. Choose one from the list.";
    }

    public async Task<Dictionary<string, string>> NamesAsync(IEnumerable<string?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<string>().Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await db.Users.Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }

    private static readonly string ClinicianRoleId = StaffRoles.Clinician.ToLowerInvariant();
}
