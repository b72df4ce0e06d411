using Microsoft.AspNetCore.Identity;

namespace CustomerExperience.Web.Staff;

/// <summary>A staff account (front desk, manager, admin). Customers never have accounts.</summary>
public class StaffUser : IdentityUser
{
    public required string DisplayName { get; set; }
    /// <summary>Set by an admin; a disabled account cannot sign in and its open sessions end.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Where this person works; the care-team pickers offer a location's staff.</summary>
    public List<StaffLocation> HomeLocations { get; set; } = [];
}

public class StaffLocation
{
    public required string StaffUserId { get; set; }
    public Guid LocationId { get; set; }
}

public static class StaffRoles
{
    public const string Admin = "Admin";
    public const string Manager = "Manager";
    public const string FrontDesk = "FrontDesk";
    /// <summary>Technologists: perform visits, use the front-desk pages.</summary>
    public const string Clinician = "Clinician";

    public static readonly string[] All = [Admin, Manager, FrontDesk, Clinician];

    /// <summary>The role's row id in staff_roles (seeded by the migration).</summary>
    public static string IdOf(string role) => role.ToLowerInvariant();

    public static readonly string AdminId = IdOf(Admin);
    public static readonly string ManagerId = IdOf(Manager);
}

/// <summary>Authorization policies; every page under /Staff requires <see cref="Staff"/>, some a stronger one.</summary>
public static class StaffPolicies
{
    /// <summary>Any signed-in staff member.</summary>
    public const string Staff = "Staff";
    public const string Manager = "Manager";
    public const string Admin = "Admin";

    public static string Describe(string policy) => policy switch
    {
        Admin => "Admins",
        Manager => "Managers and admins",
        _ => "Front desk, clinicians, managers and admins",
    };
}
