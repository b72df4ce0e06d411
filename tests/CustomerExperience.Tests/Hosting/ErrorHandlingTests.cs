using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Hosting;

/// <summary>What a customer or an API client sees when something fails inside the app.</summary>
public partial class ErrorHandlingTests : IAsyncLifetime
{
    private AppFactory app = null!;
    private TestClinic clinic = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(ErrorHandlingTests)))
        {
            // Inserting a visit fails as a bug or a broken database would: an exception nobody handles.
            TestServices = services => services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(new FailVisitInserts())),
        };
        app.With("RateLimits:PublicWritePerMinute", "1000").With("RateLimits:PublicReadPerMinute", "3");
        clinic = await TestClinic.SeedAsync(app.Services);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static readonly string Start = TestClinic.At(DateTime.UtcNow.Year + 1, 3, 2, 10);

    [Fact]
    public async Task An_exception_in_an_api_post_is_a_problem_json_500()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/bookings", clinic.Booking(Start, MailDev.UniqueAddress("boom")));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("visit inserts fail", problem.ToString());
    }

    [Fact]
    public async Task An_exception_in_a_page_post_is_the_500_error_page_which_promises_nothing_it_cannot_keep()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var url = $"/book/details?serviceId={clinic.ServiceId}&locationId={clinic.LocationId}&start={Uri.EscapeDataString(Start)}";
        var token = TokenField().Match(await client.GetStringAsync(url)).Groups[1].Value;
        var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["serviceId"] = clinic.ServiceId.ToString(), ["locationId"] = clinic.LocationId.ToString(), ["start"] = Start,
            ["fullName"] = "Zoë Test", ["email"] = MailDev.UniqueAddress("boom-page"), ["phone"] = "(212) 555-0101",
            ["dateOfBirth"] = "1975-06-07", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", html);
        Assert.Contains("may not have been saved", html);
        Assert.DoesNotContain("has been lost", html);
        Assert.DoesNotContain("visit inserts fail", html);
    }

    [Fact]
    public async Task Availability_is_rate_limited_per_client_with_a_problem_json_429()
    {
        var client = app.CreateClient();
        var url = $"/api/v1/availability?serviceId={clinic.ServiceId}&locationId={clinic.LocationId}&from={DateTime.UtcNow.Year + 1}-03-01&days=1";
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);

        var limited = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    private sealed class FailVisitInserts : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            command.CommandText.Contains("INSERT INTO cx.appointments", StringComparison.Ordinal)
                ? throw new InvalidOperationException("Test: visit inserts fail")
                : ValueTask.FromResult(result);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            command.CommandText.Contains("INSERT INTO cx.appointments", StringComparison.Ordinal)
                ? throw new InvalidOperationException("Test: visit inserts fail")
                : ValueTask.FromResult(result);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
