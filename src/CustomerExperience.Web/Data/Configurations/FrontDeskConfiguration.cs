using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class CustomerNoteConfiguration : IEntityTypeConfiguration<CustomerNote>
{
    public void Configure(EntityTypeBuilder<CustomerNote> builder)
    {
        builder.Property(n => n.Text).HasMaxLength(2000);
        builder.HasOne<Customer>().WithMany().HasForeignKey(n => n.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(n => new { n.CustomerId, n.CreatedAt });
    }
}

public class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.Details).HasMaxLength(2000);
        builder.HasIndex(a => new { a.CustomerId, a.At });
        builder.HasIndex(a => new { a.AppointmentId, a.At });
    }
}

public class DelayConfiguration : IEntityTypeConfiguration<Delay>
{
    public void Configure(EntityTypeBuilder<Delay> builder)
    {
        builder.Property(d => d.Message).HasMaxLength(500);
        // At most one running delay per place (a location as a whole, or one of its resources).
        builder.HasIndex(d => new { d.LocationId, d.ResourceId }).IsUnique()
            .HasFilter("cleared_at IS NULL").AreNullsDistinct(false);
        builder.Ignore(d => d.IsActive);
    }
}

public class DelayNoticeConfiguration : IEntityTypeConfiguration<DelayNotice>
{
    public void Configure(EntityTypeBuilder<DelayNotice> builder)
    {
        builder.HasKey(n => new { n.DelayId, n.AppointmentId });
        builder.HasOne<Delay>().WithMany().HasForeignKey(n => n.DelayId).OnDelete(DeleteBehavior.Cascade);
    }
}
