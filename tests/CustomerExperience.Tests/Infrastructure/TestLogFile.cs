using System.Text;
using Microsoft.Extensions.Logging;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>
/// When CX_TEST_LOG_FILE is set (test.sh sets it), every test host's log lines at Debug and above, of every category,
/// go to that file, so test.sh can check that no seeded personal data reaches a log (tools/log-scan.mjs). One file for
/// the whole test process: writes are serialised and buffered, and flushed when a host stops and when the process ends.
/// </summary>
public sealed class TestLogFile : ILoggerProvider
{
    public static readonly string? Path = Environment.GetEnvironmentVariable("CX_TEST_LOG_FILE") is { Length: > 0 } path ? path : null;

    private static readonly Lock Gate = new();
    private static StreamWriter? writer;

    public ILogger CreateLogger(string categoryName) => new FileLogger(categoryName);

    public void Dispose()
    {
        lock (Gate)
            writer?.Flush();
    }

    private static void Write(string line)
    {
        lock (Gate)
        {
            if (writer is null)
            {
                writer = new StreamWriter(new FileStream(Path!, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false), 1 << 16);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => { lock (Gate) writer.Dispose(); };
            }
            writer.WriteLine(line);
        }
    }

    private sealed class FileLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}";
            Write(exception is null ? line : $"{line}\n{exception}");
        }
    }
}
