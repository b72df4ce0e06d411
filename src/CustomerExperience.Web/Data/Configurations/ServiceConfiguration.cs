using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class ServiceConfiguration : IEntityTypeConfiguration<Service>
{
    public void Configure(EntityTypeBuilder<Service> builder)
    {
        builder.HasIndex(s => s.Slug).IsUnique();
        builder.Property(s => s.Description).HasMaxLength(2000);
        builder.Property(s => s.PreparationNotes).HasMaxLength(2000);
        builder.Property(s => s.Version).IsRowVersion();
        builder.Ignore(s => s.Duration);
        builder.Ignore(s => s.Buffer);
    }
}
