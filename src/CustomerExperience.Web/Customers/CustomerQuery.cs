using System.Globalization;
using System.Text.RegularExpressions;

namespace CustomerExperience.Web.Customers;

/// <summary>
/// What the front desk typed into the customer search, understood as one kind of search: a date of birth, an email,
/// a phone number or a name. Anything that looks like a date but is not one gets a message instead of a guess.
/// </summary>
public abstract partial record CustomerQuery
{
    public const int MaxLength = 200;
    /// <summary>Phone numbers are compared on their last digits, so a country or trunk prefix on either side does not matter.</summary>
    public const int PhoneDigitsCompared = 10;
    public const int MinPhoneDigits = 7;
    private const int MaxWords = 6;

    public sealed record None : CustomerQuery;
    public sealed record Name(IReadOnlyList<string> Words) : CustomerQuery;
    public sealed record Email(string Text) : CustomerQuery;
    public sealed record Phone(string Digits) : CustomerQuery;
    public sealed record DateOfBirth(DateOnly Date) : CustomerQuery;
    public sealed record Invalid(string Message) : CustomerQuery;

    public const string DateFormats = "YYYY-MM-DD or MM/DD/YYYY";

    public static CustomerQuery Parse(string? text)
    {
        var q = text?.Trim() ?? "";
        if (q.Length == 0) return new None();
        if (q.Length > MaxLength) return new Invalid($"Search for at most {MaxLength} characters.");
        if (q.Any(char.IsControl)) return new Invalid("Search text cannot contain line breaks or control characters.");

        if (DateShape().IsMatch(q))
            return ParseDate(q) is { } date
                ? new DateOfBirth(date)
                : new Invalid($"“{q}” is not a date of birth we can read. Enter it as {DateFormats}, for example 1970-05-31 or 05/31/1970.");

        if (q.Contains('@')) return new Email(q.ToLowerInvariant());

        if (PhoneShape().IsMatch(q))
        {
            var digits = new string(q.Where(char.IsAsciiDigit).ToArray());
            return digits.Length >= MinPhoneDigits
                ? new Phone(digits.Length > PhoneDigitsCompared ? digits[^PhoneDigitsCompared..] : digits)
                : new Invalid($"Enter at least {MinPhoneDigits} digits of a phone number, or a date of birth as {DateFormats}.");
        }

        var words = q.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Sum(w => w.Length) < 2) return new Invalid("Enter at least 2 letters of a name.");
        return new Name(words.Take(MaxWords).ToList());
    }

    /// <summary>A date as the front desk writes it: ISO (the date input) or US month/day/year, with a four-digit year.</summary>
    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), ["yyyy-M-d", "M/d/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date : null;

    /// <summary>Anything shaped like a date: ISO, or day, month and year separated by slashes or dots.</summary>
    [GeneratedRegex(@"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{1,4})$")]
    private static partial Regex DateShape();

    [GeneratedRegex(@"^\+?[0-9 ().\-]+$")]
    private static partial Regex PhoneShape();
}
