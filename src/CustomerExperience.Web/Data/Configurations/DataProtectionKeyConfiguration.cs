using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

/// <summary>
/// The Data Protection package's key entity on the table our own key store wrote before (cx.data_protection_keys:
/// id, friendly_name, xml), so the keys behind links in emails already sent are read as they are.
/// </summary>
public class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.Property(k => k.Xml).HasColumnType("text").IsRequired();
    }
}
