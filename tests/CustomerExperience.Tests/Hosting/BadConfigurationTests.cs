using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Security.Cryptography.X509Certificates;
using CustomerExperience.Tests.Infrastructure;

namespace CustomerExperience.Tests.Hosting;

/// <summary>Runs the real app as a process: bad configuration must end in one clear line that names the setting.</summary>
public class BadConfigurationTests
{
    [Fact]
    public async Task Missing_connection_string_names_the_setting_and_exits()
    {
        var (exitCode, output) = await RunAppAsync(new() { ["ConnectionStrings__Default"] = "" });

        Assert.Equal(1, exitCode);
        Assert.Contains("ConnectionStrings:Default is not set", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Unreachable_database_names_the_setting_and_exits()
    {
        var (exitCode, output) = await RunAppAsync(new() { ["ConnectionStrings__Default"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=x;Timeout=2" });

        Assert.Equal(1, exitCode);
        Assert.Contains("Cannot reach the database named by ConnectionStrings:Default (host 127.0.0.1, port 1", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Missing_smtp_host_names_the_setting_and_exits()
    {
        var (exitCode, output) = await RunAppAsync(new()
        {
            ["ConnectionStrings__Default"] = TestDatabases.ConnectionString("postgres"),
            ["Smtp__Host"] = "",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("Smtp:Host is not set", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Theory]
    [InlineData("Booking__SlotStepMinutes", "0", "Booking:SlotStepMinutes must be between 5 and 240.")]
    [InlineData("Booking__MinimumNotice", "two hours", "Booking:MinimumNotice")]
    public async Task Bad_booking_rule_names_the_setting_and_exits(string variable, string value, string message)
    {
        var (exitCode, output) = await RunAppAsync(new()
        {
            ["ConnectionStrings__Default"] = TestDatabases.ConnectionString("postgres"),
            [variable] = value,
        });

        Assert.Equal(1, exitCode);
        Assert.Contains(message, output);
        Assert.DoesNotContain("   at ", output);
    }

    [Theory]
    [InlineData("10.0.0.0/8, intranet", "Metrics:AllowedNetworks: \"intranet\" is not a network in CIDR notation")]
    [InlineData("10.0.0.0/33", "Metrics:AllowedNetworks: \"10.0.0.0/33\" is not a network in CIDR notation")]
    public async Task Bad_metrics_network_names_the_setting_and_exits(string value, string message)
    {
        var (exitCode, output) = await RunAppAsync(new()
        {
            ["ConnectionStrings__Default"] = TestDatabases.ConnectionString("postgres"),
            ["Metrics__AllowedNetworks"] = value,
        });

        Assert.Equal(1, exitCode);
        Assert.Contains(message, output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Missing_key_certificate_names_the_setting_and_exits()
    {
        var (exitCode, output) = await RunAppAsync(new()
        {
            ["ConnectionStrings__Default"] = TestDatabases.ConnectionString("postgres"),
            ["DataProtection__CertificatePath"] = "/nowhere/keys.pfx",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("DataProtection:CertificatePath names /nowhere/keys.pfx, which does not exist.", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Wrong_key_certificate_password_names_the_setting_and_exits()
    {
        var pfx = Path.Combine(Path.GetTempPath(), $"cx-keys-{Guid.NewGuid():N}.pfx");
        using (var rsa = RSA.Create(2048))
        using (var certificate = new CertificateRequest("CN=keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                   .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1)))
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "right"));
        try
        {
            var (exitCode, output) = await RunAppAsync(new()
            {
                ["ConnectionStrings__Default"] = TestDatabases.ConnectionString("postgres"),
                ["DataProtection__CertificatePath"] = pfx,
                ["DataProtection__CertificatePassword"] = "wrong",
            });

            Assert.Equal(1, exitCode);
            Assert.Contains($"DataProtection:CertificatePath {pfx} cannot be opened with DataProtection:CertificatePassword", output);
            Assert.DoesNotContain("   at ", output);
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task Without_a_key_certificate_the_app_warns_once_that_keys_are_unencrypted()
    {
        var start = StartInfo(new()
        {
            ["ConnectionStrings__Default"] = await TestDatabases.CreateAsync(nameof(Without_a_key_certificate_the_app_warns_once_that_keys_are_unencrypted)),
            ["Smtp__Port"] = TestSettings.SmtpPort.ToString(),
            ["Smtp__EnableSsl"] = "false",
            ["App__RunJobs"] = "false",
        });
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            string Output() { lock (output) return output.ToString(); }
            await Eventually.TrueAsync(() => Task.FromResult(Output().Contains("Application started")), TimeSpan.FromSeconds(60), "the app to start");

            var warnings = Output().Split('\n').Where(line => line.Contains("stored UNENCRYPTED in cx.data_protection_keys")).ToList();
            var warning = Assert.Single(warnings);
            Assert.Contains("set DataProtection__CertificatePath to a .pfx file", warning);
            // Outside Development the console logs one JSON object a line, stamped in UTC.
            using var json = JsonDocument.Parse(warning);
            Assert.Equal("Warning", json.RootElement.GetProperty("LogLevel").GetString());
            Assert.EndsWith("+00:00", json.RootElement.GetProperty("Timestamp").GetString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAppAsync(Dictionary<string, string> environment)
    {
        using var process = Process.Start(StartInfo(environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static ProcessStartInfo StartInfo(Dictionary<string, string> environment)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "CustomerExperience.Web.dll");
        var start = new ProcessStartInfo("dotnet", [app])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Smtp__Host"] = "127.0.0.1";
        start.Environment["App__PublicBaseUrl"] = "http://127.0.0.1:5080";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        return start;
    }
}
