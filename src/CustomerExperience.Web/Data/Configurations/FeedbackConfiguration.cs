using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class SurveyDefinitionConfiguration : IEntityTypeConfiguration<SurveyDefinition>, IEntityTypeConfiguration<SurveyQuestion>
{
    public void Configure(EntityTypeBuilder<SurveyDefinition> builder)
    {
        builder.HasKey(d => d.Version);
        builder.Property(d => d.Version).ValueGeneratedNever();
        builder.HasMany(d => d.Questions).WithOne().HasForeignKey(q => q.DefinitionVersion);
        builder.HasData(new SurveyDefinition { Version = 1, CreatedAt = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) });
    }

    public void Configure(EntityTypeBuilder<SurveyQuestion> builder)
    {
        builder.HasKey(q => new { q.DefinitionVersion, q.Key });
        builder.Property(q => q.Key).HasMaxLength(32);
        builder.Property(q => q.Text).HasMaxLength(200);
        builder.Ignore(q => q.Min);
        builder.Ignore(q => q.Max);
        builder.HasData(SurveyDefaults.Questions.Select((q, i) => new SurveyQuestion
            { DefinitionVersion = 1, Key = q.Key, Position = i + 1, Text = q.Text, Scale = q.Scale }));
    }
}

public class SurveyResponseConfiguration : IEntityTypeConfiguration<SurveyResponse>, IEntityTypeConfiguration<SurveyAnswer>
{
    /// <summary>As the insights comments list asks for them (InsightsQueries.CommentsAsync), so the planner matches it.</summary>
    private const string CommentedFilter = "btrim(coalesce(comment, '')) <> ''";

    public void Configure(EntityTypeBuilder<SurveyResponse> builder)
    {
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasOne<SurveyDefinition>().WithMany().HasForeignKey(r => r.DefinitionVersion);
        builder.HasOne<Location>().WithMany().HasForeignKey(r => r.LocationId);
        builder.HasOne(r => r.Appointment).WithMany().HasForeignKey(r => r.AppointmentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Kiosk>().WithMany().HasForeignKey(r => r.KioskId).OnDelete(DeleteBehavior.SetNull);
        // One response per visit, whichever channel answers first.
        builder.HasIndex(r => r.AppointmentId).IsUnique();
        builder.HasIndex(r => new { r.LocationId, r.SubmittedAt });
        builder.HasIndex(r => new { r.CustomerId, r.SubmittedAt });
        // Insights across all locations (organisation goals).
        builder.HasIndex(r => r.SubmittedAt);
        // The insights median reads the durations of complete responses, and the comments list counts and pages the
        // commented ones, from these indexes alone (per location, and across all).
        builder.HasIndex(r => new { r.LocationId, r.SubmittedAt }, "ix_survey_responses_complete_by_location").HasDatabaseName("ix_survey_responses_complete_by_location")
            .HasFilter("NOT is_partial").IncludeProperties(r => new { r.DurationSeconds, r.Channel, r.AppointmentId });
        builder.HasIndex(r => r.SubmittedAt, "ix_survey_responses_complete").HasDatabaseName("ix_survey_responses_complete")
            .HasFilter("NOT is_partial").IncludeProperties(r => new { r.LocationId, r.DurationSeconds, r.Channel, r.AppointmentId });
        builder.HasIndex(r => new { r.LocationId, r.SubmittedAt, r.Id }, "ix_survey_responses_commented_by_location").HasDatabaseName("ix_survey_responses_commented_by_location")
            .HasFilter(CommentedFilter).IncludeProperties(r => new { r.Channel, r.AppointmentId });
        builder.HasIndex(r => new { r.SubmittedAt, r.Id }, "ix_survey_responses_commented").HasDatabaseName("ix_survey_responses_commented")
            .HasFilter(CommentedFilter).IncludeProperties(r => new { r.LocationId, r.Channel, r.AppointmentId });
        builder.Property(r => r.Comment).HasMaxLength(SurveyDefaults.MaxCommentLength);
        builder.HasMany(r => r.Answers).WithOne().HasForeignKey(a => a.ResponseId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<SurveyAnswer> builder)
    {
        builder.HasKey(a => new { a.ResponseId, a.QuestionKey });
        builder.Property(a => a.QuestionKey).HasMaxLength(32);
        builder.ToTable(t => t.HasCheckConstraint("survey_answers_score_range", "score BETWEEN 0 AND 10"));
    }
}

public class KioskConfiguration : IEntityTypeConfiguration<Kiosk>
{
    public void Configure(EntityTypeBuilder<Kiosk> builder)
    {
        builder.HasOne(k => k.Location).WithMany().HasForeignKey(k => k.LocationId);
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.TokenHash).HasMaxLength(64);
        builder.HasIndex(k => k.TokenHash).IsUnique();
        builder.HasOne<StaffUser>().WithMany().HasForeignKey(k => k.EnrolledById);
        builder.HasOne<StaffUser>().WithMany().HasForeignKey(k => k.RevokedById);
    }
}

public class RecoveryCaseConfiguration : IEntityTypeConfiguration<RecoveryCase>, IEntityTypeConfiguration<CaseNote>
{
    public void Configure(EntityTypeBuilder<RecoveryCase> builder)
    {
        builder.ToTable("recovery_cases");
        builder.Property(c => c.Number).UseIdentityAlwaysColumn().Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        builder.HasIndex(c => c.Number).IsUnique();
        // A response opens at most one case.
        builder.HasIndex(c => c.ResponseId).IsUnique();
        builder.HasOne(c => c.Response).WithMany().HasForeignKey(c => c.ResponseId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(c => c.Location).WithMany().HasForeignKey(c => c.LocationId);
        builder.HasOne(c => c.Customer).WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(c => c.Appointment).WithMany().HasForeignKey(c => c.AppointmentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<StaffUser>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(c => c.Summary).HasMaxLength(1000);
        builder.Property(c => c.Comment).HasMaxLength(SurveyDefaults.MaxCommentLength);
        builder.Property(c => c.Outcome).HasMaxLength(2000);
        builder.HasIndex(c => new { c.Status, c.DueAt });
        builder.HasIndex(c => new { c.CustomerId, c.OpenedAt });
        builder.HasIndex(c => new { c.LocationId, c.OpenedAt });
        builder.HasMany(c => c.Notes).WithOne().HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Version).IsRowVersion();
        builder.Property(c => c.Heard).HasConversion(h => HeardStepsText.ToText(h), text => HeardStepsText.Parse(text));
    }

    public void Configure(EntityTypeBuilder<CaseNote> builder)
    {
        builder.ToTable("recovery_case_notes");
        builder.Property(n => n.Text).HasMaxLength(2000);
        builder.HasIndex(n => new { n.CaseId, n.At });
    }
}

public class StaffLocationConfiguration : IEntityTypeConfiguration<StaffLocation>
{
    public void Configure(EntityTypeBuilder<StaffLocation> builder)
    {
        builder.ToTable("staff_locations");
        builder.HasKey(s => new { s.StaffUserId, s.LocationId });
        builder.HasOne<StaffUser>().WithMany(u => u.HomeLocations).HasForeignKey(s => s.StaffUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Location>().WithMany().HasForeignKey(s => s.LocationId).OnDelete(DeleteBehavior.Cascade);
    }
}
