namespace CustomerExperience.Web.Domain;

public enum TimeOfDayPreference { Any, Morning, Afternoon, Evening }

public class Customer
{
    public Guid Id { get; set; }
    public required string FullName { get; set; }
    public string? PreferredName { get; set; }
    /// <summary>How to say the preferred name, e.g. "SHAR-lot".</summary>
    public string? Pronunciation { get; set; }
    private string email = "";

    public required string Email
    {
        get => email;
        set
        {
            email = value.Trim();
            NormalizedEmail = Normalize(value);
        }
    }

    /// <summary>Lower-cased email, for lookups: several customers (a family) may share one.</summary>
    public string NormalizedEmail { get; private set; } = "";
    public string? Phone { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public TimeOfDayPreference PreferredTimeOfDay { get; set; }
    public Guid? PreferredLocationId { get; set; }
    /// <summary>Free-text preferences staff keep: "prefers a female technologist", "needs the lift".</summary>
    public string? Preferences { get; set; }
    public bool EmailOptOut { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Postgres <c>xmin</c>: a staff edit saved over a row changed since it was read fails instead of overwriting.</summary>
    public uint Version { get; private set; }

    public string Greeting => string.IsNullOrWhiteSpace(PreferredName) ? FullName : PreferredName;

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
