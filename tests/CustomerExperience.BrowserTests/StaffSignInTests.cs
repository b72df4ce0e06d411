using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests;

/// <summary>Staff sign-in in Chromium: by keyboard, with axe, and the 403 page for a page above one's role.</summary>
[Collection(LiveAppCollection.Name)]
public class StaffSignInTests(LiveApp live)
{
    [Fact]
    public async Task Front_desk_signs_in_by_keyboard_and_meets_a_403_page_above_their_role()
    {
        var email = await StaffSignIn.CreateAccountAsync(live.App.Services, StaffRoles.FrontDesk, name: "Kim Keyboard");
        var page = await live.NewTabletPageAsync();

        await page.GotoAsync("/staff/messages?status=Dead");
        Assert.StartsWith($"{live.BaseUrl}/signin?returnUrl=", page.Url);
        Assert.Equal("Staff sign-in", await page.Locator("h1").InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Email").FocusAsync();
        await page.Keyboard.TypeAsync(email);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(StaffSignIn.Password);
        await page.Keyboard.PressAsync("Enter");
        // The return address is a manager page: front desk lands on it signed in, and gets the 403 page.
        await page.WaitForURLAsync("**/staff/messages?status=Dead");
        Assert.Equal(403, (await page.ReloadAsync())!.Status);

        Assert.Equal("You do not have access to this page", await page.Locator("h1").InnerTextAsync());
        await page.GotoAsync("/staff");
        Assert.Equal("Kim Keyboard", await page.Locator("#signed-in-as").InnerTextAsync());
        Assert.Equal(403, (await page.GotoAsync("/staff/accounts"))!.Status);

        await page.GotoAsync("/staff");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/signin");
        await page.GotoAsync("/staff");
        Assert.StartsWith($"{live.BaseUrl}/signin", page.Url);
    }
}
