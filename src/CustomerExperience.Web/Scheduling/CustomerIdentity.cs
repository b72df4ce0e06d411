using System.Globalization;
using System.Text;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Scheduling;

/// <summary>
/// Who a booking is for. Families share email addresses, so an email alone never identifies a customer: an existing
/// customer is matched only when email, date of birth and a compatible name all agree; anything else is a new customer
/// with the same email (staff see them side by side in the possible-duplicates list and can merge them).
/// </summary>
public static class CustomerIdentity
{
    /// <summary>The customer these details belong to, or null. A customer without a date of birth on file never matches.</summary>
    public static async Task<Customer?> FindAsync(AppDbContext db, CustomerDetails details, CancellationToken ct)
    {
        if (details.DateOfBirth is not { } dateOfBirth || string.IsNullOrWhiteSpace(details.Email) || string.IsNullOrWhiteSpace(details.FullName))
            return null;
        var normalized = Customer.Normalize(details.Email);
        var candidates = await db.Customers.AsNoTracking()
            .Where(c => c.NormalizedEmail == normalized && c.DateOfBirth == dateOfBirth)
            .ToListAsync(ct);
        return Pick(candidates, details.FullName);
    }

    /// <summary>Among customers who share an email and a date of birth, the first on file whose name is compatible.</summary>
    public static Customer? Pick(IEnumerable<Customer> sameEmailAndBirthDate, string fullName) =>
        sameEmailAndBirthDate.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).FirstOrDefault(c => NamesCompatible(c.FullName, fullName));

    /// <summary>
    /// The same person's name as written on two occasions: equal once folded (case, accents, punctuation, spacing), or the
    /// same last word with first words that are equal, an initial of each other, or one a prefix of the other
    /// ("Chris Smith" and "Christine Smith", "J. Smith" and "Jane Smith"). Middle names are ignored.
    /// </summary>
    public static bool NamesCompatible(string a, string b)
    {
        var (x, y) = (Fold(a), Fold(b));
        if (x == y) return true;
        var (wx, wy) = (x.Split(' '), y.Split(' '));
        if (wx.Length < 2 || wy.Length < 2 || wx[^1] != wy[^1]) return false;
        var (fx, fy) = (wx[0], wy[0]);
        return fx.StartsWith(fy, StringComparison.Ordinal) || fy.StartsWith(fx, StringComparison.Ordinal);
    }

    /// <summary>Lower case, accents removed, anything but letters and digits a single space: "Zoë  O'Neil" → "zoe o neil".</summary>
    public static string Fold(string name)
    {
        var folded = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c)) folded.Append(char.ToLowerInvariant(c));
            else if (folded.Length > 0 && folded[^1] != ' ') folded.Append(' ');
        }
        return folded.ToString().TrimEnd();
    }
}
