using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.Property(c => c.Email).HasMaxLength(254);
        builder.Property(c => c.NormalizedEmail).HasMaxLength(254);
        builder.HasIndex(c => c.NormalizedEmail);
        builder.Property(c => c.Version).IsRowVersion();
        builder.Property(c => c.Phone).HasMaxLength(40);
        builder.Property(c => c.Preferences).HasMaxLength(1000);
        builder.Ignore(c => c.Greeting);
    }
}
