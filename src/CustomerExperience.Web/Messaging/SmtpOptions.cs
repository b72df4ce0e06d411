using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace CustomerExperience.Web.Messaging;

public class SmtpOptions
{
    public const string Section = "Smtp";

    [Required(ErrorMessage = "Smtp:Host is not set.")]
    public string Host { get; set; } = "";

    [Range(1, 65535, ErrorMessage = "Smtp:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 587;

    /// <summary>STARTTLS. On by default; only a loopback test server like maildev goes without it. <see cref="Security"/> overrides it.</summary>
    public bool EnableSsl { get; set; } = true;

    /// <summary>StartTls (port 587), SslOnConnect (implicit TLS, port 465) or None; unset, it follows <see cref="EnableSsl"/>.</summary>
    public SmtpSecurity? Security { get; set; }

    /// <summary>Certificates are always checked; there is no setting to accept an untrusted one.</summary>
    public SecureSocketOptions SocketOptions => (Security ?? (EnableSsl ? SmtpSecurity.StartTls : SmtpSecurity.None)) switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    public string? Username { get; set; }
    public string? Password { get; set; }

    [Required(ErrorMessage = "Smtp:From is not set.")]
    [EmailAddress(ErrorMessage = "Smtp:From must be an email address.")]
    public string From { get; set; } = "";

    public string FromName { get; set; } = "CustomerExperience";

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Kept-open SMTP connections of the outbox, and so messages in flight at once.</summary>
    [Range(1, 64)]
    public int MaxParallel { get; set; } = 16;
}

public enum SmtpSecurity
{
    StartTls,
    SslOnConnect,
    None,
}

public class OutboxOptions
{
    public const string Section = "Outbox";

    [Range(1, 5000)]
    public int BatchSize { get; set; } = 200;

    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long a claimed row stays ours; a process that dies mid-send gives its rows back after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan RetryDelay(int attempts)
    {
        var delay = FirstRetryDelay * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}
