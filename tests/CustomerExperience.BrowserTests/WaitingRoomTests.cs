using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>The waiting-room screen keeps its delay current by itself (a script, no meta refresh) and passes axe.</summary>
[Collection(LiveAppCollection.Name)]
public class WaitingRoomTests(LiveApp live)
{
    [Fact]
    public async Task The_screen_shows_a_new_delay_within_a_minute_without_reloading_and_has_no_serious_violation()
    {
        var page = await live.NewKioskPageAsync();
        await page.Clock.InstallAsync();
        await page.GotoAsync("/waiting/midtown");
        await page.Locator("#on-time").WaitForAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await KioskFlow.ShotAsync(page, "waiting-on-time");
        await page.EvaluateAsync("window.sameDocument = true");

        var delay = await PostDelayAsync();
        try
        {
            await page.Clock.RunForAsync(61_000);
            await Assertions.Expect(page.Locator("#delay-location .minutes")).ToHaveTextAsync("25 minutes");
            Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the page was reloaded");
            Assert.Equal(0, await page.Locator("meta[http-equiv='refresh']").CountAsync());
            await Accessibility.AssertNoSeriousViolationsAsync(page);
            await KioskFlow.ShotAsync(page, "waiting-late");
        }
        finally
        {
            await using var scope = live.App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Delays.Where(d => d.Id == delay)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClearedAt, DateTimeOffset.UtcNow).SetProperty(d => d.ClearedBy, "test"));
        }
    }

    private async Task<Guid> PostDelayAsync()
    {
        var email = await Tests.Infrastructure.StaffSignIn.CreateAccountAsync(live.App.Services, Web.Staff.StaffRoles.FrontDesk);
        await using var scope = live.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var staff = await db.Users.SingleAsync(u => u.Email == email);
        var now = DateTimeOffset.UtcNow;
        var delay = new Delay
        {
            Id = Guid.CreateVersion7(), LocationId = await db.Locations.Where(l => l.Slug == "midtown").Select(l => l.Id).SingleAsync(),
            Minutes = 25, Message = "A machine needed a restart.", PostedById = staff.Id, PostedBy = staff.DisplayName, PostedAt = now, UpdatedAt = now,
        };
        db.Delays.Add(delay);
        await db.SaveChangesAsync();
        return delay.Id;
    }
}
