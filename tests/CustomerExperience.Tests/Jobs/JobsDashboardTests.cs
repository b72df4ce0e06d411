using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Staff;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Jobs;

/// <summary>Hangfire's dashboard at /staff/jobs: admins only, through the staff cookie.</summary>
public class JobsDashboardTests : IAsyncLifetime
{
    private AppFactory app = null!;

    public async Task InitializeAsync() =>
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(JobsDashboardTests))).With("RateLimits:PublicWritePerMinute", "1000");

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var url in new[] { "/staff/jobs", "/staff/jobs/recurring", "/staff/jobs/stats" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/signin?returnUrl=", response.Headers.Location!.ToString());
        }
    }

    [Theory]
    [InlineData(StaffRoles.FrontDesk)]
    [InlineData(StaffRoles.Manager)]
    public async Task Front_desk_and_managers_get_a_403(string role)
    {
        var client = await StaffSignIn.ClientAsync(app, role);
        foreach (var url in new[] { "/staff/jobs", "/staff/jobs/recurring" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("You do not have access to this page", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Admins_see_the_dashboard_with_the_recurring_jobs()
    {
        await using var withJobs = new AppFactory(app.ConnectionString).With("App:RunJobs", "true");
        var client = await StaffSignIn.ClientAsync(withJobs, StaffRoles.Admin);

        var home = await client.GetAsync("/staff/jobs");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        var recurring = await client.GetStringAsync("/staff/jobs/recurring");
        foreach (var id in new[] { "deliver-outbox", "queue-reminders", "queue-recalls", "queue-post-visit", "book-next-visits", "notify-delays", "queue-survey-invitations", "escalate-cases", "send-weekly-digest" })
            Assert.Contains(id, recurring);
        // The staff navigation links to it for admins.
        Assert.Contains("href=\"/staff/jobs\"", await client.GetStringAsync("/staff"));
    }

    [Fact]
    public async Task A_dashboard_action_posted_without_its_antiforgery_token_is_refused()
    {
        // Recalls fire once a year here, so any run of that job would be the forged trigger's.
        await using var withJobs = new AppFactory(app.ConnectionString).With("App:RunJobs", "true").With("Jobs:Recalls", "0 0 0 1 1 *");
        var client = await StaffSignIn.ClientAsync(withJobs, StaffRoles.Admin);
        var storage = withJobs.Services.GetRequiredService<JobStorage>();

        var response = await client.PostAsync("/staff/jobs/recurring/trigger",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "queue-recalls" }));

        Assert.False(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        using var connection = storage.GetConnection();
        var recalls = Assert.Single(connection.GetRecurringJobs(), j => j.Id == "queue-recalls");
        Assert.Null(recalls.LastJobId);
    }
}
