using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CustomerExperience.Web.Data.Configurations;

public class OutboundEmailConfiguration : IEntityTypeConfiguration<OutboundEmail>
{
    public void Configure(EntityTypeBuilder<OutboundEmail> builder)
    {
        builder.HasIndex(e => e.IdempotencyKey).IsUnique();
        builder.Property(e => e.IdempotencyKey).HasMaxLength(200);
        builder.Property(e => e.ToAddress).HasMaxLength(254);
        builder.Property(e => e.TextBody).HasColumnType("text");
        builder.Property(e => e.HtmlBody).HasColumnType("text");
        builder.Property(e => e.Ics).HasColumnType("text");
        builder.Property(e => e.LastError).HasMaxLength(1000);
        builder.Property(e => e.UnsubscribeUrl).HasMaxLength(1000);
        // The delivery job's claim query scans due rows in this order.
        builder.HasIndex(e => new { e.Status, e.NextAttemptAt });
        builder.HasIndex(e => e.CustomerId);
        builder.HasIndex(e => e.AppointmentId);
        // The staff Messages page lists the newest first.
        builder.HasIndex(e => e.CreatedAt);
        // Insights: the recall emails sent in a period (recall conversion).
        builder.HasIndex(e => e.SentAt).HasFilter("kind = 'recall' AND status = 'Sent'");
    }
}
