using CustomerExperience.Web.Api;
using CustomerExperience.Web.Customers;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Delays;
using CustomerExperience.Web.FrontDesk;
using CustomerExperience.Web.Recovery;
using CustomerExperience.Web.Surveys;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Insights;
using CustomerExperience.Web.Jobs;
using CustomerExperience.Web.Kiosks;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;

var builder = WebApplication.CreateBuilder(args);

string connectionString;
System.Security.Cryptography.X509Certificates.X509Certificate2? keyCertificate;
WebSecurity.TrustedProxies proxies;
try
{
    connectionString = StartupChecks.RequireConnectionString(builder.Configuration);
    StartupChecks.Require<SmtpOptions>(builder.Configuration, SmtpOptions.Section);
    StartupChecks.Require<AppOptions>(builder.Configuration, AppOptions.Section);
    StartupChecks.Require<BookingRules>(builder.Configuration, BookingRules.Section);
    StartupChecks.Require<JobOptions>(builder.Configuration, JobOptions.Section);
    StartupChecks.Require<SurveyOptions>(builder.Configuration, SurveyOptions.Section);
    StartupChecks.Require<KioskOptions>(builder.Configuration, KioskOptions.Section);
    StartupChecks.Require<MetricsOptions>(builder.Configuration, MetricsOptions.Section);
    keyCertificate = KeyStorage.LoadCertificate(builder.Configuration);
    proxies = WebSecurity.TrustedProxies.Read(builder.Configuration);
}
catch (StartupChecks.ConfigurationProblem problem)
{
    Console.Error.WriteLine($"crit: Configuration: {problem.Message}");
    return 1;
}

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptions<AppOptions>().BindConfiguration(AppOptions.Section).ValidateDataAnnotations();
builder.AddObservability();
builder.AddDatabase(connectionString);
builder.AddMessaging();
builder.AddJobs(connectionString);
builder.AddWebSecurity(keyCertificate, proxies);
builder.AddScheduling();
builder.AddBookingApi();
builder.AddStaff();
builder.AddDelays();
builder.AddFrontDesk();
builder.AddCustomers();
builder.AddSurveys();
builder.AddKiosk();
builder.AddInsights();
builder.AddRecovery();
builder.AddPlacesSetup();
builder.AddRoomsSetup();
builder.AddTexts();
builder.AddCustomerImport();
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = DatabaseOutage.Describe);
builder.Services.AddOpenApi();
builder.Services.AddRazorPages(o => o.AddStaffPageRules())
    .AddMvcOptions(o => o.Filters.Add<RequestHygiene.UnknownHandlerFilter>());
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
builder.Services.AddScoped<DemoData>();

var app = builder.Build();

// First: behind a trusted proxy (Proxy:KnownNetworks, Proxy:KnownProxies, loopback) the client address, https and host
// the proxy saw are what everything after sees: rate limits, sign-in throttling, redirects, Secure cookies, HSTS.
app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseHttpsOnly();
// The API answers an unhandled exception with problem+json; pages with the error page. 500 for a bug, 503 with
// Retry-After while the database is away. In every environment: run.sh's Development too shows customers a page, not a trace.
app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseExceptionHandler(
    new ExceptionHandlerOptions { StatusCodeSelector = DatabaseOutage.StatusCodeFor }));
app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), pages => pages.UseExceptionHandler(
    new ExceptionHandlerOptions { ExceptionHandlingPath = "/Error", StatusCodeSelector = DatabaseOutage.StatusCodeFor }));
// Pages get a friendly page for bare error statuses; the API gets problem+json.
app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"),
    pages => pages.UseStatusCodePagesWithReExecute("/Status/{0}"));
app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"),
    api => api.UseStatusCodePages());
app.UseServerTiming();
app.UseKnownCharsets();
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseTemporaryPasswordGate();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();
app.MapHealth();
app.MapMetrics();
app.MapRazorPages();
app.MapJobsDashboard();
app.MapBookingApi();
app.MapKiosk();
app.MapOpenApi();

try
{
    await StartupChecks.VerifyAsync(app, CancellationToken.None);
    await app.RunAsync();
    return 0;
}
catch (StartupChecks.ConfigurationProblem problem)
{
    // Straight to stderr: the console logger writes on a background queue that may not flush before we exit.
    Console.Error.WriteLine($"crit: Configuration: {problem.Message}");
    return 1;
}

public partial class Program;
