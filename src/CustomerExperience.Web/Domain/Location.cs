namespace CustomerExperience.Web.Domain;

public class Location
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public required string AddressLine { get; set; }
    public required string City { get; set; }
    public required string Region { get; set; }
    public required string PostalCode { get; set; }
    /// <summary>IANA zone id, e.g. America/New_York.</summary>
    public required string TimeZoneId { get; set; }
    public required string Phone { get; set; }
    public string? DirectionsUrl { get; set; }
    public string? ArrivalNotes { get; set; }
    public string? ParkingNotes { get; set; }
    /// <summary>The staff member who owns this location's service-recovery cases; null: any manager.</summary>
    public string? ServiceRecoveryManagerId { get; set; }
    /// <summary>An inactive location is not offered for booking; its visits and answers stay.</summary>
    public bool IsActive { get; set; } = true;
    /// <summary>Postgres <c>xmin</c>: two admins saving the same location get "changed meanwhile", not an overwrite.</summary>
    public uint Version { get; private set; }
    public List<LocationClosure> Closures { get; set; } = [];

    /// <summary>The arrival and the parking notes that are set, in that order: what emails and the manage page show under "Arrival and parking".</summary>
    public IReadOnlyList<string> ArrivalAndParking => new[] { ArrivalNotes, ParkingNotes }.OfType<string>().ToList();

    public string FullAddress => $"{AddressLine}, {City}, {Region} {PostalCode}";

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>The calendar date at this location at <paramref name="instant"/>.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateIn(TimeZone, instant);

    /// <summary>The calendar date in <paramref name="zone"/> at <paramref name="instant"/>.</summary>
    public static DateOnly DateIn(TimeZoneInfo zone, DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}

/// <summary>A day or days when the whole location is closed (holidays).</summary>
public class LocationClosure
{
    public Guid Id { get; set; }
    public Guid LocationId { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public required string Reason { get; set; }
}
