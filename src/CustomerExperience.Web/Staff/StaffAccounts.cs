using System.Security.Claims;
using CustomerExperience.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Staff;

/// <summary>
/// Creating, changing and seeding staff accounts. There is no public registration: admins create accounts. Each change
/// made by a signed-in staff member is audited in the same transaction as the change (who, to whom, never a secret).
/// </summary>
public class StaffAccounts(UserManager<StaffUser> users, AppDbContext db, Audit audit, SignInThrottle throttle, TimeProvider clock)
{
    /// <summary>The demo clinic's accounts; <c>./run.sh</c> prints them.</summary>
    public static readonly (string Email, string Name, string Role, string Password)[] Demo =
    [
        ("admin@northside.example", "Avery Admin", StaffRoles.Admin, "Admin-Demo-2026"),
        ("manager@northside.example", "Morgan Manager", StaffRoles.Manager, "Manager-Demo-2026"),
        ("frontdesk@northside.example", "Frankie Desk", StaffRoles.FrontDesk, "FrontDesk-Demo-2026"),
        ("clinician@northside.example", "Casey Clinician", StaffRoles.Clinician, "Clinician-Demo-2026"),
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

    /// <summary>
    /// An account created by an admin on the accounts page, with its home locations; its first password is temporary,
    /// like one set later.
    /// </summary>
    public async Task<(StaffUser? User, IEnumerable<string> Errors)> CreateAuditedAsync(string email, string displayName, string role, string password,
        IReadOnlyCollection<Guid> homeLocations)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var (user, errors) = await CreateAsync(email, displayName, role, password);
        if (user is null)
            return (null, errors);
        var marked = await MustChangePasswordAsync(user);
        if (!marked.Succeeded)
            return (null, marked.Errors.Select(e => e.Description));
        db.StaffLocations.AddRange(homeLocations.Select(id => new StaffLocation { StaffUserId = user.Id, LocationId = id }));
        audit.Record(AuditActions.AccountCreated, $"{Describe(user)}, role {role}, works at {await LocationNamesAsync(homeLocations)}");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return (user, []);
    }

    /// <summary>The name colleagues know someone by and where they work (the care-team pickers offer a location's staff).</summary>
    public async Task<IdentityResult> ChangeDetailsAsync(StaffUser user, string displayName, IReadOnlyCollection<Guid> homeLocations)
    {
        displayName = displayName.Trim();
        var current = await db.StaffLocations.Where(s => s.StaffUserId == user.Id).ToListAsync();
        var unchangedPlaces = current.Select(s => s.LocationId).ToHashSet().SetEquals(homeLocations);
        if (displayName == user.DisplayName && unchangedPlaces)
            return IdentityResult.Success;
        var changes = new List<string>();
        if (displayName != user.DisplayName)
            changes.Add($"name {user.DisplayName} → {displayName}");
        if (!unchangedPlaces)
            changes.Add($"works at {await LocationNamesAsync(current.Select(s => s.LocationId).ToList())} → {await LocationNamesAsync(homeLocations)}");
        return await AuditedAsync(AuditActions.AccountDetailsChanged, $"{Describe(user)}: {string.Join("; ", changes)}", async () =>
        {
            db.StaffLocations.RemoveRange(current.Where(s => !homeLocations.Contains(s.LocationId)));
            db.StaffLocations.AddRange(homeLocations.Where(id => current.All(s => s.LocationId != id))
                .Select(id => new StaffLocation { StaffUserId = user.Id, LocationId = id }));
            user.DisplayName = displayName;
            // Saves the home locations too. The person's cookie gets the new name at its next check (Staff:SessionCheckSeconds).
            return await users.UpdateAsync(user);
        });
    }

    private async Task<string> LocationNamesAsync(IReadOnlyCollection<Guid> ids)
    {
        var names = await db.Locations.Where(l => ids.Contains(l.Id)).OrderBy(l => l.Name).Select(l => l.Name).ToListAsync();
        return names.Count == 0 ? "no location" : string.Join(", ", names);
    }

