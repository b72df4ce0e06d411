using CustomerExperience.Web.Data;

namespace CustomerExperience.Web.Staff;

public static class StaffQueries
{
    /// <summary>Enabled staff with the Manager or Admin role: who owns service-recovery cases and reads the digest.</summary>
    public static IQueryable<StaffUser> EnabledManagersAndAdmins(this AppDbContext db) =>
        db.Users.Where(u => u.DisabledAt == null
                            && db.UserRoles.Any(r => r.UserId == u.Id && (r.RoleId == StaffRoles.ManagerId || r.RoleId == StaffRoles.AdminId)));

}
