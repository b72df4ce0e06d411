using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>
/// The real app in a process of its own, on a loopback port of its own: what a production instance is, so it can be
/// stopped as an orchestrator stops it (SIGTERM) or killed (SIGKILL). It does not outlive the test.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Text.StringBuilder output = new();

    private AppProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    /// <summary>What the process wrote, for a failing test's message.</summary>
    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>Starts the app on <paramref name="connectionString"/> with maildev for SMTP, then waits until it is ready.</summary>
    public static async Task<AppProcess> StartAsync(string connectionString, Dictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var app = Path.Combine(AppContext.BaseDirectory, "CustomerExperience.Web.dll");
        var start = new ProcessStartInfo("dotnet", [app, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ConnectionStrings__Default"] = connectionString,
            ["Smtp__Host"] = TestSettings.SmtpHost,
            ["Smtp__Port"] = TestSettings.SmtpPort.ToString(),
            ["Smtp__EnableSsl"] = "false",
            ["Smtp__From"] = "appointments@northside-imaging.example",
            ["App__PublicBaseUrl"] = $"http://127.0.0.1:{port}",
            ["App__RunJobs"] = "false",
            ["Jobs__QueuePollInterval"] = "00:00:01",
            ["Jobs__SchedulePollingInterval"] = "00:00:01",
            ["RateLimits__PublicWritePerMinute"] = "100000",
            ["RateLimits__PublicReadPerMinute"] = "100000",
            ["Logging__Console__FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings ?? [])
            environment[key] = value;
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var instance = new AppProcess(Process.Start(start)!, port);
        instance.process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        instance.process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        instance.process.BeginOutputReadLine();
        instance.process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () =>
        {
            if (instance.HasExited)
                throw new InvalidOperationException($"The app exited with {instance.ExitCode}:\n{instance.Output}");
            try
            {
                return (await http.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), $"the app on port {port} to be ready");
        return instance;
    }

    /// <summary>SIGTERM: what systemd, Docker and Kubernetes send; the app finishes what it is doing and exits.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]);
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL: the process is gone mid-instruction, nothing runs after.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public Task WaitForExitAsync(CancellationToken ct) => process.WaitForExitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
            await KillAsync();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
