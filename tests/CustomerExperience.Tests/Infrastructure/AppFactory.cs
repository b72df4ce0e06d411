using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>The real app against a real database and real SMTP (maildev); settings and services can be overridden per test.</summary>
public class AppFactory(string connectionString) : WebApplicationFactory<Program>
{
    // Each host would otherwise watch its appsettings files with inotify; dozens of hosts in one test run exhaust the
    // per-user limit (128 on Debian), and the tests change settings in code anyway.
    static AppFactory()
    {
        System.Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        System.Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }

    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["ConnectionStrings:Default"] = connectionString,
        ["Smtp:Host"] = TestSettings.SmtpHost,
        ["Smtp:Port"] = TestSettings.SmtpPort.ToString(),
        ["Smtp:EnableSsl"] = "false",
        ["Smtp:From"] = "appointments@northside-imaging.example",
        ["App:PublicBaseUrl"] = "http://127.0.0.1:5080",
        ["App:RunJobs"] = "false",
        // Each idle Hangfire worker holds a connection while it listens for work; dozens of hosts share one Postgres.
        ["Jobs:WorkerCount"] = "2",
    };

    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>
    /// Testing by default: cookies over plain http, as the test clients talk (in memory or to 127.0.0.1). Production makes
    /// every cookie Secure, so its clients must speak https, or come through a trusted proxy that says they do.
    /// </summary>
    public string Environment { get; set; } = "Testing";

    public string ConnectionString => connectionString;

    /// <summary>
    /// Also closes the idle connections opened with this database's connection string outside the app's own data source
    /// (Hangfire's storage, test contexts): every test class has a database of its own, and their pools, idle for minutes
    /// before Npgsql prunes them, would add up to the server's max_connections over the suite.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    public AppFactory With(string key, string? value)
    {
        Settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging =>
        {
            logging
                .SetMinimumLevel(LogLevel.Warning)
                // Tests that stop Postgres on purpose would otherwise print Hangfire's reconnect stack traces.
                .AddFilter("Hangfire", LogLevel.Critical)
                // Every test host would warn that its keys are unencrypted; BadConfigurationTests checks the warning.
                .AddFilter(CustomerExperience.Web.Infrastructure.KeyStorage.LogCategory, LogLevel.Error);
            if (TestLogFile.Path is not null)
            {
                // A rule for this provider replaces the ones above for it: everything at Debug goes to the file, but
                // - EF Core at Information (the SQL it runs, parameters shown as '?'): its Debug lines print each
                //   compiled LINQ expression, where the tests' own constants (a customer's address) appear, and make
                //   up most of the volume;
                // - ASP.NET Core's request lines at Warning: "Request starting" prints the query string, which carries
                //   a staff search term. Production keeps Microsoft.AspNetCore at Warning (docs/operations.md).
                logging.Services.AddSingleton<ILoggerProvider, TestLogFile>();
                logging.AddFilter<TestLogFile>(null, LogLevel.Debug);
                logging.AddFilter<TestLogFile>("Microsoft.EntityFrameworkCore", LogLevel.Information);
                logging.AddFilter<TestLogFile>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
            }
        });
        // Identity's 100,000 PBKDF2 rounds cost a tenth of a second a hash, and the test hosts hash a password for
        // almost every test (an account, then its sign-in). Each hash records its own count, so sign-in checks it the same.
        builder.ConfigureTestServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000));
        if (TestServices is not null)
            builder.ConfigureTestServices(TestServices);
    }
}
