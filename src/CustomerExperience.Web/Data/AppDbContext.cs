using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Data;

/// <remarks>
/// Add a migration from the repository root with
/// <c>dotnet ef migrations add NAME --project src/CustomerExperience.Web --startup-project tools/CustomerExperience.Migrations --output-dir Data/Migrations</c>.
/// </remarks>
public class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public const string Schema = "cx";

    public DbSet<Location> Locations => Set<Location>();
    public DbSet<LocationClosure> LocationClosures => Set<LocationClosure>();
    public DbSet<Service> Services => Set<Service>();
    public DbSet<Resource> Resources => Set<Resource>();
    public DbSet<WorkingHours> WorkingHours => Set<WorkingHours>();
    public DbSet<ResourceClosure> ResourceClosures => Set<ResourceClosure>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Appointment> Appointments => Set<Appointment>();
    public DbSet<AppointmentManageToken> AppointmentManageTokens => Set<AppointmentManageToken>();
    public DbSet<OutboundEmail> OutboundEmails => Set<OutboundEmail>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<CustomerNote> CustomerNotes => Set<CustomerNote>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Delay> Delays => Set<Delay>();
    public DbSet<DelayNotice> DelayNotices => Set<DelayNotice>();
    public DbSet<SurveyDefinition> SurveyDefinitions => Set<SurveyDefinition>();
    public DbSet<SurveyQuestion> SurveyQuestions => Set<SurveyQuestion>();
    public DbSet<SurveyResponse> SurveyResponses => Set<SurveyResponse>();
    public DbSet<SurveyAnswer> SurveyAnswers => Set<SurveyAnswer>();
    public DbSet<Kiosk> Kiosks => Set<Kiosk>();
    public DbSet<RecoveryCase> RecoveryCases => Set<RecoveryCase>();
    public DbSet<CaseNote> CaseNotes => Set<CaseNote>();
    public DbSet<StaffLocation> StaffLocations => Set<StaffLocation>();
    public DbSet<Goal> Goals => Set<Goal>();
    public DbSet<MessageText> MessageTexts => Set<MessageText>();
    public DbSet<CustomerImport> CustomerImports => Set<CustomerImport>();
    public DbSet<CustomerImportChunk> CustomerImportChunks => Set<CustomerImportChunk>();
    public DbSet<CustomerImportRejection> CustomerImportRejections => Set<CustomerImportRejection>();
    public DbSet<PastVisit> PastVisits => Set<PastVisit>();
    public DbSet<Scheduling.CompletedVisit> CompletedVisits => Set<Scheduling.CompletedVisit>();

    /// <summary>
    /// A new transaction, or null when one is open already: the caller's work then commits (or not) with it. The demo
    /// seeding runs the set-up editors inside its one transaction.
    /// </summary>
    public async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction?> BeginUnlessInTransactionAsync(CancellationToken ct) =>
        Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(ct) : null;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.HasPostgresExtension("btree_gist");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<string>().HaveMaxLength(400);
    }
}
