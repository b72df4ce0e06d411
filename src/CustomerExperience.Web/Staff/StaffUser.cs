using Microsoft.AspNetCore.Identity;

namespace CustomerExperience.Web.Staff;

/// <summary>A staff account (front desk, manager, admin). Customers never have accounts.</summary>
public class StaffUser : IdentityUser
{
    public required string DisplayName { get; set; }
    /// <summary>Set by an admin; a disabled account cannot sign in and its open sessions end.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class StaffRoles
{
    public const string Admin = "Admin";
    public const string Manager = "Manager";
    public const string FrontDesk = "FrontDesk";

    public static readonly string[] All = [Admin, Manager, FrontDesk];
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
        _ => "Front desk, managers and admins",
    };
}
