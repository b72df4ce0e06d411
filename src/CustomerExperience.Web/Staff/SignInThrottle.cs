using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CustomerExperience.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Staff;

/// <summary>
/// Wrong passwords (and codes) are counted per account and client address, not per account: a stranger who keeps
/// guessing locks only their own address out of that account (Staff:MaxFailedSignIns tries, then 15 minutes), so they
/// cannot keep the account's owner out. The counts live in Identity's user-token table, one row per account and client.
/// </summary>
public class SignInThrottle(AppDbContext db, TimeProvider clock, IOptions<IdentityOptions> identity)
{
    private const string Provider = "cx:failed-attempts";

    /// <summary>
    /// Counts an attempt before the password is checked (false: this client is locked out of the account), so parallel
    /// guesses cannot all pass before one is counted; <see cref="SucceededAsync"/> takes it back.
    /// </summary>
    public async Task<bool> TryAttemptAsync(string userId, string client, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var window = identity.Value.Lockout.DefaultLockoutTimeSpan;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync($"SELECT 1 FROM {AppDbContext.Schema}.staff_users WHERE id = {{0}} FOR UPDATE", [userId], cancellationToken);
        var rows = await db.UserTokens.Where(t => t.UserId == userId && t.LoginProvider == Provider).ToListAsync(cancellationToken);
        // Counts end a lockout period after the last failure, so old mistakes do not add up over weeks.
        db.UserTokens.RemoveRange(rows.Where(r => Attempts.Parse(r.Value).IsOver(now, window)));
        var row = rows.FirstOrDefault(r => r.Name == client && !Attempts.Parse(r.Value).IsOver(now, window));
        var attempts = row is null ? new Attempts(0, now, null) : Attempts.Parse(row.Value);
        var allowed = attempts.LockedUntil is null;
        if (allowed)
        {
            var failures = attempts.Failures + 1;
            var next = new Attempts(failures, now, failures >= identity.Value.Lockout.MaxFailedAccessAttempts ? now + window : null);
            if (row is null)
                db.UserTokens.Add(new IdentityUserToken<string> { UserId = userId, LoginProvider = Provider, Name = client, Value = next.ToString() });
            else
                row.Value = next.ToString();
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return allowed;
    }

    /// <summary>The password (or code) was right: this client starts again from zero.</summary>
    public async Task SucceededAsync(string userId, string client, CancellationToken cancellationToken) =>
        await db.UserTokens.Where(t => t.UserId == userId && t.LoginProvider == Provider && t.Name == client).ExecuteDeleteAsync(cancellationToken);

    /// <summary>An admin's unlock: every client starts again from zero.</summary>
    public async Task ClearAsync(string userId, CancellationToken cancellationToken) =>
        await db.UserTokens.Where(t => t.UserId == userId && t.LoginProvider == Provider).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Accounts that at least one client is locked out of now.</summary>
    public async Task<HashSet<string>> LockedAccountsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await db.UserTokens.AsNoTracking().Where(t => t.LoginProvider == Provider).ToListAsync(cancellationToken);
        return rows.Where(r => Attempts.Parse(r.Value).LockedUntil > now).Select(r => r.UserId).ToHashSet();
    }

    /// <summary>
    /// The address a limit applies to: IPv4 as is, IPv6 by its /64 (one home or office network gets a whole /64, so
    /// counting single IPv6 addresses would give a guesser billions of fresh starts).
    /// </summary>
    public static string ClientOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    private sealed record Attempts(int Failures, DateTimeOffset LastFailure, DateTimeOffset? LockedUntil)
    {
        public bool IsOver(DateTimeOffset now, TimeSpan window) => (LockedUntil ?? LastFailure + window) <= now;

        public override string ToString() => string.Join(' ', Failures, LastFailure.ToUnixTimeSeconds(), LockedUntil?.ToUnixTimeSeconds() ?? 0);

        public static Attempts Parse(string? value)
        {
            var parts = (value ?? "0 0 0").Split(' ');
            var locked = long.Parse(parts[2], CultureInfo.InvariantCulture);
            return new Attempts(int.Parse(parts[0], CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture)),
                locked == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(locked));
        }
    }
}
