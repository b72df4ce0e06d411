using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace CustomerExperience.Web.Data;

public static class DatabaseSetup
{
    /// <summary>The Npgsql settings every AppDbContext uses: the app, <c>dotnet ef</c> and the tests.</summary>
    public static void ConfigureNpgsql(NpgsqlDbContextOptionsBuilder npgsql) => npgsql
        .MigrationsHistoryTable("__ef_migrations_history", AppDbContext.Schema)
        .ExecutionStrategy(dependencies => new SafeRetries(dependencies));

    public static void AddDatabase(this WebApplicationBuilder builder, string connectionString)
    {
        builder.Services.AddSingleton(_ =>
        {
            var source = new NpgsqlDataSourceBuilder(connectionString);
            // The statements a request makes again and again (a booking's dozen) are prepared once per pooled connection:
            // Postgres then neither parses nor plans them again (see the issue 16 note for what it measured). A connection
            // string that names the setting keeps its own value (0 turns it off).
            if (!source.ConnectionStringBuilder.ContainsKey("Max Auto Prepare"))
                source.ConnectionStringBuilder.MaxAutoPrepare = 64;
            return source.Build();
        });
        builder.Services.AddDbContext<AppDbContext>((services, options) => options
            .UseNpgsql(services.GetRequiredService<NpgsqlDataSource>(), ConfigureNpgsql)
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(services.GetRequiredService<OutboxCommitHook>()));
        // First hosted service: the schema exists before the scheduler or any request touches it.
        builder.Services.AddHostedService<DatabaseMigrator>();
    }
}

/// <summary>Applies migrations (and, when asked, the demo data) at start-up, before anything else runs.</summary>
public partial class DatabaseMigrator(
    IServiceScopeFactory scopes, IOptions<AppOptions> options, IConfiguration configuration, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            // EF reads its history table before creating it and logs the expected failure as an error on a fresh
            // database; creating the (standard-shaped) table first keeps the first start's log clean.
            await db.Database.ExecuteSqlRawAsync($"""
                CREATE SCHEMA IF NOT EXISTS {AppDbContext.Schema};
                CREATE TABLE IF NOT EXISTS {AppDbContext.Schema}.__ef_migrations_history (
                    migration_id character varying(150) NOT NULL PRIMARY KEY,
                    product_version character varying(32) NOT NULL);
                """, ct);
            await db.Database.MigrateAsync(ct);
        }, cancellationToken);
        LogMigrated(logger);

        var staff = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
        await staff.CreateFirstAdminAsync(configuration, logger, cancellationToken);
        if (options.Value.SeedDemoData)
        {
            // Staff first: the demo visits name their care team.
            await staff.SeedDemoAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date")]
    private static partial void LogMigrated(ILogger logger);
}
