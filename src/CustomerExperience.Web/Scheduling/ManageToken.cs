using System.Security.Cryptography;
using System.Text;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Scheduling;

/// <summary>
/// The secret in a customer's manage link: 32 random bytes, base64url. Only its SHA-256 is stored, so a
/// database leak does not hand out working links.
/// </summary>
public static class ManageToken
{
    private const int Bytes = 32;
    private const int Length = 43; // base64url of 32 bytes, no padding

    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(Bytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>A fresh token for an email about the visit; its hash is added to <paramref name="db"/> and saved with the
    /// caller's change. The visit's older tokens keep working.</summary>
    public static string Issue(AppDbContext db, Guid appointmentId, DateTimeOffset now)
    {
        var token = New();
        Keep(db, appointmentId, token, now);
        return token;
    }

    /// <summary>Adds the hash of <paramref name="token"/>, once an email carrying it is queued, to be saved with it.</summary>
    public static void Keep(AppDbContext db, Guid appointmentId, string token, DateTimeOffset now) =>
        db.AppointmentManageTokens.Add(new AppointmentManageToken { Hash = Hash(token), AppointmentId = appointmentId, CreatedAt = now });

    /// <summary>The hashes of many queued emails' tokens in one INSERT (a reminder batch), in the caller's transaction.</summary>
    public static async Task KeepAllAsync(AppDbContext db, IReadOnlyCollection<(Guid AppointmentId, string Token)> tokens,
        DateTimeOffset now, CancellationToken ct)
    {
        if (tokens.Count == 0) return;
        var hashes = tokens.Select(t => Hash(t.Token)).ToArray();
        var visits = tokens.Select(t => t.AppointmentId).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO cx.appointment_manage_tokens (hash, appointment_id, created_at)
            SELECT t.hash, t.appointment_id, {now} FROM unnest({hashes}, {visits}) AS t(hash, appointment_id)
            """, ct);
    }

    /// <summary>Rejects anything that cannot be a token before it reaches the database.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: Length } && token.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
