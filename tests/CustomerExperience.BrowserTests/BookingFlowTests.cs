using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerExperience.BrowserTests.Infrastructure;
using CustomerExperience.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CustomerExperience.BrowserTests;

/// <summary>
/// The whole customer journey on a small phone: book, get the confirmation email, open its link, move the
/// visit, cancel it. axe runs on every page the customer sees.
/// </summary>
[Collection(LiveAppCollection.Name)]
public class BookingFlowTests(LiveApp live)
{
    private const string Service = "Screening mammogram";
    private const string Location = "Riverside Women's Imaging";
    private static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_customer_books_gets_the_email_moves_and_cancels_the_visit_on_a_phone()
    {
        var email = $"flow-{Guid.NewGuid():N}@example.com";
        var page = await live.NewPhonePageAsync();

        // ---- Home → Book a visit
        Assert.Equal(200, (await page.GotoAsync("/"))!.Status);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Book a visit" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/book$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Book a visit");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // ---- Choose service and location by their labels
        await page.GetByLabel(Service).CheckAsync();
        await page.GetByLabel(Location).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "See free times" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/book/time\?"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Choose a time");
        await Expect(page.Locator("p.summary")).ToContainTextAsync($"{Service} at {Location}");

        // A day is selected and its times are listed; fourteen days are shown, and the closed ones say "No times".
        var days = page.Locator("ul.days > li");
        await Expect(days).ToHaveCountAsync(14);
        await Expect(page.Locator("a.day[aria-current=date]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#times-heading")).ToContainTextAsync("Times on ");
        Assert.True(await page.Locator("#times a.time").CountAsync() > 0, "The selected day lists no times.");
        var unavailable = page.Locator("span.day.unavailable");
        Assert.True(await unavailable.CountAsync() >= 1, "Fourteen days always include a weekend, but no day says it has no times.");
        await Expect(unavailable.First).ToContainTextAsync("No times");
        Assert.Contains(await unavailable.AllInnerTextsAsync(), t => t.StartsWith("Sun", StringComparison.Ordinal));
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Visits inside 24 hours cannot be changed online, so book a day at least two days out (the list starts today).
        var (bookedDay, dayLink) = await FirstBookableDayAsync(days, skip: null);
        await dayLink.ClickAsync();
        await page.WaitForURLAsync(new Regex($"date={bookedDay:yyyy-MM-dd}"));
        await Expect(page.Locator("a.day[aria-current=date]")).ToHaveAttributeAsync("href", new Regex($"date={bookedDay:yyyy-MM-dd}"));
        await Expect(page.Locator("#times-heading")).ToHaveTextAsync($"Times on {LongDay(bookedDay)}");
        var firstTime = page.Locator("#times a.time").First;
        var bookedTime = (await firstTime.InnerTextAsync()).Trim();
        await firstTime.ClickAsync();

        // ---- Details
        await page.WaitForURLAsync(new Regex(@"/book/details\?"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Your details");
        var bookedWhen = $"{LongDay(bookedDay)}, {bookedDay.Year} at {bookedTime}";
        await Expect(page.Locator(".card.summary")).ToContainTextAsync(bookedWhen);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        var book = page.GetByRole(AriaRole.Button, new() { Name = "Book this visit" });

        // Empty: the browser's own check stops the form before anything is sent...
        var posts = 0;
        page.Request += (_, request) => { if (request.Method == "POST") Interlocked.Increment(ref posts); };
        await book.ClickAsync();
        Assert.Equal(0, Volatile.Read(ref posts));
        Assert.True(await page.Locator("#fullName").EvaluateAsync<bool>("e => e.validity.valueMissing"));
        Assert.Equal(0, await page.Locator("#error-summary").CountAsync());

        // ...and a client that does not check (old browser, validation off) gets the server's error summary and a 400.
        await page.Locator("form[method=post]").EvaluateAsync("f => f.noValidate = true");
        var invalid = await page.RunAndWaitForResponseAsync(() => book.ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/book/details", StringComparison.Ordinal));
        Assert.Equal(400, invalid.Status);
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        var summary = page.Locator("#error-summary");
        await Expect(summary).ToBeVisibleAsync();
        await Expect(summary.Locator("h2")).ToHaveTextAsync("Please check 4 things");
        await Expect(summary.Locator("li")).ToHaveTextAsync(new[]
        {
            "Enter your full name.",
            "Enter your email address, so we can send your confirmation.",
            "Enter a phone number, so the clinic can reach you about your visit.",
            "Enter your date of birth.",
        });
        await Expect(summary.Locator("a").First).ToHaveAttributeAsync("href", "#fullName");
        foreach (var field in new[] { "fullName", "email", "phone", "dateOfBirth" })
        {
            await Expect(page.Locator($"#{field}")).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(page.Locator($"#{field}")).ToHaveAttributeAsync("aria-describedby", new Regex($@"\b{field}-error\b"));
        }
        await Expect(page.Locator("#preferredName")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page).ToHaveTitleAsync(new Regex("^Check your details"));
        await Expect(page.Locator(".card.summary")).ToContainTextAsync(bookedWhen);
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Full name").FillAsync("Flow Tester");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Phone").FillAsync("(212) 555-0199");
        await page.GetByLabel("Date of birth").FillAsync("1980-04-05");
        await book.ClickAsync();

        // ---- Booked
        await page.WaitForURLAsync(new Regex(@"/manage/[^/?]+\?booked=1$"));
        var managePath = new Uri(page.Url).AbsolutePath;
        await Expect(page.Locator("#booked h1")).ToHaveTextAsync("You're booked");
        await Expect(page.Locator("#booked")).ToContainTextAsync(email);
        await Expect(page.Locator("#when")).ToHaveTextAsync(bookedWhen);
        await Expect(page.Locator("#status")).ToHaveTextAsync("Booked");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // ---- Confirmation email, delivered by the outbox job
        var confirmation = Single(await MailDev.WaitForAsync(email, 1, MailTimeout), "Booked:");
        Assert.Equal($"Booked: Clinic appointment, {bookedWhen}", Subject(confirmation));
        Assert.Contains("invite.ics", AttachmentNames(confirmation));
        var manageUrl = ManageLink(confirmation);
        Assert.Equal(live.BaseUrl + managePath, manageUrl);

        // ---- Open the link from the email
        var fromEmail = await page.GotoAsync(manageUrl);
        Assert.Equal(200, fromEmail!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Your visit");
        await Expect(page.Locator("#when")).ToHaveTextAsync(bookedWhen);
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // ---- Reschedule to another day's first time
        await page.GetByRole(AriaRole.Link, new() { Name = "Choose a new time" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/manage/[^/?]+/reschedule$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Choose a new time");
        await Expect(page.Locator("p.summary")).ToContainTextAsync($"Now: {bookedWhen}");
        await Expect(page.Locator("#times a.time").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        var (newDay, newDayLink) = await FirstBookableDayAsync(page.Locator("ul.days > li"), skip: bookedDay);
        await newDayLink.ClickAsync();
        await page.WaitForURLAsync(new Regex($"date={newDay:yyyy-MM-dd}"));
        await Expect(page.Locator("#times-heading")).ToHaveTextAsync($"Times on {LongDay(newDay)}");
        var newFirstTime = page.Locator("#times a.time").First;
        var newTime = (await newFirstTime.InnerTextAsync()).Trim();
        await newFirstTime.ClickAsync();

        await page.WaitForURLAsync(new Regex(@"/reschedule\?start="));
        var newWhen = $"{LongDay(newDay)}, {newDay.Year} at {newTime}";
        Assert.NotEqual(bookedWhen, newWhen);
        await Expect(page.Locator("#new-time")).ToHaveTextAsync(newWhen);
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm new time" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/manage/[^/?]+\?rescheduled=1$"));
        Assert.Equal(managePath, new Uri(page.Url).AbsolutePath);
        await Expect(page.Locator("#rescheduled")).ToHaveTextAsync("Your visit has moved to the new time. We sent you an updated invite.");
        await Expect(page.Locator("#when")).ToHaveTextAsync(newWhen);
        await Expect(page.Locator("#status")).ToHaveTextAsync("Booked");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        var update = Single(await MailDev.WaitForAsync(email, 2, MailTimeout), "New time:");
        Assert.Equal($"New time: Clinic appointment, {newWhen}", Subject(update));
        Assert.Contains("invite.ics", AttachmentNames(update));
        // A fresh link of its own; the confirmation's link (this page) keeps working too.
        var updateUrl = ManageLink(update);
        Assert.NotEqual(manageUrl, updateUrl);
        Assert.StartsWith(live.BaseUrl + "/manage/", updateUrl);

        // ---- Cancel
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel this visit" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/manage/[^/?]+\?cancelled=1$"));
        await Expect(page.Locator("#cancelled")).ToContainTextAsync("This visit is cancelled.");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Cancelled");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Choose a new time" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel this visit" })).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        var cancelled = Single(await MailDev.WaitForAsync(email, 3, MailTimeout), "Cancelled:");
        Assert.Equal($"Cancelled: Clinic appointment, {newWhen}", Subject(cancelled));
        Assert.Contains("cancel.ics", AttachmentNames(cancelled));

        await page.GotoAsync(updateUrl);
        await Expect(page.Locator("#status")).ToHaveTextAsync("Cancelled");
    }

    [Fact]
    public async Task Keyboard_users_can_choose_a_service_and_location_and_submit_with_Enter()
    {
        var page = await live.NewPhonePageAsync();
        await page.GotoAsync("/book");

        // Tab to the first radio group; arrow keys move within it and check the radio.
        await TabUntilAsync(page, "document.activeElement.name === 'serviceId'");
        Assert.Equal("service-bone-density-scan", await ActiveIdAsync(page));
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        Assert.Equal("service-screening-mammogram", await ActiveIdAsync(page));
        await Expect(page.GetByLabel(Service)).ToBeCheckedAsync();

        // One Tab leaves the group for the location group, one more reaches the button.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("locationId", await page.EvaluateAsync<string>("document.activeElement.name"));
        await page.Keyboard.PressAsync("Space");
        Assert.Equal("location-midtown", await ActiveIdAsync(page));
        await Expect(page.GetByLabel("Midtown Screening Center")).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("See free times", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        Assert.Equal("BUTTON", await page.EvaluateAsync<string>("document.activeElement.tagName"));

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex(@"/book/time\?"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Choose a time");
        await Expect(page.Locator("p.summary")).ToContainTextAsync($"{Service} at Midtown Screening Center");
    }

    [Fact]
    public async Task Manage_pages_send_no_referrer_and_are_never_cached()
    {
        var page = await live.NewPhonePageAsync();
        await page.GotoAsync("/book");
        await page.GetByLabel(Service).CheckAsync();
        await page.GetByLabel(Location).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "See free times" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/book/time\?"));
        var (_, day) = await FirstBookableDayAsync(page.Locator("ul.days > li"), skip: null);
        await day.ClickAsync();
        await page.Locator("#times a.time").Last.ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/book/details\?"));
        await page.GetByLabel("Full name").FillAsync("Header Tester");
        await page.GetByLabel("Email").FillAsync($"headers-{Guid.NewGuid():N}@example.com");
        await page.GetByLabel("Phone").FillAsync("(212) 555-0123");
        await page.GetByLabel("Date of birth").FillAsync("1975-10-20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Book this visit" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/manage/[^/?]+\?booked=1$"));
        var managePath = new Uri(page.Url).AbsolutePath;

        foreach (var path in new[] { managePath, managePath + "/reschedule" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            var headers = await response.AllHeadersAsync();
            Assert.Equal("no-referrer", headers.GetValueOrDefault("referrer-policy"));
            // Pages with a form get "no-cache, no-store" from antiforgery; what matters is that no-store is there.
            var cacheControl = headers.GetValueOrDefault("cache-control") ?? "";
            Assert.Contains("no-store", cacheControl.Split(',', StringSplitOptions.TrimEntries));
        }

        // The booking pages keep the site-wide policy: the token-free pages are not affected.
        var book = await page.GotoAsync("/book");
        Assert.Equal("strict-origin-when-cross-origin", (await book!.AllHeadersAsync()).GetValueOrDefault("referrer-policy"));
    }

    /// <summary>The first day with times at least two days after the first day shown (today), other than <paramref name="skip"/>.</summary>
    private static async Task<(DateOnly Day, ILocator Link)> FirstBookableDayAsync(ILocator days, DateOnly? skip)
    {
        var count = await days.CountAsync();
        for (var i = 2; i < count; i++)
        {
            var link = days.Nth(i).Locator("a.day");
            if (await link.CountAsync() == 0) continue;
            var href = await link.GetAttributeAsync("href") ?? "";
            var date = DateOnly.ParseExact(Regex.Match(href, @"date=(\d{4}-\d{2}-\d{2})").Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (date != skip) return (date, link);
        }
        throw new Xunit.Sdk.XunitException("No day with free times at least two days out in the fourteen days shown.");
    }

    private static string LongDay(DateOnly day) => day.ToString("dddd, MMMM d", CultureInfo.GetCultureInfo("en-US"));

    private static async Task TabUntilAsync(IPage page, string condition)
    {
        for (var i = 0; i < 10; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>(condition)) return;
        }
        throw new Xunit.Sdk.XunitException($"Ten presses of Tab never reached an element where {condition}.");
    }

    private static Task<string> ActiveIdAsync(IPage page) => page.EvaluateAsync<string>("document.activeElement.id");

    private static JsonElement Single(IReadOnlyList<JsonElement> messages, string subjectPrefix)
    {
        var matching = messages.Where(m => Subject(m).StartsWith(subjectPrefix, StringComparison.Ordinal)).ToList();
        Assert.True(matching.Count == 1,
            $"Expected one message starting '{subjectPrefix}', got: {string.Join(" | ", messages.Select(Subject))}");
        return matching[0];
    }

    private static string Subject(JsonElement message) => message.GetProperty("subject").GetString() ?? "";

    private static List<string> AttachmentNames(JsonElement message) =>
        message.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array
            ? attachments.EnumerateArray()
                .Select(a => a.TryGetProperty("fileName", out var name) ? name.GetString() ?? "" : "")
                .ToList()
            : [];

    private string ManageLink(JsonElement message)
    {
        var text = message.GetProperty("text").GetString() ?? "";
        var match = Regex.Match(text, "Reschedule or cancel: (" + Regex.Escape(live.BaseUrl) + @"/manage/\S+)");
        Assert.True(match.Success, "The email has no manage link:\n" + text);
        return match.Groups[1].Value;
    }
}
