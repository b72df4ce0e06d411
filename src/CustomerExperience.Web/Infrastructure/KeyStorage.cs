using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CustomerExperience.Web.Data;
using Microsoft.AspNetCore.DataProtection;

namespace CustomerExperience.Web.Infrastructure;

/// <summary>
/// Where the Data Protection keys behind cookies, antiforgery tokens and the links in emails live: in the database,
/// shared by every app instance. <c>DataProtection:CertificatePath</c> names a PKCS#12 (.pfx) file whose certificate
/// encrypts them at rest; <c>DataProtection:CertificatePassword</c> opens it.
/// </summary>
public static class KeyStorage
{
    public const string Section = "DataProtection";
    public const string CertificatePathSetting = Section + ":CertificatePath";
    public const string CertificatePasswordSetting = Section + ":CertificatePassword";
    /// <summary>The start-up warning about unencrypted keys logs under this category.</summary>
    public const string LogCategory = "KeyStorage";

    public static void AddKeyStorage(this WebApplicationBuilder builder, X509Certificate2? certificate)
    {
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName("CustomerExperience")
            .PersistKeysToDbContext<AppDbContext>();
        // Also registers the certificate for decryption: no certificate store is needed to read the keys back.
        if (certificate is not null)
            dataProtection.ProtectKeysWithCertificate(certificate);
    }

    public static bool IsEncrypted(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[CertificatePathSetting]);

    /// <summary>The configured certificate, or null when none is; a file that is missing, unreadable or has no RSA
    /// private key stops start-up with the setting's name.</summary>
    public static X509Certificate2? LoadCertificate(IConfiguration configuration)
    {
        var path = configuration[CertificatePathSetting];
        var password = configuration[CertificatePasswordSetting];
        if (string.IsNullOrWhiteSpace(path))
        {
            if (!string.IsNullOrEmpty(password))
                throw new StartupChecks.ConfigurationProblem(
                    $"{CertificatePasswordSetting} is set but {CertificatePathSetting} is not (environment variable DataProtection__CertificatePath).");
            return null;
        }
        if (!File.Exists(path))
            throw new StartupChecks.ConfigurationProblem($"{CertificatePathSetting} names {path}, which does not exist.");

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password);
        }
        catch (CryptographicException ex)
        {
            throw new StartupChecks.ConfigurationProblem(
                $"{CertificatePathSetting} {path} cannot be opened with {CertificatePasswordSetting} (wrong password, or not a PKCS#12 .pfx file): {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupChecks.ConfigurationProblem($"{CertificatePathSetting} {path} cannot be read: {ex.Message}");
        }
        using var key = certificate.GetRSAPrivateKey();
        if (key is null)
            throw new StartupChecks.ConfigurationProblem(
                $"{CertificatePathSetting} {path} holds no RSA private key; Data Protection needs one to encrypt and read back its keys.");
        return certificate;
    }
}
