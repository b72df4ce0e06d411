namespace CustomerExperience.Web.Domain;

public class Service
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int DurationMinutes { get; set; }
    public int BufferMinutes { get; set; }
    /// <summary>Days after the last completed visit before insurance covers the next one; null when not limited.</summary>
    public int? CoverageIntervalDays { get; set; }
    /// <summary>Days after a visit when the next one is due (drives next-year rebooking); null for one-off services.</summary>
    public int? RecallIntervalDays { get; set; }
    /// <summary>Reminder moments, in minutes before the visit.</summary>
    public List<int> ReminderOffsetsMinutes { get; set; } = [];
    public string? PreparationNotes { get; set; }
    public int? ResultsMinBusinessDays { get; set; }
    public int? ResultsMaxBusinessDays { get; set; }
    /// <summary>What calendars and subjects show; no diagnosis unless the clinic chooses one.</summary>
    public required string CalendarTitle { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>Postgres <c>xmin</c>: two admins saving the same service get "changed meanwhile", not an overwrite.</summary>
    public uint Version { get; private set; }

    public TimeSpan Duration => TimeSpan.FromMinutes(DurationMinutes);
    public TimeSpan Buffer => TimeSpan.FromMinutes(BufferMinutes);
}
