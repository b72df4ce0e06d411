using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Journeys;

public class BusinessDaysTests
{
    private static readonly DateRange Thanksgiving = new(new DateOnly(2026, 11, 26), new DateOnly(2026, 11, 26));

    [Theory]
    [InlineData("2026-11-25", 1, "2026-11-27")] // Wednesday + 1 skips the Thursday holiday
    [InlineData("2026-11-25", 2, "2026-11-30")] // ...and the weekend
    [InlineData("2026-11-27", 1, "2026-11-30")] // Friday + 1 is Monday
    [InlineData("2026-11-28", 1, "2026-11-30")] // a Saturday visit counts from Monday
    [InlineData("2026-11-23", 0, "2026-11-23")]
    public void Business_days_skip_weekends_and_closures(string from, int count, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected), BusinessDays.Add(DateOnly.Parse(from), count, [Thanksgiving]));
    }
}

/// <summary>The message after a completed visit: results timing in business days.</summary>
public class PostVisitMessageTests : IAsyncLifetime
{
    // Wednesday 25 November 2026, 09:00 in New York; the visit below completes at 09:30.
    private static readonly DateTimeOffset VisitStart = new(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(VisitStart.AddMinutes(31));
    private AppFactory app = null!;
    private TestClinic clinic = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(PostVisitMessageTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        clinic = await TestClinic.SeedAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.LocationClosures.Add(new LocationClosure { Id = Guid.CreateVersion7(), LocationId = clinic.LocationId, From = new DateOnly(2026, 11, 26), To = new DateOnly(2026, 11, 26), Reason = "Thanksgiving" });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<int> RunAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PostVisitMessages>().QueueDueAsync(default);
    }

    [Fact]
    public async Task A_completed_visit_gets_one_message_with_results_in_business_days_and_no_survey_link()
    {
        var email = MailDev.UniqueAddress("postvisit");
        await clinic.SeedCompletedVisitAsync(app.Services, email, new DateOnly(1970, 1, 2), VisitStart);

        Assert.Equal(1, await RunAsync());
        Assert.Equal(0, await RunAsync());
        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);

        var message = Assert.Single(await MailDev.WaitForAsync(email));
        var text = message.GetProperty("text").GetString()!;
        Assert.Contains("Your results will be ready between Friday, November 27 and Monday, November 30.", text);
        // The survey invitation is an email of its own, sent later and only when the kiosk did not answer.
        Assert.DoesNotContain("/survey/", text);
        Assert.DoesNotContain("/survey/", message.GetProperty("html").GetString()!);
        Assert.DoesNotContain("survey", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_opted_out_customer_still_hears_about_results()
    {
        var email = MailDev.UniqueAddress("postvisit-optout");
        await clinic.SeedCompletedVisitAsync(app.Services, email, new DateOnly(1970, 1, 2), VisitStart, optedOut: true);

        Assert.Equal(1, await RunAsync());
        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);

        var message = Assert.Single(await MailDev.WaitForAsync(email));
        Assert.Contains("Your results will be ready between", message.GetProperty("text").GetString()!);
    }

    [Fact]
    public async Task Visits_completed_long_ago_are_not_messaged_when_the_job_first_runs()
    {
        await clinic.SeedCompletedVisitAsync(app.Services, MailDev.UniqueAddress("old"), new DateOnly(1970, 1, 2), VisitStart.AddDays(-30));

        Assert.Equal(0, await RunAsync());
    }
}
