using System.Diagnostics;
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

    private static async Task<(int ExitCode, string Output)> RunAppAsync(Dictionary<string, string> environment)
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

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
