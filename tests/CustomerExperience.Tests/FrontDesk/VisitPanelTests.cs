using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CustomerExperience.Tests.FrontDesk;

/// <summary>The visit page: what makes the moment personal, at a glance.</summary>
public class VisitPanelTests : IAsyncLifetime
{
    // Monday 30 November 2026, 08:30 in New York (13:30Z).
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 30, 13, 30, 0, TimeSpan.Zero));
    private AppFactory app = null!;
    private TestClinic clinic = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(VisitPanelTests)))
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
        };
        clinic = await TestClinic.SeedAsync(app.Services);
        client = await StaffSignIn.ClientAsync(app, StaffRoles.FrontDesk);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static DateTimeOffset Eastern(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.FromHours(-5));

    private async Task NoteAsync(Guid customerId, string text, string by, DateTimeOffset at)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CustomerNotes.Add(new CustomerNote
        {
            Id = Guid.CreateVersion7(), CustomerId = customerId, Text = text, CreatedAt = at.ToUniversalTime(), CreatedById = Guid.NewGuid().ToString(), CreatedBy = by,
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Shows_pronunciation_notes_newest_first_preferences_last_visit_and_the_next_covered_date()
    {
        var customer = await FrontDeskSeed.CustomerAsync(app.Services, "Siobhan Murphy", "Shiv", pronunciation: "shi-VAWN",
            preferences: "Prefers a female technologist; needs the lift.");
        await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Eastern(2024, 12, 2, 10), AppointmentStatus.Completed);
        await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Eastern(2026, 1, 15, 11), AppointmentStatus.Completed);
        await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Eastern(2026, 6, 1, 9), AppointmentStatus.Cancelled);
        var today = await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Eastern(2026, 11, 30, 9));
        await NoteAsync(customer.Id, "Nervous about results: explain the timeline.", "Morgan Manager", Eastern(2024, 12, 2, 10));
        await NoteAsync(customer.Id, "Brought her daughter; likes to chat about gardening.", "Frankie Desk", Eastern(2026, 1, 15, 11));

        var response = await client.GetAsync($"/staff/visits/{today.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await FrontDeskSeed.TextAsync(response);
        Assert.Contains("<h1 id=\"visit-heading\">Shiv</h1>", html);
        Assert.Contains("Say it: <strong>shi-VAWN</strong>", html);
        Assert.Contains("Siobhan Murphy (goes by Shiv)", html);
        Assert.Contains("Monday, November 30, 2026 at 9:00 AM", FrontDeskSeed.Element(html, "visit-when", "dd"));
        Assert.Contains("Prefers a female technologist; needs the lift.", FrontDeskSeed.Element(html, "customer-preferences", "dd"));
        // The last completed visit before this one: not the cancelled one in June, not the older one.
        Assert.Contains("Thursday, January 15, 2026 at 11:00 AM: Screening mammogram, Test Screening Center", FrontDeskSeed.Element(html, "last-visit", "dd"));
        // Covered again a year after the last completed visit: today's screening is not covered yet.
        Assert.Contains("covered from <strong>Friday, January 15, 2027</strong>", FrontDeskSeed.Element(html, "next-covered", "dd"));

        var notes = FrontDeskSeed.Element(html, "notes", "section");
        var newer = notes.IndexOf("gardening", StringComparison.Ordinal);
        var older = notes.IndexOf("Nervous about results", StringComparison.Ordinal);
        Assert.True(newer >= 0 && older > newer, "notes newest first");
        Assert.Contains("Frankie Desk, <time datetime=\"2026-01-15T16:00:00+00:00\">Thursday, January 15, 2026 at 11:00 AM</time>", notes);
        Assert.Contains("Morgan Manager, <time", notes);

        Assert.Contains($"href=\"/staff/customers/{customer.Id}\" id=\"customer-link\"", html);
        Assert.Contains($"href=\"/staff/visits/{today.Id}/reschedule\" id=\"reschedule-link\">Reschedule or cancel</a>", html);
        Assert.Contains($"id=\"checkin-{today.Id}\"", html);
    }

    [Fact]
    public async Task A_first_visit_says_so_and_a_customer_without_a_recent_visit_is_covered_now()
    {
        var customer = await FrontDeskSeed.CustomerAsync(app.Services, "Ada New", preferredName: null);
        var today = await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Eastern(2026, 11, 30, 10));

        var html = await FrontDeskSeed.TextAsync(await client.GetAsync($"/staff/visits/{today.Id}"));

        Assert.Contains("First visit", FrontDeskSeed.Element(html, "last-visit", "dd"));
        Assert.Contains("Covered now", FrontDeskSeed.Element(html, "next-covered", "dd"));
        Assert.Contains("None noted", FrontDeskSeed.Element(html, "customer-preferences", "dd"));
        Assert.Contains("No notes yet.", html);
        Assert.DoesNotContain("Say it:", html);
    }

    [Fact]
    public async Task A_cancelled_visit_offers_no_actions_and_no_reschedule_link()
    {
        var customer = await FrontDeskSeed.CustomerAsync(app.Services);
        var cancelled = await FrontDeskSeed.VisitAsync(app.Services, clinic, customer.Id, Eastern(2026, 11, 30, 11), AppointmentStatus.Cancelled);

        var html = await FrontDeskSeed.TextAsync(await client.GetAsync($"/staff/visits/{cancelled.Id}"));

        Assert.Contains(">Cancelled</span>", html);
        Assert.DoesNotContain("reschedule-link", html);
        Assert.DoesNotContain("handler=", html);
    }
}
