using System.Security.Claims;
using CustomerExperience.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Staff;

/// <summary>Creating, disabling and seeding staff accounts. There is no public registration: admins create accounts.</summary>
public class StaffAccounts(UserManager<StaffUser> users, AppDbContext db, TimeProvider clock)
{
    /// <summary>The demo clinic's accounts; <c>./run.sh</c> prints them.</summary>
    public static readonly (string Email, string Name, string Role, string Password)[] Demo =
    [
        ("admin@northside.example", "Avery Admin", StaffRoles.Admin, "Admin-Demo-2026"),
        ("manager@northside.example", "Morgan Manager", StaffRoles.Manager, "Manager-Demo-2026"),
        ("frontdesk@northside.example", "Frankie Desk", StaffRoles.FrontDesk, "FrontDesk-Demo-2026"),
    ];

    public async Task<(StaffUser? User, IEnumerable<string> Errors)> CreateAsync(string email, string displayName, string role, string password)
    {
        if (!StaffRoles.All.Contains(role))
            return (null, [$"Unknown role \"{role}\"."]);
        var user = new StaffUser
        {
            UserName = email.Trim(), Email = email.Trim(), DisplayName = displayName.Trim(), EmailConfirmed = true,
            CreatedAt = clock.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            return (null, created.Errors.Select(e => e.Description));
        var added = await users.AddToRoleAsync(user, role);
        return added.Succeeded ? (user, []) : (null, added.Errors.Select(e => e.Description));
    }

    /// <summary>Disables (or re-enables) an account; a new security stamp ends its open sessions.</summary>
    public async Task<bool> SetDisabledAsync(string userId, bool disabled)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return false;
        user.DisabledAt = disabled ? clock.GetUtcNow() : null;
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user);
        return true;
    }

    public async Task SeedDemoAsync(CancellationToken cancellationToken)
    {
        foreach (var (email, name, role, password) in Demo)
        {
            if (await users.FindByEmailAsync(email) is null)
                await CreateAsync(email, name, role, password);
        }
    }

    /// <summary>A real clinic's first admin, from Staff:FirstAdminEmail and Staff:FirstAdminPassword, when there is no account yet.</summary>
    public async Task CreateFirstAdminAsync(IConfiguration configuration, ILogger logger, CancellationToken cancellationToken)
    {
        var email = configuration["Staff:FirstAdminEmail"];
        var password = configuration["Staff:FirstAdminPassword"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password) || await db.Users.AnyAsync(cancellationToken))
            return;
        var (_, errors) = await CreateAsync(email, "Administrator", StaffRoles.Admin, password);
        foreach (var error in errors)
            logger.LogError("Staff:FirstAdmin was not created: {Error}", error);
    }
}

/// <summary>Adds the display name to the sign-in cookie, so pages and the audit trail can show it without a query.</summary>
public class StaffClaimsFactory(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
