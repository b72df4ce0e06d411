using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Jobs;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Surveys;

/// <summary>The email survey invitation: Survey:EmailDelay after the visit, only for visits nobody answered for yet.</summary>
public partial class SurveyInvitationTests : IAsyncLifetime
{
    // Wednesday 25 November 2026, 09:00 in New York; the visits complete at 09:30.
    private static readonly DateTimeOffset VisitStart = new(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Completed = VisitStart.AddMinutes(30);
    private static readonly TimeSpan Delay = TimeSpan.FromHours(3);
    private readonly FakeTimeProvider clock = new(Completed.AddMinutes(5));
    private AppFactory app = null!;
    private TestClinic clinic = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(SurveyInvitationTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        clinic = await TestClinic.SeedAsync(app.Services, rooms: 8);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<(Guid Customer, Guid Visit)> SeedAsync(string email, DateTimeOffset start, bool optedOut = false)
    {
        var customer = await clinic.SeedCompletedVisitAsync(app.Services, email, new DateOnly(1970, 1, 2), start, optedOut);
        await using var scope = app.Services.CreateAsyncScope();
        var visit = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Appointments
            .Where(a => a.CustomerId == customer).Select(a => a.Id).SingleAsync();
        return (customer, visit);
    }

    /// <summary>One firing of the recurring job, as Hangfire activates it.</summary>
    private async Task RunJobAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<QueueSurveyInvitationsJob>(scope.ServiceProvider).RunAsync(default);
    }

    private async Task<List<OutboundEmail>> InvitationsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboundEmails.AsNoTracking()
            .Where(e => e.Kind == "survey").ToListAsync();
    }

    [Fact]
    public async Task A_visit_answered_at_the_kiosk_gets_no_invitation_and_one_not_answered_gets_exactly_one_after_the_delay()
    {
        var kioskEmail = MailDev.UniqueAddress("survey-kiosk");
        var emailEmail = MailDev.UniqueAddress("survey-invited");
        var (_, answered) = await SeedAsync(kioskEmail, VisitStart);
        var (customer, unanswered) = await SeedAsync(emailEmail, VisitStart.AddMinutes(-45));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<SurveyResponses>().SubmitAsync(new SurveySubmission(
                Guid.NewGuid(), SurveyChannel.Kiosk, clinic.LocationId, 1, new Dictionary<string, int> { ["booking"] = 5 },
                AppointmentId: answered), default);
            Assert.IsType<SubmitOutcome.Stored>(outcome);
        }

        // The visits completed at 09:30 and 08:45; nothing goes out before 3 hours have passed since completion.
        clock.SetUtcNow(Completed - TimeSpan.FromMinutes(45) + Delay - TimeSpan.FromSeconds(1));
        await RunJobAsync();
        Assert.Empty(await InvitationsAsync());

        clock.SetUtcNow(Completed + Delay + TimeSpan.FromMinutes(1));
        await RunJobAsync();
        await RunJobAsync();
        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverBatchAsync(default);

        var invitation = Assert.Single(await InvitationsAsync());
        Assert.Equal((unanswered, customer, $"survey:{unanswered}", OutboundEmailStatus.Sent),
            (invitation.AppointmentId, invitation.CustomerId, invitation.IdempotencyKey, invitation.Status));
        var message = Assert.Single(await MailDev.WaitForAsync(emailEmail));
        Assert.Equal("How was your visit to Test Screening Center?", message.GetProperty("subject").GetString());
        var text = message.GetProperty("text").GetString()!;
        Assert.Contains("Thank you for visiting Test Screening Center on Wednesday, November 25.", text);
        Assert.Contains("The link works until December 25.", text);
        Assert.Contains("http://127.0.0.1:5080/unsubscribe/", text);
        Assert.Contains("List-Unsubscribe:", await MailDev.SourceAsync(message));
        Assert.Empty(await MailDev.MessagesToAsync(kioskEmail));

        // The link in the email opens the survey of that visit.
        var link = SurveyLink().Match(text).Value;
        var page = await app.CreateClient().GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("How did we do?", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_customer_who_opted_out_of_email_is_not_invited()
    {
        await SeedAsync(MailDev.UniqueAddress("survey-optout"), VisitStart, optedOut: true);
        clock.SetUtcNow(Completed + Delay + TimeSpan.FromMinutes(1));

        await RunJobAsync();

        Assert.Empty(await InvitationsAsync());
    }

    [Fact]
    public async Task Visits_whose_delay_ran_out_more_than_two_days_ago_are_not_invited_when_the_job_comes_back()
    {
        await SeedAsync(MailDev.UniqueAddress("survey-old"), VisitStart.AddDays(-3));
        var (_, recent) = await SeedAsync(MailDev.UniqueAddress("survey-recent"), VisitStart.AddDays(-1));
        clock.SetUtcNow(Completed + Delay + TimeSpan.FromMinutes(1));

        await RunJobAsync();

        Assert.Equal(recent, Assert.Single(await InvitationsAsync()).AppointmentId);
    }

    [Fact]
    public async Task The_delay_is_a_setting()
    {
        await using var quick = new AppFactory(app.ConnectionString)
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        }.With("Survey:EmailDelay", "00:10:00");
        await SeedAsync(MailDev.UniqueAddress("survey-quick"), VisitStart);
        clock.SetUtcNow(Completed + TimeSpan.FromMinutes(11));

        await using var scope = quick.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<SurveyInvitations>().QueueDueAsync(default));
    }

    [Fact]
    public async Task More_visits_than_one_batch_are_all_invited_in_one_run()
    {
        var count = SurveyInvitations.BatchSize + 3;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var rooms = await db.Resources.Where(r => r.LocationId == clinic.LocationId).Select(r => r.Id).ToListAsync();
            for (var i = 0; i < count; i++)
            {
                var customer = new Customer
                {
                    Id = Guid.CreateVersion7(), FullName = "Batch Customer", Email = $"batch-{i}@example.test", CreatedAt = VisitStart,
                };
                var visit = new Appointment
                {
                    Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = clinic.ServiceId, LocationId = clinic.LocationId,
                    ResourceId = rooms[i % rooms.Count], CreatedAt = VisitStart,
                };
                // Eight rooms, a visit every 40 minutes in each: all completed within the last two days.
                var start = VisitStart.AddMinutes(-40 * (i / rooms.Count));
                visit.Schedule(start, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
                visit.Complete(start.AddMinutes(30));
                db.Customers.Add(customer);
                db.Appointments.Add(visit);
            }
            await db.SaveChangesAsync();
        }
        clock.SetUtcNow(Completed + Delay + TimeSpan.FromMinutes(1));

        await using var run = app.Services.CreateAsyncScope();
        Assert.Equal(count, await run.ServiceProvider.GetRequiredService<SurveyInvitations>().QueueDueAsync(default));
        Assert.Equal(0, await run.ServiceProvider.GetRequiredService<SurveyInvitations>().QueueDueAsync(default));
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:5080/survey/\S+")]
    private static partial Regex SurveyLink();
}
