using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.Staff;

/// <summary>
/// What a refused sign-in tells a stranger (nothing), and how wrong passwords lock out the client that sent them
/// rather than the account's owner.
/// </summary>
public partial class SignInRefusalTests : IAsyncLifetime
{
    private const string Stranger = "198.51.100.9";
    private const string Owner = "203.0.113.7";
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(SignInRefusalTests)))
        {
            TestServices = services =>
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
                TestClientAddress.AddTo(services);
            },
        };
        app.With("RateLimits:PublicWritePerMinute", "1000");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private HttpClient From(string address) => TestClientAddress.From(app.CreateClient(new() { AllowAutoRedirect = false }), address);

    private async Task<HttpStatusCode> SignInAsync(string address, string email, string password) =>
        (await StaffSignIn.SignInAsync(From(address), email, password)).StatusCode;

    private async Task LockOutAsync(string address, string email)
    {
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(address, email, $"Wrong-Password-{i}"));
    }

    [Fact]
    public async Task Sign_in_responses_for_unknown_wrong_password_disabled_and_locked_accounts_are_identical()
    {
        var wrong = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        var disabled = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.Admin);
        var lockedHere = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.Manager);
        var lockedEverywhere = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var disabledUser = (await users.FindByNameAsync(disabled))!;
            disabledUser.DisabledAt = clock.GetUtcNow();
            await users.UpdateAsync(disabledUser);
            // As wrong two-factor codes leave it: the whole account locked.
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync(lockedEverywhere))!, clock.GetUtcNow().AddHours(1));
        }
        await LockOutAsync(Stranger, lockedHere);

        var answers = new List<string>();
        foreach (var (email, password) in new[]
        {
            ($"nobody-{Guid.NewGuid():N}@staff.example", StaffSignIn.Password), (wrong, "Not-The-Password-1"),
            (disabled, StaffSignIn.Password), (lockedHere, StaffSignIn.Password), (lockedEverywhere, StaffSignIn.Password),
        })
        {
            var response = await StaffSignIn.SignInAsync(From(Stranger), email, password);
            var body = await response.Content.ReadAsStringAsync();
            var headers = response.Headers.Concat(response.Content.Headers).Where(h => h.Key != "Date")
                .OrderBy(h => h.Key).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}");
            answers.Add($"{(int)response.StatusCode}\n{string.Join('\n', headers)}\n{TokenValue().Replace(body.Replace(email, "{email}"), "{token}")}");
        }
        Assert.StartsWith("400", answers[0]);
        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
    }

    [Fact]
    public async Task Wrong_passwords_lock_out_the_client_that_sent_them_for_15_minutes_not_the_owner()
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        await LockOutAsync(Stranger, email);
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(Stranger, email, StaffSignIn.Password));

        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(Owner, email, StaffSignIn.Password));
        // The stranger can start again later, and lock themselves out again, but never the owner.
        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(Stranger, email, StaffSignIn.Password));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(Stranger, email, StaffSignIn.Password));
        await LockOutAsync(Stranger, email);
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(Owner, email, StaffSignIn.Password));
    }

    [Fact]
    public async Task An_ipv6_client_is_counted_by_its_64_bit_network_so_new_addresses_give_no_fresh_tries()
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        for (var i = 1; i <= 5; i++)
            Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync($"2001:db8:1:2::{i:x}", email, "Wrong-Password-1"));
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync("2001:db8:1:2:abcd::99", email, StaffSignIn.Password));
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync("2001:db8:1:3::1", email, StaffSignIn.Password));
    }

    [Fact]
    public async Task Parallel_guesses_from_one_client_get_no_more_tries_than_one_at_a_time()
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => SignInAsync(Stranger, email, $"Wrong-Password-{i}")));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.BadRequest, s));

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = await db.Users.Where(u => u.UserName == email).Select(u => u.Id).SingleAsync();
        var counts = await db.UserTokens.Where(t => t.UserId == id).Select(t => t.Value!).ToListAsync();
        Assert.Equal("5", Assert.Single(counts).Split(' ')[0]);
    }

    [Fact]
    public async Task An_admin_sees_the_lock_and_lifts_it_for_every_client()
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        await LockOutAsync(Stranger, email);
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        var page = await admin.GetStringAsync("/staff/accounts");
        var row = page[page.IndexOf($"data-email=\"{email}\"", StringComparison.Ordinal)..];
        Assert.Contains("Locked", row[..row.IndexOf("</tr>", StringComparison.Ordinal)]);
        var id = Regex.Match(row, "id=([0-9a-f-]{36})&amp;handler=Unlock").Groups[1].Value;

        var unlock = await StaffSignIn.PostFormAsync(admin, "/staff/accounts", new(), $"/staff/accounts?handler=Unlock&id={id}");
        Assert.Equal(HttpStatusCode.Redirect, unlock.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(Stranger, email, StaffSignIn.Password));
    }

    [GeneratedRegex("(?<=name=\"__RequestVerificationToken\" type=\"hidden\" value=\")[^\"]+")]
    private static partial Regex TokenValue();
}
