using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace CustomerExperience.Web.Infrastructure;

public static class ProtectedText
{
    /// <summary>
    /// Reads back what <paramref name="protector"/> protected; null for anything missing, oversized, tampered with or
    /// protected under keys that are gone. Links in emails carry such text, so a bad one is a 404, never a 500.
    /// </summary>
    public static string? TryUnprotect(this IDataProtector protector, string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 1000) return null;
        try
        {
            return protector.Unprotect(text);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
