using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Kiosks;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Tests.Surveys;

/// <summary>
/// A location deactivated on /staff/admin/locations: its kiosk page is a 404 saying it is not taking visitors, for its own
/// kiosk and any other browser; the endpoints answer 409 with the closed problem type and write nothing, not even the
/// kiosk's last-seen time. Reactivated, the same kiosk sends again.
/// </summary>
public partial class KioskTests
{
    private const string NotTakingVisitors = "This location is not taking visitors at the moment";

    [Fact]
    public async Task An_inactive_locations_kiosk_says_it_is_not_taking_visitors_and_stores_no_answers()
    {
        var tablet = await EnrolAsync();
        await SeedVisitWithCodeAsync("482913", DateTimeOffset.UtcNow.AddHours(-1));
        var admin = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        Assert.Equal(HttpStatusCode.Redirect, (await SetActiveAsync(admin, active: false)).StatusCode);
        var seen = await DbAsync(db => db.Kiosks.Select(k => k.LastSeenAt).SingleAsync());

        var stranger = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var client in new[] { tablet.Client, stranger })
        {
            var page = await client.GetAsync($"/kiosk/{slug}");
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains($"<h1 id=\"not-taking-visitors\">{NotTakingVisitors}</h1>", html);
            Assert.Contains("Test Screening Center", html);
            Assert.DoesNotContain("How easy was it to book", html);
            Assert.DoesNotContain("data-token", html);
            Assert.DoesNotContain("This screen is not set up", html);
        }

        // An answer given before the location closed (the token is the page's from then), with and without a visit code,
        // the code check, and a body that would be a 400 elsewhere: all the same 409, never a 500.
        var id = Guid.NewGuid();
        foreach (var (json, path) in new[]
                 {
                     (Response(id), "responses"),
                     (Response(Guid.NewGuid(), extra: ""","visitCode":"482913" """), "responses"),
                     ("""{"code":"482913"}""", "visit-code"),
                     ("not json", "responses"),
                 })
        {
            var refused = await PostAsync(tablet.Client, tablet.Token, json, path);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.Contains(KioskEndpoints.ClosedProblemType, problem);
            Assert.Contains(NotTakingVisitors, problem);
            Assert.DoesNotContain("found", problem);
        }
        Assert.Equal(0, await DbAsync(db => db.SurveyResponses.CountAsync()));
        Assert.Equal(seen, await DbAsync(db => db.Kiosks.Select(k => k.LastSeenAt).SingleAsync()));

        // Reopened: the page asks again and the answer the kiosk kept is stored once.
        Assert.Equal(HttpStatusCode.Redirect, (await SetActiveAsync(admin, active: true)).StatusCode);
        Assert.Contains("How easy was it to book", await tablet.Client.GetStringAsync($"/kiosk/{slug}"));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(tablet.Client, tablet.Token, Response(id))).StatusCode);
        Assert.Equal(id, await DbAsync(db => db.SurveyResponses.Select(r => r.Id).SingleAsync()));
    }

    private async Task<HttpResponseMessage> SetActiveAsync(HttpClient admin, bool active)
    {
        var editPage = $"/staff/admin/locations/{clinic.LocationId}";
        var version = Regex.Match(await admin.GetStringAsync(editPage), "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        return await StaffSignIn.PostFormAsync(admin, editPage, new() { ["version"] = version },
            $"{editPage}?handler={(active ? "Activate" : "Deactivate")}");
    }
}
