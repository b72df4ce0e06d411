using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class CustomerImportConfiguration : IEntityTypeConfiguration<CustomerImport>
{
    public void Configure(EntityTypeBuilder<CustomerImport> builder)
    {
        builder.ToTable("customer_imports");
        builder.Property(i => i.FileName).HasMaxLength(255);
        builder.Property(i => i.Encoding).HasMaxLength(16);
        builder.Property(i => i.Mapping).HasMaxLength(8000);
        builder.Property(i => i.Failure).HasMaxLength(1000);
        builder.Property(i => i.Version).IsRowVersion();
        builder.HasIndex(i => i.UploadedAt);
        builder.Ignore(i => i.IsFinished);
    }
}

public class CustomerImportChunkConfiguration : IEntityTypeConfiguration<CustomerImportChunk>
{
    public void Configure(EntityTypeBuilder<CustomerImportChunk> builder)
    {
        builder.ToTable("customer_import_chunks");
        builder.HasKey(c => new { c.ImportId, c.Number });
        builder.HasOne<CustomerImport>().WithMany().HasForeignKey(c => c.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}

public class CustomerImportRejectionConfiguration : IEntityTypeConfiguration<CustomerImportRejection>
{
    public void Configure(EntityTypeBuilder<CustomerImportRejection> builder)
    {
        builder.ToTable("customer_import_rejections");
        builder.HasKey(r => new { r.ImportId, r.Row });
        builder.Property(r => r.Columns).HasMaxLength(1000);
        builder.Property(r => r.Reasons).HasMaxLength(4000);
        builder.HasOne<CustomerImport>().WithMany().HasForeignKey(r => r.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}

public class PastVisitConfiguration : IEntityTypeConfiguration<PastVisit>
{
    public void Configure(EntityTypeBuilder<PastVisit> builder)
    {
        builder.ToTable("past_visits");
        builder.HasIndex(v => new { v.CustomerId, v.ServiceId }).IsUnique();
        builder.HasIndex(v => new { v.ServiceId, v.VisitedOn });
        builder.HasOne<Customer>().WithMany().HasForeignKey(v => v.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Service>().WithMany().HasForeignKey(v => v.ServiceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Location>().WithMany().HasForeignKey(v => v.LocationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CustomerImport>().WithMany().HasForeignKey(v => v.ImportId).OnDelete(DeleteBehavior.SetNull);
    }
}

public class CompletedVisitConfiguration : IEntityTypeConfiguration<CompletedVisit>
{
    public void Configure(EntityTypeBuilder<CompletedVisit> builder) => builder.HasNoKey().ToSqlQuery(CompletedVisit.Sql);
}
