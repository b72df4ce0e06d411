namespace CustomerExperience.Web.Scheduling;

/// <summary>
/// A visit that counts as done for coverage and recalls: a completed appointment, or a <see cref="Domain.PastVisit"/>
/// brought in by an import (taken at midday local time on its date). <see cref="Eligibility"/> and
/// <see cref="Journeys.EligibilityRecalls"/> both read the last visit from here, so the two cannot disagree.
/// </summary>
public class CompletedVisit
{
    public Guid CustomerId { get; init; }
    public Guid ServiceId { get; init; }
    public Guid LocationId { get; init; }
    public DateTimeOffset Start { get; init; }

    public const string Sql = """
        SELECT a.customer_id, a.service_id, a.location_id, a.start
        FROM cx.appointments a WHERE a.status = 'Completed'
        UNION ALL
        SELECT p.customer_id, p.service_id, p.location_id, (p.visited_on + TIME '12:00') AT TIME ZONE l.time_zone_id
        FROM cx.past_visits p JOIN cx.locations l ON l.id = p.location_id
        """;
}
