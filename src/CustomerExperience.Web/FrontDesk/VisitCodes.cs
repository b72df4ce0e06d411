using System.Security.Cryptography;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.FrontDesk;

/// <summary>
/// The six-digit code the desk gives at checkout, typed at the exit kiosk to tie a survey to its visit. A code is
/// unique among its location's visits of the last <see cref="UniqueForDays"/> days. Codes are not secrets, but they
/// are never logged next to a name.
/// </summary>
public class VisitCodes(AppDbContext db, TimeProvider clock)
{
    public const int UniqueForDays = 30;
    private const int LockClass = 4243;

    /// <summary>
    /// Gives <paramref name="visit"/> a code when it has none, inside the caller's transaction. Two desks of one
    /// location giving codes at the same moment would each see the other's pick as free; a transaction lock per
    /// location makes the second wait for the first to commit, so the check and the assignment cannot interleave.
    /// </summary>
    public async Task GiveAsync(Appointment visit, CancellationToken ct)
    {
        if (visit.VisitCode is not null) return;
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("A visit code is given inside the transaction that saves it.");
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockClass}, {LockKey(visit.LocationId)})", ct);
        var since = clock.GetUtcNow().AddDays(-UniqueForDays);
        // With a million codes and a few thousand visits a month, the first pick is almost always free.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var code = Candidate();
            var taken = await db.Appointments.AnyAsync(a => a.LocationId == visit.LocationId && a.VisitCode == code && a.Start >= since, ct);
            if (taken) continue;
            visit.GiveVisitCode(code);
            return;
        }
        throw new InvalidOperationException("No free visit code was found for this location.");
    }

    /// <summary>A code to try; tests script it.</summary>
    protected virtual string Candidate() => New();

    public static string New() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"482 913": easier to read out and to type.</summary>
    public static string Display(string code) => code.Length == 6 ? $"{code[..3]} {code[3..]}" : code;

    private static int LockKey(Guid locationId) => BitConverter.ToInt32(locationId.ToByteArray(), 0);
}
