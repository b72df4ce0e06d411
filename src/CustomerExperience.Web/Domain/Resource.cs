namespace CustomerExperience.Web.Domain;

public enum ResourceKind { Room, Machine, Technician }

/// <summary>A room, machine or technician at a location that performs some services.</summary>
public class Resource
{
    public Guid Id { get; set; }
    public Guid LocationId { get; set; }
    public Location? Location { get; set; }
    public required string Name { get; set; }
    public ResourceKind Kind { get; set; }
    public bool IsActive { get; set; } = true;
    public List<Service> Services { get; set; } = [];
    public List<WorkingHours> WorkingHours { get; set; } = [];
    public List<ResourceClosure> Closures { get; set; } = [];
}

public class WorkingHours
{
    public Guid Id { get; set; }
    public Guid ResourceId { get; set; }
    public DayOfWeek Day { get; set; }
    public TimeOnly Opens { get; set; }
    public TimeOnly Closes { get; set; }
}

public class ResourceClosure
{
    public Guid Id { get; set; }
    public Guid ResourceId { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public required string Reason { get; set; }
}
