using System.Text.RegularExpressions;

namespace CustomerExperience.Web.Setup;

/// <summary>What saving a location or a service came to.</summary>
public abstract record PlacesSave
{
    public sealed record Saved(Guid Id, string Name) : PlacesSave;
    /// <summary>Field (the form's name for it) → what is wrong; nothing was saved.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : PlacesSave;
    /// <summary>Someone saved it after the form was shown; nothing was saved.</summary>
    public sealed record ChangedMeanwhile : PlacesSave;
    public sealed record NotFound : PlacesSave;
}

/// <summary>Checks shared by the location and service forms.</summary>
public static partial class PlacesRules
{
    public const int MaxSlug = 64;

    /// <summary>The typed slug, or one made from the name when left empty ("Midtown Center" → "midtown-center").</summary>
    public static string SlugOrFromName(string? slug, string? name)
    {
        if (!string.IsNullOrWhiteSpace(slug)) return slug.Trim();
        var ascii = new string((name ?? "").Normalize(System.Text.NormalizationForm.FormD)
            .Where(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-').Select(char.ToLowerInvariant).ToArray());
        return string.Join('-', ascii.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries));
    }

    public static string? SlugProblem(string slug) =>
        slug.Length == 0 ? "Enter a short web address name, e.g. midtown."
        : slug.Length > MaxSlug ? $"Keep it under {MaxSlug} characters."
        : !SlugPattern().IsMatch(slug) ? "Use lower-case letters a–z, digits and single hyphens only, e.g. midtown-center."
        : null;

    /// <summary>Trimmed text, null when empty; a problem when required and missing or longer than <paramref name="max"/>.</summary>
    public static string? Text(string? value, string field, string label, int max, bool required, Dictionary<string, string> errors)
    {
        var text = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (text is null && required) errors[field] = $"Enter the {label}.";
        else if (text is not null && text.Length > max) errors[field] = $"Keep the {label} under {max} characters.";
        return text;
    }

    /// <summary>A whole number in [min, max]; null when empty and optional.</summary>
    public static int? Number(string? value, string field, string label, int min, int max, bool required, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) errors[field] = $"Enter the {label}.";
            return null;
        }
        if (!int.TryParse(value.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            || number < min || number > max)
        {
            errors[field] = $"The {label} must be a whole number from {min} to {max}.";
            return null;
        }
        return number;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
