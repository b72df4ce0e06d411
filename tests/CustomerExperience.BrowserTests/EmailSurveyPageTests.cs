using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>The email survey in Chromium: on a phone, by keyboard alone, without JavaScript, and through axe.</summary>
[Collection(LiveAppCollection.Name)]
public class EmailSurveyPageTests(LiveApp live)
{
    /// <summary>A visit completed an hour ago at a demo location, in a room of its own; returns its survey path.</summary>
    private async Task<(Guid Visit, string Path)> CompletedVisitAsync()
    {
        await using var scope = live.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var service = await db.Services.OrderBy(s => s.Name).FirstAsync();
        var location = await db.Locations.OrderBy(l => l.Name).FirstAsync();
        // Inactive: no booking test is ever offered its times.
        var room = new Resource { Id = Guid.CreateVersion7(), LocationId = location.Id, Name = "Survey test room", IsActive = false };
        var now = DateTimeOffset.UtcNow;
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = "Survey Browser", Email = $"survey-{Guid.NewGuid():N}@example.test", CreatedAt = now,
        };
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = service.Id, LocationId = location.Id, ResourceId = room.Id,
            CreatedAt = now.AddDays(-7),
        };
        visit.Schedule(now.AddHours(-2), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
        visit.Complete(now.AddHours(-1));
        db.AddRange(room, customer, visit);
        await db.SaveChangesAsync();
        return (visit.Id, "/survey/" + scope.ServiceProvider.GetRequiredService<SurveyLinks>().Token(visit.Id));
    }

    private async Task<SurveyResponse?> StoredAsync(Guid visit)
    {
        await using var scope = live.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.AsNoTracking()
            .Include(r => r.Answers).SingleOrDefaultAsync(r => r.AppointmentId == visit);
    }

    [Fact]
    public async Task The_survey_passes_axe_and_is_answered_by_keyboard_alone_on_a_phone()
    {
        var (visit, path) = await CompletedVisitAsync();
        var page = await live.NewPhonePageAsync();

        Assert.Equal(200, (await page.GotoAsync(path))!.Status);
        Assert.Equal("How did we do?", await page.Locator("h1").InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Tab into the first question; in a radio group Space picks the focused answer and the arrows move the choice.
        for (var i = 0; i < 10 && await page.EvaluateAsync<string?>("document.activeElement?.name") != "answers[booking]"; i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.Equal("answers[booking]", await page.EvaluateAsync<string?>("document.activeElement?.name"));
        foreach (var (key, steps) in new[] { ("booking", 4), ("reminders", 3), ("welcome", 4), ("wait", 2), ("explained", 4), ("comfort", 4), ("recommend", 9) })
        {
            Assert.Equal($"answers[{key}]", await page.EvaluateAsync<string?>("document.activeElement?.name"));
            await page.Keyboard.PressAsync("Space");
            for (var step = 0; step < steps; step++)
                await page.Keyboard.PressAsync("ArrowRight");
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Equal("comment", await page.EvaluateAsync<string?>("document.activeElement?.id"));
        await page.Keyboard.TypeAsync("Quick and kind.");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("contact", await page.EvaluateAsync<string?>("document.activeElement?.id"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Send my answers", await page.EvaluateAsync<string?>("document.activeElement?.textContent"));
        await page.Keyboard.PressAsync("Enter");

        await page.Locator("#thanks").WaitForAsync();
        Assert.Equal("Thank you", await page.Locator("h1").InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        var stored = await StoredAsync(visit);
        Assert.NotNull(stored);
        Assert.Equal(SurveyChannel.Email, stored.Channel);
        Assert.Equal("Quick and kind.", stored.Comment);
        Assert.Equal(
            new[] { ("booking", 5), ("comfort", 5), ("explained", 5), ("recommend", 9), ("reminders", 4), ("wait", 3), ("welcome", 5) },
            stored.Answers.OrderBy(a => a.QuestionKey).Select(a => (a.QuestionKey, a.Score)));
    }

    [Fact]
    public async Task Without_javascript_the_survey_still_submits_and_a_low_score_is_promised_a_call()
    {
        var (visit, path) = await CompletedVisitAsync();
        var context = await live.NewContextAsync(new BrowserNewContextOptions
        {
            JavaScriptEnabled = false,
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();

        Assert.Equal(200, (await page.GotoAsync(path))!.Status);
        await page.Locator("#q-wait").GetByText("Very poor").TapAsync();
        await page.Locator("#q-recommend").GetByText("3", new() { Exact = true }).TapAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).TapAsync();

        await page.Locator("#thanks").WaitForAsync();
        Assert.Contains("will be in touch with you soon", await page.Locator("#follow-up").InnerTextAsync());
        var stored = await StoredAsync(visit);
        Assert.NotNull(stored);
        Assert.Equal(new[] { ("recommend", 3), ("wait", 1) }, stored.Answers.OrderBy(a => a.QuestionKey).Select(a => (a.QuestionKey, a.Score)));
        Assert.NotNull(stored.DurationSeconds);

        Assert.Equal(200, (await page.GotoAsync(path))!.Status);
        Assert.Equal("Already answered — thank you", await page.Locator("h1").InnerTextAsync());
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_bad_link_is_the_404_page_and_passes_axe()
    {
        var page = await live.NewPhonePageAsync();

        Assert.Equal(404, (await page.GotoAsync("/survey/not-a-real-link"))!.Status);
        Assert.Equal("Page not found", await page.Locator("h1").InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(page);
    }
}
