using System.Text.RegularExpressions;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;

namespace CustomerExperience.Web.Customers;

/// <summary>
/// What staff may change about a customer. <see cref="ApplyTo"/> changes the customer and says what changed, for the audit entry.
/// </summary>
public sealed partial record CustomerProfile(
    string? FullName, string? Email, DateOnly? DateOfBirth,
    string? PreferredName, string? Pronunciation, string? Phone, string? Preferences, TimeOfDayPreference PreferredTimeOfDay)
{
    public const int MaxPreferences = 1000;
    private const int MaxExcerpt = 150;

    public static CustomerProfile Of(Customer customer) =>
        new(customer.FullName, customer.Email, customer.DateOfBirth,
            customer.PreferredName, customer.Pronunciation, customer.Phone, customer.Preferences, customer.PreferredTimeOfDay);

    /// <summary>One message per bad field, keyed by the form field's name.</summary>
    public Dictionary<string, string> Validate(DateOnly today)
    {
        var identity = new CustomerDetails(FullName, PreferredName, Email, Phone, DateOfBirth).Validate(today, online: false);
        var errors = identity.Where(e => e.Key is "fullName" or "email" or "dateOfBirth").ToDictionary();
        Line(errors, "preferredName", PreferredName, "Preferred name");
        Line(errors, "pronunciation", Pronunciation, "Pronunciation");
        var phone = Phone?.Trim();
        if (!string.IsNullOrEmpty(phone)
            && (phone.Length > CustomerDetails.MaxPhone || !PhonePattern().IsMatch(phone) || phone.Count(char.IsAsciiDigit) < 7))
            errors["phone"] = "Enter a phone number with at least 7 digits, like (555) 010-2030, or leave it empty.";
        if (Preferences is { } preferences && preferences.Trim().Length > MaxPreferences)
            errors["preferences"] = $"Preferences must be at most {MaxPreferences} characters.";
        else if (Preferences is not null && Preferences.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')))
            errors["preferences"] = "Preferences cannot contain control characters.";
        if (!Enum.IsDefined(PreferredTimeOfDay))
            errors["preferredTimeOfDay"] = "Choose a time of day.";
        return errors;
    }

    /// <summary>Applies the changes; returns what changed ("phone: … → …; preferred name: … → …"), or null when nothing did.</summary>
    public string? ApplyTo(Customer customer)
    {
        var changes = new List<string>();
        void Set(string label, string? before, string? after, Action<string?> apply)
        {
            after = Clean(after);
            if (before == after) return;
            apply(after);
            changes.Add($"{label}: {Quote(before)} → {Quote(after)}");
        }

        Set("full name", customer.FullName, FullName, v => customer.FullName = v!);
        Set("email", customer.Email, Email, v => customer.Email = v!);
        if (customer.DateOfBirth != DateOfBirth)
        {
            changes.Add($"date of birth: {Day(customer.DateOfBirth)} → {Day(DateOfBirth)}");
            customer.DateOfBirth = DateOfBirth;
        }
        Set("preferred name", customer.PreferredName, PreferredName, v => customer.PreferredName = v);
        Set("pronunciation", customer.Pronunciation, Pronunciation, v => customer.Pronunciation = v);
        Set("phone", customer.Phone, Phone, v => customer.Phone = v);
        Set("preferences", customer.Preferences, Preferences, v => customer.Preferences = v);
        if (customer.PreferredTimeOfDay != PreferredTimeOfDay)
        {
            changes.Add($"preferred time of day: {customer.PreferredTimeOfDay} → {PreferredTimeOfDay}");
            customer.PreferredTimeOfDay = PreferredTimeOfDay;
        }
        return changes.Count > 0 ? string.Join("; ", changes) : null;
    }

    /// <summary>A short quoted excerpt for audit details, which hold 2,000 characters.</summary>
    public static string Quote(string? text) =>
        text is null ? "(none)" : text.Length <= MaxExcerpt ? $"“{text}”" : $"“{text[..MaxExcerpt]}…”";

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "(none)";

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static void Line(Dictionary<string, string> errors, string field, string? value, string label)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return;
        if (trimmed.Length > CustomerDetails.MaxName)
            errors[field] = $"{label} must be at most {CustomerDetails.MaxName} characters.";
        else if (trimmed.Any(char.IsControl))
            errors[field] = $"{label} cannot contain line breaks or control characters.";
    }

    [GeneratedRegex(@"^\+?[0-9 ().\-]+$")]
    private static partial Regex PhonePattern();
}
