using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class AppointmentConfiguration : IEntityTypeConfiguration<Appointment>
{
    /// <summary>The exclusion constraint (added by SQL in the first migration) that makes double booking impossible.</summary>
    public const string NoOverlapConstraint = "appointments_no_overlap";

    public void Configure(EntityTypeBuilder<Appointment> builder)
    {
        builder.HasOne(a => a.Customer).WithMany().HasForeignKey(a => a.CustomerId);
        builder.HasOne(a => a.Service).WithMany().HasForeignKey(a => a.ServiceId);
        builder.HasOne(a => a.Location).WithMany().HasForeignKey(a => a.LocationId);
        builder.HasOne(a => a.Resource).WithMany().HasForeignKey(a => a.ResourceId);
        builder.Property(a => a.CancellationReason).HasMaxLength(400);
        builder.HasIndex(a => new { a.LocationId, a.Start });
        builder.HasIndex(a => new { a.CustomerId, a.Start });
        // Availability reads the visits of a resource that end after its window opens: only upcoming ones, however long
        // the history. Also serves the foreign key, so it replaces the plain resource_id index.
        builder.HasIndex(a => new { a.ResourceId, a.BlockedUntil });
        // Reminders look for booked visits starting in the next days.
        builder.HasIndex(a => new { a.Status, a.Start });
        // Insights: "did this customer come back for the service?" (retention, recalls, next visit booked, lapsed),
        // answered from the index alone.
        builder.HasIndex(a => new { a.CustomerId, a.ServiceId, a.Start })
            .IncludeProperties(a => new { a.Status, a.CreatedAt, a.Source, a.LocationId });
        // Insights: completed visits of a period (the response rate), however long the history.
        builder.HasIndex(a => new { a.LocationId, a.CompletedAt }).HasFilter("status = 'Completed'");
        builder.Property(a => a.Version).IsRowVersion();
        builder.HasOne<Staff.StaffUser>().WithMany().HasForeignKey(a => a.CheckedInById).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Staff.StaffUser>().WithMany().HasForeignKey(a => a.PerformedById).OnDelete(DeleteBehavior.SetNull);
        builder.Property(a => a.VisitCode).HasMaxLength(6);
        // The kiosk finds a visit by its location and code among recent visits.
        builder.HasIndex(a => new { a.LocationId, a.VisitCode }).HasFilter("visit_code IS NOT NULL");
        builder.Ignore(a => a.IsActive);
        builder.Ignore(a => a.ScheduledAt);
    }
}
