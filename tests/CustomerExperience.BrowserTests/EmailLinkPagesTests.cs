using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Journeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>The page customers reach from recall and survey emails to unsubscribe; the survey has EmailSurveyPageTests.</summary>
[Collection(LiveAppCollection.Name)]
public class EmailLinkPagesTests(LiveApp live)
{
    [Fact]
    public async Task Unsubscribe_works_by_keyboard_on_a_phone_and_passes_axe()
    {
        Guid customerId;
        string link;
        await using (var scope = live.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            customerId = await db.Customers.Where(c => !c.EmailOptOut).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
            link = new Uri(scope.ServiceProvider.GetRequiredService<Unsubscribe>().Url(customerId)).PathAndQuery;
        }
        var page = await live.NewPhonePageAsync();

        Assert.Equal(200, (await page.GotoAsync(link))!.Status);
        Assert.Equal("Stop emails about your next visit?", await page.Locator("h1").InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#unsubscribed").WaitForAsync();
        Assert.Equal("You're unsubscribed", await page.Locator("#unsubscribed h1").InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await using var check = live.App.Services.CreateAsyncScope();
        Assert.True(await check.ServiceProvider.GetRequiredService<AppDbContext>().Customers
            .Where(c => c.Id == customerId).Select(c => c.EmailOptOut).SingleAsync());
    }
}
