using CustomerExperience.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

[Collection(LiveAppCollection.Name)]
public class HomePageTests(LiveApp live)
{
    [Fact]
    public async Task Home_page_names_the_clinic_and_links_to_booking_on_a_phone()
    {
        var page = await live.NewPhonePageAsync();

        var response = await page.GotoAsync("/");

        Assert.Equal(200, response!.Status);
        Assert.Equal("Northside Imaging", await page.Locator("h1").InnerTextAsync());
        var book = page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Book a visit" });
        Assert.True(await book.IsVisibleAsync());
        Assert.Contains("Riverside Women's Imaging", await page.Locator("main").InnerTextAsync());
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 360, $"The page is {scrollWidth}px wide on a 360px screen.");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await book.ClickAsync();
        await page.WaitForURLAsync("**/book");
        Assert.Equal("Book a visit", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task Keyboard_users_can_skip_to_the_content()
    {
        var page = await live.NewPhonePageAsync();
        await page.GotoAsync("/");

        await page.Keyboard.PressAsync("Tab");

        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
    }
}
