namespace CustomerExperience.Web.Domain;

/// <summary>
/// The clinic's own words for one kind of email (<c>MessageKinds</c>), used instead of the default while it exists.
/// Removing it is "reset to default".
/// </summary>
public class MessageText
{
    public required string Kind { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedById { get; set; }
    /// <summary>Postgres <c>xmin</c>: the form says which text it showed, so an edit made meanwhile is never overwritten.</summary>
    public uint Version { get; private set; }
}
