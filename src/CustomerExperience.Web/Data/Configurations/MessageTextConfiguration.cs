using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class MessageTextConfiguration : IEntityTypeConfiguration<MessageText>
{
    public void Configure(EntityTypeBuilder<MessageText> builder)
    {
        builder.HasKey(t => t.Kind);
        builder.Property(t => t.Kind).HasMaxLength(32);
        builder.Property(t => t.Subject).HasMaxLength(MessageTemplate.MaxSubject);
        builder.Property(t => t.Body).HasMaxLength(MessageTemplate.MaxBody);
        builder.HasOne<StaffUser>().WithMany().HasForeignKey(t => t.UpdatedById).OnDelete(DeleteBehavior.Restrict);
        builder.Property(t => t.Version).IsRowVersion();
    }
}
