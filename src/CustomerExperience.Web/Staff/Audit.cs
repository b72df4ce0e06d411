using System.Security.Claims;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;

namespace CustomerExperience.Web.Staff;

/// <summary>
/// Records who changed what. <see cref="Record"/> only adds the entry to the context: it is saved by the same
/// SaveChanges as the change it describes, so the trail and the change cannot disagree.
/// </summary>
public class Audit(AppDbContext db, IHttpContextAccessor http, TimeProvider clock)
{
    public AuditEntry Record(string action, string details, Guid? customerId = null, Guid? appointmentId = null) =>
        RecordFor(CurrentStaff(), action, details, customerId, appointmentId);

    /// <summary>A change made on someone's authority while they are not signed in here (an enrolment link they made).</summary>
    public AuditEntry RecordFor((string Id, string Name) staff, string action, string details, Guid? customerId = null, Guid? appointmentId = null)
    {
        var (id, name) = staff;
        var entry = new AuditEntry
        {
            At = clock.GetUtcNow(), StaffUserId = id, StaffName = name, Action = action, Details = details,
            CustomerId = customerId, AppointmentId = appointmentId,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    private (string Id, string Name)? startUp;

    /// <summary>Audited changes made in this scope outside any request (the demo seeding at start-up) are recorded as <paramref name="who"/>'s.</summary>
    public void RecordStartUpChangesAs(string id, string name) => startUp = (id, name);

    /// <summary>The signed-in staff member: id and display name (falls back to the user name).</summary>
    public (string Id, string Name) CurrentStaff()
    {
        var user = http.HttpContext?.User;
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is { } id) return (id, StaffName(user));
        if (http.HttpContext is null && startUp is { } who) return who;
        throw new InvalidOperationException("Only a signed-in staff member can make an audited change.");
    }

    public static string StaffName(ClaimsPrincipal user) =>
        user.FindFirstValue(StaffClaims.DisplayName) ?? user.Identity?.Name ?? "staff";
}

public static class StaffClaims
{
    public const string DisplayName = "cx:display_name";
    /// <summary>A user claim (staff_user_claims) while the password is one an admin set: only the change-password page opens.</summary>
    public const string MustChangePassword = "cx:must_change_password";
}
