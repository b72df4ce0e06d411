using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>
/// A manager works a case in Chromium on a phone, a tablet and a desktop: the list, the case page, first contact, the
/// HEARD checklist and the resolution (refused without an outcome). Screenshots go to /tmp/shots/recovery.
/// </summary>
[Collection(LiveAppCollection.Name)]
public class CasePagesBrowserTests(LiveApp live)
{
    private const string Shots = "/tmp/shots/recovery";

    [Fact]
    public async Task A_manager_reads_the_list_and_resolves_a_case_at_phone_tablet_and_desktop_sizes()
    {
        var number = await SeedUnhappyVisitAsync();
        var email = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.Manager, name: "Casey Manager");
        Directory.CreateDirectory(Shots);

        foreach (var (name, width, height) in new[] { ("phone", 360, 740), ("tablet", 820, 1180), ("desktop", 1280, 800) })
        {
            var context = await live.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = width, Height = height }, IsMobile = name == "phone", HasTouch = name != "desktop",
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/staff/cases");
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(StaffSignIn.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync("**/staff/cases");

            var card = page.Locator($"#case-{number}");
            await card.WaitForAsync();
            Assert.Contains("Clinical — route to quality", await card.InnerTextAsync());
            Assert.Equal(0, await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth"));
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            await page.ScreenshotAsync(new() { Path = $"{Shots}/list-{name}.png", FullPage = true });

            await card.GetByRole(AriaRole.Link, new() { Name = $"Case {number}" }).ClickAsync();
            await page.Locator("#clinical-flag").WaitForAsync();
            Assert.Equal(0, await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth"));
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            await page.ScreenshotAsync(new() { Path = $"{Shots}/case-{name}.png", FullPage = true });
            await context.CloseAsync();
        }

        var desk = await live.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var work = await desk.NewPageAsync();
        await work.GotoAsync($"/staff/cases/{number}");
        await work.GetByLabel("Email").FillAsync(email);
        await work.GetByLabel("Password").FillAsync(StaffSignIn.Password);
        await work.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await work.WaitForURLAsync($"**/staff/cases/{number}");

        await work.GetByLabel("How the contact went (optional)").FillAsync("Called her at lunch; she was glad we rang.");
        await work.Locator("#record-contact").ClickAsync();
        await work.Locator("#case-done").WaitForAsync();
        Assert.Equal("Contacted", (await work.Locator("#case-status").InnerTextAsync()).Trim());

        await work.Locator("#heard-hear").CheckAsync();
        await work.Locator("#heard-apologise").CheckAsync();
        await work.Locator("#save-checklist").ClickAsync();
        await work.Locator("#case-done").WaitForAsync();
        Assert.True(await work.Locator("#heard-apologise").IsCheckedAsync());

        // The browser's own check would stop an empty outcome; without it the server names the field.
        await work.GetByLabel("Root cause").SelectOptionAsync(new SelectOptionValue { Label = "Wait time" });
        await work.EvaluateAsync("document.querySelector('#outcome').removeAttribute('required')");
        await work.Locator("#resolve").ClickAsync();
        await work.Locator("#outcome-error").WaitForAsync();
        Assert.Equal("Write the outcome of the contact.", await work.Locator("#outcome-error").InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(work);

        await work.GetByLabel("Root cause").SelectOptionAsync(new SelectOptionValue { Label = "Wait time" });
        await work.GetByLabel("Outcome of the contact").FillAsync("called, apologised");
        await work.Locator("#resolve").ClickAsync();
        await work.Locator("#case-done").WaitForAsync();
        Assert.Equal("Resolved", (await work.Locator("#case-status").InnerTextAsync()).Trim());
        Assert.Contains("Casey Manager", await work.Locator("#case-resolved").InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(work);
        await work.ScreenshotAsync(new() { Path = $"{Shots}/case-resolved-desktop.png", FullPage = true });
        await desk.CloseAsync();
    }

    /// <summary>A customer seen yesterday at Riverside (in a room of their own) who answered the email survey unhappily; returns the case number.</summary>
    private async Task<int> SeedUnhappyVisitAsync()
    {
        await using var scope = live.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var location = await db.Locations.SingleAsync(l => l.Slug == "riverside");
        var service = await db.Services.SingleAsync(s => s.Slug == "screening-mammogram");
        var room = new Resource { Id = Guid.CreateVersion7(), LocationId = location.Id, Name = "Room C-" + Guid.NewGuid().ToString("N")[..4], Services = [service] };
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = "Constance Waiting", PreferredName = "Connie", Email = MailDev.UniqueAddress("case-flow"),
            Phone = "+1 212 555 0177", DateOfBirth = new DateOnly(1966, 8, 9), CreatedAt = now,
        };
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = service.Id, LocationId = location.Id, ResourceId = room.Id,
            Source = BookingSource.Online, CreatedAt = now.AddDays(-20),
        };
        visit.Schedule(now.AddDays(-1), service.Duration, service.Buffer);
        visit.Complete(now.AddDays(-1).AddMinutes(30));
        db.AddRange(room, customer, visit);
        await db.SaveChangesAsync();

        var outcome = await scope.ServiceProvider.GetRequiredService<SurveyResponses>().SubmitAsync(new SurveySubmission(
            Guid.NewGuid(), SurveyChannel.Email, location.Id, 1,
            new Dictionary<string, int> { ["booking"] = 4, ["reminders"] = 4, ["welcome"] = 2, ["wait"] = 1, ["explained"] = 3, ["recommend"] = 2 },
            "I waited 50 minutes in the gown and nobody told me why. The compression was painful too.", ContactRequested: true,
            AppointmentId: visit.Id), default);
        return Assert.IsType<SubmitOutcome.Stored>(outcome).Case!.Number;
    }
}
