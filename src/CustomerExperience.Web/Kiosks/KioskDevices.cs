using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CustomerExperience.Web.Kiosks;

/// <summary>What an enrolment link carries: the kiosk it will create (its id makes the link single use) and who made it.</summary>
public sealed record EnrolmentLink(Guid KioskId, Guid LocationId, string Name, string StaffId);

public abstract record EnrolOutcome
{
    /// <summary><see cref="Secret"/> goes into the device's cookie and nowhere else; only its hash is stored.</summary>
    public sealed record Enrolled(Kiosk Kiosk, string Slug, string Secret) : EnrolOutcome;
    public sealed record LinkUsed : EnrolOutcome;
    public sealed record Invalid(string Field, string Message) : EnrolOutcome;
}

/// <summary>
/// The tablets enrolled as kiosks: enrolment (on the device by a signed-in manager, or through a short-lived link a
/// manager made), the device cookie that carries the kiosk's secret, revocation, and the visit codes a kiosk may look up.
/// </summary>
public class KioskDevices(
    AppDbContext db, Audit audit, IDataProtectionProvider protection, IOptions<KioskOptions> options,
    IOptions<AppOptions> app, TimeProvider clock)
{
    public const string CookieName = "cx.kiosk";
    public const string CookiePath = "/kiosk";
    public const int MaxNameLength = 100;
    /// <summary>A visit code is looked up among visits checked in or completed this many days ago at most.</summary>
    public const int VisitCodeDays = 3;
    public const string DemoLinkPrefix = "demo-";
    private const string DemoKioskName = "Demo kiosk";
    private const int MaxSecretLength = 100;
    private static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(730);

    private readonly ITimeLimitedDataProtector links =
        protection.CreateProtector("CustomerExperience.Kiosk.Enrolment.v1").ToTimeLimitedDataProtector();

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public async Task<EnrolOutcome> EnrolAsync(
        Guid kioskId, Guid locationId, string? name, (string Id, string Name) staff, string how, CancellationToken ct)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
            return new EnrolOutcome.Invalid("name", "Give the kiosk a name, for example \"Exit by the changing rooms\".");
        if (name.Length > MaxNameLength)
            return new EnrolOutcome.Invalid("name", $"Keep the name under {MaxNameLength} characters.");
        if (await db.Locations.AsNoTracking().SingleOrDefaultAsync(l => l.Id == locationId, ct) is not { } location)
            return new EnrolOutcome.Invalid("location", "Choose the location this device stands in.");

        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var kiosk = new Kiosk
        {
            Id = kioskId, LocationId = locationId, Name = name, TokenHash = Hash(secret),
            EnrolledAt = clock.GetUtcNow(), EnrolledById = staff.Id,
        };
        db.Kiosks.Add(kiosk);
        audit.RecordFor(staff, AuditActions.KioskEnrolled, $"Kiosk \"{name}\" at {location.Name} enrolled {how}.");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            return new EnrolOutcome.LinkUsed();
        }
        return new EnrolOutcome.Enrolled(kiosk, location.Slug, secret);
    }

    /// <summary>Long-lived, HttpOnly, SameSite=Strict, Secure (but over plain http in Development), sent only to the kiosk's own addresses.</summary>
    public void WriteCookie(HttpContext http, string secret) =>
        http.Response.Cookies.Append(CookieName, secret, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = WebSecurity.SecureCookie(http),
            Path = CookiePath,
            Expires = clock.GetUtcNow() + CookieLifetime,
            IsEssential = true,
        });

    /// <summary>The enrolled, not revoked kiosk whose secret the request's cookie carries; null for none, forged or revoked.</summary>
    public async Task<Kiosk?> FromCookieAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var secret) || secret.Length is 0 or > MaxSecretLength)
            return null;
        var hash = Hash(secret);
        return await db.Kiosks.AsNoTracking().Include(k => k.Location)
            .SingleOrDefaultAsync(k => k.TokenHash == hash && k.RevokedAt == null, ct);
    }

    public async Task SeenAsync(Kiosk kiosk, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.Kiosks.Where(k => k.Id == kiosk.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastSeenAt, now), ct);
    }

    /// <summary>False when the kiosk is unknown or was already revoked.</summary>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken ct)
    {
        var kiosk = await db.Kiosks.Include(k => k.Location).SingleOrDefaultAsync(k => k.Id == id, ct);
        if (kiosk is null || kiosk.RevokedAt is not null)
            return false;
        var (staffId, _) = audit.CurrentStaff();
        kiosk.RevokedAt = clock.GetUtcNow();
        kiosk.RevokedById = staffId;
        audit.Record(AuditActions.KioskRevoked, $"Kiosk \"{kiosk.Name}\" at {kiosk.Location!.Name} revoked.");
        await db.SaveChangesAsync(ct);
        return true;
    }

    public TimeSpan LinkLifetime => TimeSpan.FromMinutes(options.Value.EnrolmentLinkMinutes);

    /// <summary>A single-use link token that enrols the device opening it, until <see cref="LinkLifetime"/> has passed.</summary>
    public async Task<string?> CreateLinkAsync(Guid locationId, string? name, CancellationToken ct)
    {
        var location = await db.Locations.AsNoTracking().SingleOrDefaultAsync(l => l.Id == locationId, ct);
        name = name?.Trim();
        if (location is null || string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
            return null;
        var (staffId, _) = audit.CurrentStaff();
        audit.Record(AuditActions.KioskLinkCreated, $"Enrolment link for a kiosk \"{name}\" at {location.Name}.");
        await db.SaveChangesAsync(ct);
        var link = new EnrolmentLink(Guid.CreateVersion7(), locationId, name, staffId);
        return links.Protect(JsonSerializer.Serialize(link), clock.GetUtcNow() + LinkLifetime);
    }

    /// <summary>The link <paramref name="token"/> stands for; null when tampered with, expired or malformed.</summary>
    public async Task<EnrolmentLink?> ReadLinkAsync(string token, CancellationToken ct)
    {
        if (IsDemoToken(token))
            return await DemoLinkAsync(ct);
        if (token.Length > 1000)
            return null;
        try
        {
            return JsonSerializer.Deserialize<EnrolmentLink>(links.Unprotect(token));
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The staff member a link was made by (the enrolment is recorded under their name).</summary>
    public async Task<(string Id, string Name)?> StaffAsync(string staffId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == staffId && u.DisabledAt == null)
            .Select(u => new { u.Id, u.DisplayName }).SingleOrDefaultAsync(ct) is { } user ? (user.Id, user.DisplayName) : null;

    public bool IsDemoToken(string token) =>
        app.Value.SeedDemoData && options.Value.DemoEnrolmentCode is { Length: > 0 } code
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(DemoLinkPrefix + code));

    /// <summary>
    /// The demo link is not single use: it enrols every browser that opens it (a fresh kiosk each), for as long as the
    /// app runs with the code run.sh made at its start, under the demo manager's name.
    /// </summary>
    private async Task<EnrolmentLink?> DemoLinkAsync(CancellationToken ct)
    {
        var location = await db.Locations.AsNoTracking().Where(l => l.Slug == options.Value.DemoLocation).Select(l => (Guid?)l.Id).SingleOrDefaultAsync(ct);
        var manager = StaffAccounts.Demo.First(d => d.Role == StaffRoles.Manager).Email;
        var staffId = await db.Users.Where(u => u.NormalizedUserName == manager.ToUpperInvariant()).Select(u => u.Id).SingleOrDefaultAsync(ct);
        return location is { } id && staffId is not null ? new EnrolmentLink(Guid.CreateVersion7(), id, DemoKioskName, staffId) : null;
    }

    public static bool IsVisitCode(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);

    /// <summary>
    /// The visit a code typed at the kiosk names: at the kiosk's location, checked in or completed in the last
    /// <see cref="VisitCodeDays"/> days, and not answered yet (by the kiosk or by email).
    /// </summary>
    public async Task<Guid?> FindVisitAsync(Guid locationId, string code, CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddDays(-VisitCodeDays);
        return await db.Appointments
            .Where(a => a.LocationId == locationId && a.VisitCode == code
                && (a.Status == AppointmentStatus.CheckedIn || a.Status == AppointmentStatus.Completed)
                && (a.CompletedAt ?? a.CheckedInAt) >= since
                && !db.SurveyResponses.Any(r => r.AppointmentId == a.Id))
            .OrderByDescending(a => a.CompletedAt ?? a.CheckedInAt)
            .Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
    }
}
