namespace CustomerExperience.Web.Domain;

/// <summary>An ASP.NET Core Data Protection key, shared by every app instance through the database.</summary>
public class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}
