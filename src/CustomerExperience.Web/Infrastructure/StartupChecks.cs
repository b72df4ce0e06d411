using System.ComponentModel.DataAnnotations;
using System.Net.Sockets;
using CustomerExperience.Web.Messaging;
using Npgsql;

namespace CustomerExperience.Web.Infrastructure;

/// <summary>
/// Turns bad configuration into one clear line naming the setting, instead of a stack trace from deep inside start-up.
/// </summary>
public static partial class StartupChecks
{
    public sealed class ConfigurationProblem(string message) : Exception(message);

    public static string RequireConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString("Default");
        if (string.IsNullOrWhiteSpace(value))
            throw new ConfigurationProblem("ConnectionStrings:Default is not set (environment variable ConnectionStrings__Default).");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationProblem($"ConnectionStrings:Default is not a valid Npgsql connection string: {ex.Message}");
        }
        return value;
    }

    /// <summary>Binds a settings section and validates it now, so a bad value stops start-up with its name.</summary>
    public static T Require<T>(IConfiguration configuration, string section) where T : new()
    {
        T options;
        try
        {
            options = configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the setting and the value it could not convert.
            throw new ConfigurationProblem(ex.Message);
        }
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
            throw new ConfigurationProblem(string.Join(" ", errors.Select(e => e.ErrorMessage)));
        return options;
    }

    /// <summary>Checks the database answers before anything else starts; the SMTP host only warns, since the outbox keeps
    /// mail until it is reachable, and so do keys stored without a certificate.</summary>
    public static async Task VerifyAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StartupChecks");
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            throw new ConfigurationProblem(
                $"Cannot reach the database named by ConnectionStrings:Default (host {target.Host}, port {target.Port}, database {target.Database}): {ex.Message}");
        }

        var smtp = app.Configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>();
        if (smtp is not null && !string.IsNullOrWhiteSpace(smtp.Host))
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(smtp.Host, smtp.Port, cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException)
            {
                LogSmtpUnreachable(logger, smtp.Host, smtp.Port, ex.Message);
            }
        }

        if (!KeyStorage.IsEncrypted(app.Configuration))
            LogKeysUnencrypted(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(KeyStorage.LogCategory));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data Protection keys (they sign the links in emails and the staff cookies) are stored " +
        "UNENCRYPTED in cx.data_protection_keys: anyone with a copy of the database can forge staff sign-in cookies and the links in emails. To encrypt them at rest, set " +
        "DataProtection__CertificatePath to a .pfx file with an RSA private key and DataProtection__CertificatePassword to its password; " +
        "keys stored before stay readable")]
    private static partial void LogKeysUnencrypted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Smtp:Host {Host}:{Port} does not answer ({Reason}); emails stay queued in the outbox until it does")]
    private static partial void LogSmtpUnreachable(ILogger logger, string host, int port, string reason);
}
