namespace CustomerExperience.Tests.Infrastructure;

/// <summary>Where the services that ./test.sh starts are; the defaults match its ports.</summary>
public static class TestSettings
{
    public static string PostgresAdmin => Env("CX_TEST_PG", "Host=127.0.0.1;Port=55433;Username=postgres;Password=postgres;Database=postgres");
    public static string SmtpHost => Env("CX_TEST_SMTP_HOST", "127.0.0.1");
    public static int SmtpPort => int.Parse(Env("CX_TEST_SMTP_PORT", "1026"));
    public static string MailDevUrl => Env("CX_TEST_MAILDEV_URL", "http://127.0.0.1:1081");
    public static string Chromium => Env("CX_CHROMIUM", "/usr/bin/chromium");

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CustomerExperience.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
        }
    }

    public static string ToolsDir => Env("CX_TOOLS_DIR", Path.Combine(RepositoryRoot, "tools"));

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
