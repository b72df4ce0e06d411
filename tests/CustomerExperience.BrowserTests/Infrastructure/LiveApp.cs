using System.Net;
using System.Net.Sockets;
using CustomerExperience.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests.Infrastructure;

/// <summary>The app on a real Kestrel port with the demo clinic seeded, and Debian's Chromium driven by Playwright.</summary>
public class LiveApp : IAsyncLifetime
{
    /// <summary>Kiosk:DemoEnrolmentCode: /kiosk-setup/demo-{code} enrols a browser as the demo location's kiosk, as run.sh prints it.</summary>
    public const string DemoKioskCode = "browser-tests-demo-kiosk-code";

    private AppFactory app = null!;
    private IPlaywright playwright = null!;

    /// <summary>
    /// How long a browser step (a click, a navigation, an expectation) may take. Playwright's 30 s (5 s for an
    /// expectation) is too tight on two cores with the server, the unit tests and Chromium sharing them: a slow step is
    /// not a failure, a step that never happens is.
    /// </summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public AppFactory App => app;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        app = new AppFactory(await TestDatabases.CreateAsync("browser"))
            .With("App:SeedDemoData", "true")
            .With("App:RunJobs", "true")
            .With("App:PublicBaseUrl", BaseUrl)
            .With("Jobs:SchedulePollingInterval", "00:00:01")
            // The automatic next-year rebooking fires every 5 minutes; a firing in the middle of the front-desk flow
            // would book the visit the desk is about to book (it is tested on its own, in NextVisitRebookingTests).
            .With("Jobs:NextVisits", "0 0 0 1 1 *")
            // Several tests share one client address; the limiter has tests of its own.
            .With("RateLimits:PublicWritePerMinute", "10000")
            .With("RateLimits:KioskPerMinute", "10000")
            .With("Kiosk:DemoEnrolmentCode", DemoKioskCode);
        Configure(app);
        app.UseKestrel(port);
        app.StartServer();

        Assertions.SetDefaultExpectTimeout((float)StepTimeout.TotalMilliseconds);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestSettings.Chromium,
            Headless = true,
            // Root, no GPU and a closed network: without these Chromium floods the network with background requests.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh page with the size and touch of a small phone (360 × 740).</summary>
    public async Task<IPage> NewPhonePageAsync()
    {
        var context = await NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        });
        return await context.NewPageAsync();
    }

    /// <summary>A browser context on the app (BaseURL set unless given) with <see cref="StepTimeout"/> for every step.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        options.BaseURL ??= BaseUrl;
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout((float)StepTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)StepTimeout.TotalMilliseconds);
        return context;
    }

    /// <summary>Settings of a fixture that needs the app set up differently (applied last).</summary>
    protected virtual void Configure(AppFactory factory)
    {
    }

    /// <summary>A fresh page in a context of its own with the given size; touch on.</summary>
    public async Task<IPage> NewPageAsync(int width, int height, bool mobile = false)
    {
        var context = await NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = mobile,
            HasTouch = true,
        });
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page the size of a kiosk tablet in portrait (820 × 1180), with touch.</summary>
    public Task<IPage> NewKioskPageAsync() => NewPageAsync(820, 1180);

    /// <summary>A fresh page the size of a front-desk tablet in landscape (1024 × 768).</summary>
    public async Task<IPage> NewTabletPageAsync()
    {
        var context = await NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1024, Height = 768 },
            HasTouch = true,
        });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public class LiveAppCollection : ICollectionFixture<LiveApp>
{
    public const string Name = "live app";
}
