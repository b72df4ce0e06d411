namespace CustomerExperience.Web.Domain;

/// <summary>Who changed what and when: written by every staff change to a visit or a customer, in the same transaction.</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string StaffUserId { get; set; }
    /// <summary>The staff member's name at the time, so the trail reads the same after a rename.</summary>
    public required string StaffName { get; set; }
    /// <summary>What happened, e.g. <c>visit.checked-in</c>, <c>customer.note-added</c>.</summary>
    public required string Action { get; set; }
    public Guid? CustomerId { get; set; }
    public Guid? AppointmentId { get; set; }
    /// <summary>A short human-readable description: "moved from Tue 09:00 to Wed 10:30".</summary>
    public required string Details { get; set; }
}
