using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class ResourceConfiguration : IEntityTypeConfiguration<Resource>
{
    public void Configure(EntityTypeBuilder<Resource> builder)
    {
        builder.HasOne(r => r.Location).WithMany().HasForeignKey(r => r.LocationId);
        builder.HasMany(r => r.Services).WithMany().UsingEntity("resource_services");
        builder.HasMany(r => r.WorkingHours).WithOne().HasForeignKey(w => w.ResourceId);
        builder.HasMany(r => r.Closures).WithOne().HasForeignKey(c => c.ResourceId);
    }
}