    /// <summary>Disables (or re-enables) an account; a new security stamp ends its open sessions.</summary>
    public async Task<bool> SetDisabledAsync(string userId, bool disabled)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return false;
        await AuditedAsync(disabled ? AuditActions.AccountDisabled : AuditActions.AccountEnabled, Describe(user), async () =>
        {
            user.DisabledAt = disabled ? clock.GetUtcNow() : null;
            var updated = await users.UpdateAsync(user);
            return updated.Succeeded ? await users.UpdateSecurityStampAsync(user) : updated;
        });
        return true;
    }

    /// <summary>Lifts the lock of every client and of the account itself.</summary>
    public async Task UnlockAsync(StaffUser user, CancellationToken cancellationToken)
    {
        await AuditedAsync(AuditActions.AccountUnlocked, Describe(user), async () =>
        {
            await throttle.ClearAsync(user.Id, cancellationToken);
            var unlocked = await users.SetLockoutEndDateAsync(user, null);
            return unlocked.Succeeded ? await users.ResetAccessFailedCountAsync(user) : unlocked;
        });
    }

    /// <summary>A new role; the new security stamp signs the person out, so they sign in again with the new role's pages.</summary>
    public async Task<IdentityResult> ChangeRoleAsync(StaffUser user, string role)
    {
        if (!StaffRoles.All.Contains(role))
            return IdentityResult.Failed(new IdentityError { Description = $"Unknown role \"{role}\"." });
        var current = await users.GetRolesAsync(user);
        if (current.SequenceEqual([role]))
            return IdentityResult.Success;
        return await AuditedAsync(AuditActions.RoleChanged, $"{Describe(user)}: {string.Join(", ", current)} → {role}", async () =>
        {
            var removed = await users.RemoveFromRolesAsync(user, current);
            if (!removed.Succeeded)
                return removed;
            var added = await users.AddToRoleAsync(user, role);
            return added.Succeeded ? await users.UpdateSecurityStampAsync(user) : added;
        });
    }

    /// <summary>One's own password; after a temporary password, the rest of the staff pages open again.</summary>
    public async Task<IdentityResult> ChangePasswordAsync(StaffUser user, string currentPassword, string newPassword) =>
        await AuditedAsync(AuditActions.PasswordChanged, Describe(user), async () =>
        {
            var changed = await users.ChangePasswordAsync(user, currentPassword, newPassword);
            if (!changed.Succeeded)
                return changed;
            var marks = (await users.GetClaimsAsync(user)).Where(c => c.Type == StaffClaims.MustChangePassword).ToList();
            return marks.Count == 0 ? changed : await users.RemoveClaimsAsync(user, marks);
        });

    /// <summary>
    /// An admin's password for someone who lost theirs: it must be changed at the next sign-in, it ends their open
    /// sessions (new security stamp) and lifts any lockout, so they can use it at once.
    /// </summary>
    public async Task<IdentityResult> SetTemporaryPasswordAsync(StaffUser user, string password, CancellationToken cancellationToken) =>
        await AuditedAsync(AuditActions.TemporaryPasswordSet, Describe(user), async () =>
        {
            var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
            if (!reset.Succeeded)
                return reset;
            await throttle.ClearAsync(user.Id, cancellationToken);
            var unlocked = await users.SetLockoutEndDateAsync(user, null);
            return unlocked.Succeeded ? await MustChangePasswordAsync(user) : unlocked;
        });

    private async Task<IdentityResult> MustChangePasswordAsync(StaffUser user) =>
        (await users.GetClaimsAsync(user)).Any(c => c.Type == StaffClaims.MustChangePassword)
            ? IdentityResult.Success
            : await users.AddClaimAsync(user, new Claim(StaffClaims.MustChangePassword, "true"));

    /// <summary>Turns on authenticator-app sign-in; returns the 10 new recovery codes, shown once.</summary>
    public async Task<IReadOnlyList<string>> TurnOnTwoFactorAsync(StaffUser user)
    {
        IReadOnlyList<string> codes = [];
        await AuditedAsync(AuditActions.TwoFactorOn, Describe(user), async () =>
        {
            var on = await users.SetTwoFactorEnabledAsync(user, true);
            if (on.Succeeded)
                codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))?.ToList() ?? [];
            return on;
        });
        return codes;
    }

    /// <summary>Turns it off and forgets the app's key; <paramref name="confirmedWith"/> says how the person proved it was them.</summary>
    public async Task TurnOffTwoFactorAsync(StaffUser user, string confirmedWith) =>
        await AuditedAsync(AuditActions.TwoFactorOff, $"{Describe(user)}, confirmed with {confirmedWith}", async () =>
        {
            var off = await users.SetTwoFactorEnabledAsync(user, false);
            return off.Succeeded ? await users.ResetAuthenticatorKeyAsync(user) : off;
        });

    /// <summary>
    /// Runs <paramref name="change"/> (Identity calls that each save) and its audit entry in one transaction: either the
    /// change and its entry are both stored, or neither.
    /// </summary>
    public async Task<IdentityResult> AuditedAsync(string action, string details, Func<Task<IdentityResult>> change)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await change();
        if (!result.Succeeded)
            return result;
        audit.Record(action, details);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return result;
    }

    /// <summary>How the audit trail names the account a change was made to.</summary>
    public static string Describe(StaffUser user) => $"{user.DisplayName} <{user.Email}>";

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
        // Identity's messages quote the address ("Email 'x' is invalid."); the log names the setting instead.
        foreach (var error in errors)
            logger.LogError("Staff:FirstAdmin was not created: {Error}", error.Replace(email.Trim(), "<Staff:FirstAdminEmail>", StringComparison.OrdinalIgnoreCase));
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
