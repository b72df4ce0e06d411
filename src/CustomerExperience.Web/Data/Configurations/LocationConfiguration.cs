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
        builder.HasOne<Staff.StaffUser>().WithMany().HasForeignKey(l => l.ServiceRecoveryManagerId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(l => l.Closures).WithOne().HasForeignKey(c => c.LocationId);
    }
}
