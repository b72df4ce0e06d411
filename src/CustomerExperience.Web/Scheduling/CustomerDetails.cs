using System.Net.Mail;
using System.Text.RegularExpressions;

namespace CustomerExperience.Web.Scheduling;

/// <summary>What a customer types when booking. <see cref="Validate"/> gives one clear message per bad field.</summary>
public sealed partial record CustomerDetails(string? FullName, string? PreferredName, string? Email, string? Phone, DateOnly? DateOfBirth)
{
    public const int MaxName = 120;
    public const int MaxEmail = 254;
    public const int MaxPhone = 32;

    /// <param name="online">A public form: phone and date of birth are required. The clinic's own bookings (front desk,
    /// rebooking) use what the customer record has.</param>
    public Dictionary<string, string> Validate(DateOnly today, bool online = true)
    {
        var errors = new Dictionary<string, string>();
        Text(errors, "fullName", FullName, "Full name", required: true);
        Text(errors, "preferredName", PreferredName, "Preferred name", required: false);

        var email = Email?.Trim();
        if (string.IsNullOrEmpty(email))
            errors["email"] = "Enter your email address, so we can send your confirmation.";
        else if (email.Length > MaxEmail)
            errors["email"] = $"Email address must be at most {MaxEmail} characters.";
        else if (!IsEmail(email))
            errors["email"] = "Enter an email address like name@example.com.";

        var phone = Phone?.Trim();
        if (string.IsNullOrEmpty(phone))
        {
            if (online) errors["phone"] = "Enter a phone number, so the clinic can reach you about your visit.";
        }
        else if (phone.Length > MaxPhone || !PhonePattern().IsMatch(phone) || phone.Count(char.IsAsciiDigit) < 7)
            errors["phone"] = "Enter a phone number with at least 7 digits, like (555) 010-2030.";

        if (DateOfBirth is not { } dob)
        {
            if (online) errors["dateOfBirth"] = "Enter your date of birth.";
        }
        else if (dob > today)
            errors["dateOfBirth"] = "Date of birth cannot be in the future.";
        else if (dob < today.AddYears(-120))
            errors["dateOfBirth"] = "Check the year of your date of birth.";

        return errors;
    }

    private static void Text(Dictionary<string, string> errors, string field, string? value, string label, bool required)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required)
                errors[field] = $"Enter your {label.ToLowerInvariant()}.";
        }
        else if (trimmed.Length > MaxName)
            errors[field] = $"{label} must be at most {MaxName} characters.";
        else if (trimmed.Any(char.IsControl))
            errors[field] = $"{label} cannot contain line breaks or control characters.";
    }

    private static bool IsEmail(string email) =>
        !email.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
        && MailAddress.TryCreate(email, out var parsed)
        && parsed.Address == email
        && parsed.Host.Contains('.')
        && !parsed.Host.StartsWith('.') && !parsed.Host.EndsWith('.')
        && Uri.TryCreate("mailto:" + email, UriKind.Absolute, out _); // the calendar invite's ATTENDEE

    [GeneratedRegex(@"^\+?[0-9 ().\-]+$")]
    private static partial Regex PhonePattern();
}
