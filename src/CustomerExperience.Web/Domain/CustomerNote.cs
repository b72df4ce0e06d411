namespace CustomerExperience.Web.Domain;

/// <summary>A personal note staff keep about a customer ("nervous about results — explain the timeline").</summary>
public class CustomerNote
{
    public Guid Id { get; set; }
    public Guid CustomerId { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedById { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? UpdatedById { get; set; }
    public string? UpdatedBy { get; set; }
}
