using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class GoalConfiguration : IEntityTypeConfiguration<Goal>
{
    public void Configure(EntityTypeBuilder<Goal> builder)
    {
        builder.ToTable("goals", t =>
        {
            t.HasCheckConstraint("goals_period", "\"from\" <= \"to\"");
            t.HasCheckConstraint("goals_question", "(metric = 'QuestionTopBox') = (question_key IS NOT NULL)");
            t.HasCheckConstraint("goals_one_scope", "location_id IS NULL OR staff_user_id IS NULL");
        });
        builder.Property(g => g.QuestionKey).HasMaxLength(32);
        builder.Property(g => g.Target).HasPrecision(5, 1);
        builder.HasOne<Location>().WithMany().HasForeignKey(g => g.LocationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StaffUser>().WithMany().HasForeignKey(g => g.StaffUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StaffUser>().WithMany().HasForeignKey(g => g.CreatedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(g => new { g.To, g.From });
        builder.Ignore(g => g.LowerIsBetter);
    }
}
