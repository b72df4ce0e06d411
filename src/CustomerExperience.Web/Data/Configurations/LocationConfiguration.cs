using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class LocationConfiguration : IEntityTypeConfiguration<Location>
{
    public void Configure(EntityTypeBuilder<Location> builder)
    {
        builder.HasIndex(l => l.Slug).IsUnique();
        builder.Property(l => l.TimeZoneId).HasMaxLength(64);
        builder.Property(l => l.ArrivalNotes).HasMaxLength(2000);
        builder.Property(l => l.ParkingNotes).HasMaxLength(2000);
        // Locations that existed before the flag are active; true is also what a new Location starts with.
        builder.Property(l => l.IsActive).HasDefaultValue(true).HasSentinel(true);
        builder.Property(l => l.Version).IsRowVersion();
        builder.HasOne<Staff.StaffUser>().WithMany().HasForeignKey(l => l.ServiceRecoveryManagerId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(l => l.Closures).WithOne().HasForeignKey(c => c.LocationId);
    }
}
