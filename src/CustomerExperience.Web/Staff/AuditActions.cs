namespace CustomerExperience.Web.Staff;

/// <summary>The <c>AuditEntry.Action</c> names of staff changes; the customer timeline matches them to what they changed.</summary>
public static class AuditActions
{
    public const string VisitBooked = "visit.booked";
    public const string VisitRescheduled = "visit.rescheduled";
    public const string VisitCancelled = "visit.cancelled";
    public const string VisitCheckedIn = "visit.checked-in";
    public const string VisitCompleted = "visit.completed";
    public const string VisitNoShow = "visit.no-show";
    public const string VisitNextBooked = "visit.next-booked";
    public const string CustomerUpdated = "customer.updated";
    public const string CustomerMerged = "customer.merged";
    public const string NoteAdded = "customer.note-added";
    public const string NoteEdited = "customer.note-edited";
    public const string EmailResent = "email.resent";
    public const string DelayPosted = "delay.posted";
    public const string DelayChanged = "delay.changed";
    public const string DelayCleared = "delay.cleared";
}
