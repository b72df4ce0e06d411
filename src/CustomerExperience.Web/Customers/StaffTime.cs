using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;

namespace CustomerExperience.Web.Customers;

/// <summary>How staff pages write times, sources, statuses and audit actions.</summary>
public static class StaffTime
{
    /// <summary>"Tue Dec 1, 2026 9:00 AM" in <paramref name="zone"/>.</summary>
    public static string Short(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("ddd MMM d, yyyy h:mm tt", AppointmentEmails.Culture);

    /// <summary>"Tue Dec 1, 2026".</summary>
    public static string Day(DateOnly day) => day.ToString("ddd MMM d, yyyy", AppointmentEmails.Culture);

    public static string Short(DateTimeOffset instant, string zoneId) => Short(instant, TimeZoneInfo.FindSystemTimeZoneById(zoneId));

    public static string Describe(BookingSource source) => source switch
    {
        BookingSource.FrontDesk => "front desk",
        BookingSource.Rebooking => "automatic next-visit booking",
        _ => "online",
    };

    public static string Describe(AppointmentStatus status) => status switch
    {
        AppointmentStatus.CheckedIn => "Checked in",
        AppointmentStatus.NoShow => "No-show",
        _ => status.ToString(),
    };

    public static string DescribeAction(string action) => action switch
    {
        AuditActions.VisitBooked => "Booked by staff",
        AuditActions.VisitRescheduled => "Moved by staff",
        AuditActions.VisitCancelled => "Cancelled by staff",
        AuditActions.VisitCheckedIn => "Checked in",
        AuditActions.VisitCompleted => "Completed",
        AuditActions.VisitNoShow => "Marked as a no-show",
        AuditActions.VisitNextBooked => "Next visit booked at checkout",
        AuditActions.VisitPerformerChanged => "Performer corrected",
        AuditActions.VisitAskedToRebook => "Asked to choose a new time",
        AuditActions.CustomerUpdated => "Details changed",
        AuditActions.CustomerMerged => "Merged with a duplicate customer",
        AuditActions.NoteAdded => "Note added",
        AuditActions.NoteEdited => "Note edited",
        AuditActions.EmailResent => "Email resent",
        AuditActions.AccountCreated => "Account created",
        AuditActions.AccountDisabled => "Account disabled",
        AuditActions.AccountEnabled => "Account enabled",
        AuditActions.AccountUnlocked => "Account unlocked",
        AuditActions.RoleChanged => "Role changed",
        AuditActions.PasswordChanged => "Password changed",
        AuditActions.TemporaryPasswordSet => "Temporary password set",
        AuditActions.TwoFactorOn => "Two-factor sign-in on",
        AuditActions.TwoFactorOff => "Two-factor sign-in off",
        AuditActions.AccountDetailsChanged => "Name or home locations changed",
        _ => action,
    };
}
