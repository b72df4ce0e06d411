using System.Text.RegularExpressions;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Jobs;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>
/// One migrated template database per test process; each test class gets its own copy
/// (<c>CREATE DATABASE … TEMPLATE</c>), which takes a few milliseconds and isolates classes running in parallel.
/// </summary>
public static partial class TestDatabases
{
    // cx_<assembly>_<process id>_: test runs sharing one server (two terminals, a helper) never drop each other's databases.
    private static readonly string AssemblyPrefix = "cx_" + Sanitize(typeof(TestDatabases).Assembly.GetName().Name!.Replace("CustomerExperience.", "")) + "_";
    private static readonly string Prefix = $"{AssemblyPrefix}{Environment.ProcessId}_";
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);
    private static readonly SemaphoreSlim CreateLock = new(1, 1);
    private static int counter;

    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(TestSettings.PostgresAdmin) { Database = database, Pooling = true }.ConnectionString;

    /// <summary>A fresh, migrated database named after <paramref name="name"/>; returns its connection string.</summary>
    public static async Task<string> CreateAsync(string name)
    {
        var template = await Template.Value;
        var database = UniqueName(name);
        // Postgres refuses to copy a template that another CREATE DATABASE is copying at the same moment.
        await CreateLock.WaitAsync();
        try
        {
            await AdminAsync($"CREATE DATABASE {database} TEMPLATE {template}");
        }
        finally
        {
            CreateLock.Release();
        }
        return ConnectionString(database);
    }

    public static async Task<string> CreateEmptyAsync(string name)
    {
        var database = UniqueName(name);
        await AdminAsync($"CREATE DATABASE {database}");
        return ConnectionString(database);
    }

    public static AppDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<AppDbContext>()
            .UseNpgsql(connectionString, DatabaseSetup.ConfigureNpgsql)
            .UseSnakeCaseNamingConvention()
            .Options);

    /// <summary>Every database gets a name of its own, so no pooled connection ever points at a dropped one.</summary>
    private static string UniqueName(string name) => $"{Prefix}{Sanitize(name)}_{Interlocked.Increment(ref counter)}";

    private static async Task<string> CreateTemplateAsync()
    {
        var template = Prefix + "template";
        // What earlier runs of this test assembly left behind, once their process is gone.
        foreach (var old in await OldDatabasesAsync())
            await AdminAsync($"DROP DATABASE IF EXISTS {old} WITH (FORCE)");
        await AdminAsync($"CREATE DATABASE {template}");
        var connectionString = ConnectionString(template);
        await using (var db = Context(connectionString))
            await db.Database.MigrateAsync();
        // Hangfire's tables too, so no test host spends its start-up creating them.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            PostgreSqlObjectsInstaller.Install(connection, JobsSetup.Schema);
        }
        // A template must have no open connections when it is copied.
        await using (var connection = new NpgsqlConnection(connectionString))
            NpgsqlConnection.ClearPool(connection);
        return template;
    }

    private static async Task<List<string>> OldDatabasesAsync()
    {
        await using var connection = new NpgsqlConnection(TestSettings.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", connection);
        command.Parameters.AddWithValue(AssemblyPrefix);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names.Where(name => !OwnerIsAlive(name)).ToList();
    }

    private static bool OwnerIsAlive(string database)
    {
        var pid = database[AssemblyPrefix.Length..].Split('_')[0];
        return int.TryParse(pid, out var id) && id != Environment.ProcessId && Directory.Exists($"/proc/{id}");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestSettings.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Sanitize(string name)
    {
        var clean = NonIdentifier().Replace(name.ToLowerInvariant(), "_");
        return clean.Length <= 36 ? clean : clean[^36..];
    }

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex NonIdentifier();
}
