namespace CustomerExperience.Web.Domain;

public enum AppointmentStatus { Booked, CheckedIn, Completed, Cancelled, NoShow }

public enum BookingSource { Online, FrontDesk, Rebooking }

public class Appointment
{
    public Guid Id { get; set; }
    public Guid CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public Guid ServiceId { get; set; }
    public Service? Service { get; set; }
    public Guid LocationId { get; set; }
    public Location? Location { get; set; }
    public Guid ResourceId { get; set; }
    public Resource? Resource { get; set; }
    public DateTimeOffset Start { get; private set; }
    public DateTimeOffset End { get; private set; }
    /// <summary>End plus the service's buffer: what the no-double-booking constraint protects.</summary>
    public DateTimeOffset BlockedUntil { get; private set; }
    public AppointmentStatus Status { get; private set; } = AppointmentStatus.Booked;
    public BookingSource Source { get; set; }
    /// <summary>iCalendar SEQUENCE: raised on every change the customer's calendar must follow.</summary>
    public int CalendarSequence { get; private set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the visit last moved; with <see cref="CreatedAt"/> it tells which reminders were already too late.</summary>
    public DateTimeOffset? RescheduledAt { get; private set; }
    public DateTimeOffset ScheduledAt => RescheduledAt ?? CreatedAt;
    public DateTimeOffset? CheckedInAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public string? CancellationReason { get; private set; }
    /// <summary>The care team: who checked the customer in, and who performed the visit (staff user ids).</summary>
    public string? CheckedInById { get; private set; }
    public string? PerformedById { get; private set; }
    /// <summary>Six digits the desk gives at checkout; typed at the exit kiosk, it ties the survey to this visit.</summary>
    public string? VisitCode { get; private set; }
    /// <summary>Postgres <c>xmin</c>: changes with every committed update, so a form can say which state it showed.</summary>
    public uint Version { get; private set; }

    public bool IsActive => Status is AppointmentStatus.Booked or AppointmentStatus.CheckedIn;

    public void Schedule(DateTimeOffset start, TimeSpan duration, TimeSpan buffer)
    {
        Start = start.ToUniversalTime();
        End = Start + duration;
        BlockedUntil = End + buffer;
    }

    public void Reschedule(DateTimeOffset start, TimeSpan duration, TimeSpan buffer, Guid resourceId, DateTimeOffset now)
    {
        if (Status != AppointmentStatus.Booked)
            throw new InvalidOperationException($"A {Status} visit cannot be rescheduled.");
        Schedule(start, duration, buffer);
        ResourceId = resourceId;
        RescheduledAt = now;
        CalendarSequence++;
    }

    public void Cancel(string reason, DateTimeOffset now)
    {
        if (!IsActive)
            throw new InvalidOperationException($"A {Status} visit cannot be cancelled.");
        Status = AppointmentStatus.Cancelled;
        CancellationReason = reason;
        CancelledAt = now;
        CalendarSequence++;
    }

    public void CheckIn(DateTimeOffset now, string? checkedInById = null, string? performedById = null)
    {
        if (Status != AppointmentStatus.Booked)
            throw new InvalidOperationException($"A {Status} visit cannot be checked in.");
        Status = AppointmentStatus.CheckedIn;
        CheckedInAt = now;
        CheckedInById = checkedInById;
        PerformedById = performedById ?? PerformedById;
    }

    public void Complete(DateTimeOffset now, string? performedById = null)
    {
        if (!IsActive)
            throw new InvalidOperationException($"A {Status} visit cannot be completed.");
        Status = AppointmentStatus.Completed;
        CompletedAt = now;
        PerformedById = performedById ?? PerformedById;
    }

    public void AssignPerformer(string? performedById) => PerformedById = performedById;

    /// <summary>Given once, at check-in or completion; <paramref name="code"/> comes from <c>VisitCodes</c>.</summary>
    public void GiveVisitCode(string code) => VisitCode ??= code;

    public void MarkNoShow()
    {
        if (Status != AppointmentStatus.Booked)
            throw new InvalidOperationException($"A {Status} visit cannot be marked as a no-show.");
        Status = AppointmentStatus.NoShow;
    }
}
