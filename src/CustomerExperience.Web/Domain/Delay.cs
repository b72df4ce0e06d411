namespace CustomerExperience.Web.Domain;

/// <summary>"Running N minutes late" at a location, or at one resource of it, until cleared.</summary>
public class Delay
{
    public Guid Id { get; set; }
    public Guid LocationId { get; set; }
    public Location? Location { get; set; }
    /// <summary>Null: the whole location runs late.</summary>
    public Guid? ResourceId { get; set; }
    public Resource? Resource { get; set; }
    public int Minutes { get; set; }
    public string? Message { get; set; }
    public required string PostedById { get; set; }
    public required string PostedBy { get; set; }
    public DateTimeOffset PostedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ClearedAt { get; set; }
    public string? ClearedBy { get; set; }

    public bool IsActive => ClearedAt is null;
}

/// <summary>The delay a customer was last emailed about: one email per delay, another only when it grows enough.</summary>
public class DelayNotice
{
    public Guid DelayId { get; set; }
    public Guid AppointmentId { get; set; }
    public int Minutes { get; set; }
    public DateTimeOffset NotifiedAt { get; set; }
}
