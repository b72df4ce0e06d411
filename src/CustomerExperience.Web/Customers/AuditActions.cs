namespace CustomerExperience.Web.Customers;

/// <summary>The <c>AuditEntry.Action</c> names of staff changes to visits and customers; the timeline matches them to what they changed.</summary>
public static class AuditActions
{
    public const string VisitBooked = "visit.booked";
    public const string VisitRescheduled = "visit.rescheduled";
    public const string VisitCancelled = "visit.cancelled";
    public const string VisitCheckedIn = "visit.checked-in";
    public const string VisitCompleted = "visit.completed";
    public const string VisitNoShow = "visit.no-show";
    public const string CustomerUpdated = "customer.updated";
    public const string NoteAdded = "customer.note-added";
    public const string NoteEdited = "customer.note-edited";
}
