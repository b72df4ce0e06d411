using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class AppointmentManageTokenConfiguration : IEntityTypeConfiguration<AppointmentManageToken>
{
    public void Configure(EntityTypeBuilder<AppointmentManageToken> builder)
    {
        builder.HasKey(t => t.Hash);
        builder.HasOne<Appointment>().WithMany().HasForeignKey(t => t.AppointmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
