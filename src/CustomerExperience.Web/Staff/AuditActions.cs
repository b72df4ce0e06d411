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
    public const string VisitPerformerChanged = "visit.performer-changed";
    public const string VisitAskedToRebook = "visit.asked-to-rebook";
    public const string CustomerUpdated = "customer.updated";
    public const string CustomerMerged = "customer.merged";
    public const string NoteAdded = "customer.note-added";
    public const string NoteEdited = "customer.note-edited";
    public const string EmailResent = "email.resent";
    public const string DelayPosted = "delay.posted";
    public const string DelayChanged = "delay.changed";
    public const string DelayCleared = "delay.cleared";
    public const string KioskEnrolled = "kiosk.enrolled";
    public const string KioskLinkCreated = "kiosk.link-created";
    public const string KioskRevoked = "kiosk.revoked";
    public const string GoalSet = "insights.goal-set";
    public const string GoalDeleted = "insights.goal-deleted";
    public const string AccountCreated = "account.created";
    public const string AccountDisabled = "account.disabled";
    public const string AccountEnabled = "account.enabled";
    public const string AccountUnlocked = "account.unlocked";
    public const string RoleChanged = "account.role-changed";
    public const string PasswordChanged = "account.password-changed";
    public const string TemporaryPasswordSet = "account.temporary-password-set";
    public const string TwoFactorOn = "account.two-factor-on";
    public const string TwoFactorOff = "account.two-factor-off";
    public const string AccountDetailsChanged = "account.details-changed";
    public const string RoomCreated = "setup.room-created";
    public const string RoomChanged = "setup.room-changed";
    public const string ClosureAdded = "setup.closure-added";
    public const string ClosureRemoved = "setup.closure-removed";
    public const string CaseOpened = "case.opened";
    public const string CaseContacted = "case.contacted";
    public const string CaseChecklist = "case.checklist";
    public const string CaseReassigned = "case.reassigned";
    public const string CaseNoteAdded = "case.note-added";
    public const string CaseResolved = "case.resolved";
    public const string LocationCreated = "setup.location-created";
    public const string LocationChanged = "setup.location-changed";
    public const string LocationDeactivated = "setup.location-deactivated";
    public const string LocationActivated = "setup.location-activated";
    public const string ServiceCreated = "setup.service-created";
    public const string ServiceChanged = "setup.service-changed";
    public const string ServiceDeactivated = "setup.service-deactivated";
    public const string ServiceActivated = "setup.service-activated";
    public const string TextChanged = "texts.changed";
    public const string TextReset = "texts.reset";
    public const string SurveyReworded = "texts.survey-reworded";
    public const string ImportUploaded = "import.uploaded";
    public const string ImportStarted = "import.started";
    public const string ImportFinished = "import.finished";

    /// <summary>Every <c>case.…</c> action starts with this; the customer timeline shows cases from the cases themselves.</summary>
    public const string CasePrefix = "case.";

    /// <summary>Every <c>account.…</c> action starts with this.</summary>
    public const string AccountPrefix = "account.";
}
