using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Jobs;
using CustomerExperience.Web.Recovery;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Recovery;

/// <summary>A case opens once per unhappy response, its owner is emailed at once, and an overdue case escalates once.</summary>
public class ServiceRecoveryTests : IAsyncLifetime
{
    private RecoveryApp recovery = null!;

    public async Task InitializeAsync() => recovery = await RecoveryApp.StartAsync(nameof(ServiceRecoveryTests));

    public async Task DisposeAsync() => await recovery.DisposeAsync();

    [Fact]
    public async Task A_low_score_opens_exactly_one_case_and_one_alert_email_even_when_the_answer_is_sent_again()
    {
        var clinic = await recovery.ClinicAsync();
        var owner = await recovery.OwnerAsync(clinic);
        var (customer, visit) = await recovery.VisitedAsync(clinic, "Harriet Private");
        var submission = RecoveryApp.Unhappy(clinic, visit.Id, "The wait was long and the compression was painful.");

        var stored = Assert.IsType<SubmitOutcome.Stored>(await recovery.SubmitAsync(submission));
        Assert.IsType<SubmitOutcome.AlreadyStored>(await recovery.SubmitAsync(submission));
        Assert.IsType<SubmitOutcome.AlreadyAnswered>(await recovery.SubmitAsync(RecoveryApp.Unhappy(clinic, visit.Id)));

        var opened = Assert.Single(await recovery.DbAsync(db => db.RecoveryCases.AsNoTracking().Where(c => c.LocationId == clinic.LocationId).ToListAsync()));
        Assert.Equal(stored.Case!.Id, opened.Id);
        Assert.Equal((CaseSource.Survey, customer.Id, visit.Id, owner.Id, true), (opened.Source, opened.CustomerId, opened.AppointmentId, opened.OwnerId, opened.Clinical));
        // Opened Monday 08:30 in New York: first contact due Tuesday 08:30.
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 13, 30, 0, TimeSpan.Zero), opened.DueAt);

        await recovery.DeliverAsync();
        var alert = Assert.Single(await MailDev.WaitForAsync(owner.Email));
        Assert.Equal($"Case {opened.Number}: follow-up needed at Test Screening Center", alert.GetProperty("subject").GetString());
        var text = alert.GetProperty("text").GetString()!;
        Assert.Contains($"http://127.0.0.1:5080/staff/cases/{opened.Number}", text);
        Assert.Contains("Clinical — route to quality", text);
        Assert.Contains("How was the wait, and how well was it explained? Very poor", text);
        Assert.Contains("by Tuesday, December 1, 2026 at 8:30 AM", text);
        // No health details or personal data: the comment and the customer's name stay on the case page.
        var source = await MailDev.SourceAsync(alert);
        Assert.DoesNotContain("painful", source);
        Assert.DoesNotContain("Harriet", source);

        await recovery.DeliverAsync();
        Assert.Single(await MailDev.MessagesToAsync(owner.Email));
    }

    [Fact]
    public async Task A_happy_response_opens_no_case_and_sends_no_email()
    {
        var clinic = await recovery.ClinicAsync();
        var owner = await recovery.OwnerAsync(clinic);
        var (_, visit) = await recovery.VisitedAsync(clinic);
        var happy = RecoveryApp.Unhappy(clinic, visit.Id) with
        {
            Answers = new Dictionary<string, int> { ["booking"] = 5, ["wait"] = 4, ["recommend"] = 9 },
        };

        var stored = Assert.IsType<SubmitOutcome.Stored>(await recovery.SubmitAsync(happy));

        Assert.Null(stored.Case);
        Assert.Equal(0, await recovery.DbAsync(db => db.RecoveryCases.CountAsync(c => c.LocationId == clinic.LocationId)));
        await recovery.DeliverAsync();
        Assert.Empty(await MailDev.MessagesToAsync(owner.Email));
    }

    [Fact]
    public async Task Without_a_service_recovery_manager_the_locations_manager_owns_the_case_and_is_alerted()
    {
        var clinic = await recovery.ClinicAsync();
        var elsewhere = await recovery.StaffAsync(StaffRoles.Manager, "Elsewhere Manager");
        var here = await recovery.StaffAsync(StaffRoles.Manager, "Local Manager", clinic.LocationId);

        var stored = Assert.IsType<SubmitOutcome.Stored>(await recovery.SubmitAsync(RecoveryApp.Unhappy(clinic, visitId: null)));

        Assert.Equal(here.Id, stored.Case!.OwnerId);
        Assert.Null(stored.Case.CustomerId);
        await recovery.DeliverAsync();
        Assert.Single(await MailDev.WaitForAsync(here.Email));
        Assert.Empty(await MailDev.MessagesToAsync(elsewhere.Email));
    }

    [Fact]
    public async Task An_overdue_case_escalates_once_to_the_locations_managers()
    {
        var clinic = await recovery.ClinicAsync();
        var owner = await recovery.OwnerAsync(clinic);
        var colleague = await recovery.StaffAsync(StaffRoles.Manager, "Colleague Manager", clinic.LocationId);
        var elsewhere = await recovery.StaffAsync(StaffRoles.Manager, "Elsewhere Manager");
        var (_, visit) = await recovery.VisitedAsync(clinic);
        var (_, contactedVisit) = await recovery.VisitedAsync(clinic, "Called Already");
        var overdue = Assert.IsType<SubmitOutcome.Stored>(await recovery.SubmitAsync(RecoveryApp.Unhappy(clinic, visit.Id))).Case!;
        var contacted = Assert.IsType<SubmitOutcome.Stored>(await recovery.SubmitAsync(RecoveryApp.Unhappy(clinic, contactedVisit.Id))).Case!;
        await recovery.DbAsync(db => db.RecoveryCases.Where(c => c.Id == contacted.Id).ExecuteUpdateAsync(c => c
            .SetProperty(x => x.Status, CaseStatus.Contacted).SetProperty(x => x.FirstContactAt, recovery.Clock.GetUtcNow())));
        await recovery.DeliverAsync();

        recovery.Clock.SetUtcNow(overdue.DueAt.AddMinutes(-1));
        await EscalateAsync();
        await recovery.DeliverAsync();
        Assert.Empty(await MailDev.MessagesToAsync(colleague.Email));

        recovery.Clock.SetUtcNow(overdue.DueAt.AddMinutes(1));
        await EscalateAsync();
        await EscalateAsync();
        await recovery.DeliverAsync();

        foreach (var manager in new[] { owner, colleague })
        {
            var escalation = (await MailDev.WaitForAsync(manager.Email, manager == owner ? 3 : 1))
                .Where(m => m.GetProperty("subject").GetString()!.StartsWith("Overdue", StringComparison.Ordinal)).ToList();
            var only = Assert.Single(escalation);
            Assert.Equal($"Overdue: case {overdue.Number} at Test Screening Center", only.GetProperty("subject").GetString());
            Assert.Contains("Its owner is Olivia Owner.", only.GetProperty("text").GetString());
        }
        Assert.Empty(await MailDev.MessagesToAsync(elsewhere.Email));
        Assert.Equal(overdue.DueAt.AddMinutes(1), (await recovery.CaseAsync(overdue.Number)).EscalatedAt);
        Assert.Null((await recovery.CaseAsync(contacted.Number)).EscalatedAt);
    }

    /// <summary>One firing of the recurring job, as Hangfire would run it.</summary>
    private async Task EscalateAsync()
    {
        await using var scope = recovery.App.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<EscalateCasesJob>(scope.ServiceProvider).RunAsync(default);
    }
}
