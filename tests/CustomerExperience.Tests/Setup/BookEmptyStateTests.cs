using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Setup;

/// <summary>/book with nothing bookable explains itself, and shows a signed-in admin the way to the set-up.</summary>
public class BookEmptyStateTests : IAsyncLifetime
{
    private AppFactory app = null!;

    public async Task InitializeAsync() => app = new AppFactory(await TestDatabases.CreateAsync(nameof(BookEmptyStateTests)));

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_clinic_with_nothing_set_up_shows_the_empty_state_and_only_an_admin_gets_the_set_up_link()
    {
        var anonymous = await app.CreateClient().GetStringAsync("/book");
        Assert.Contains("id=\"nothing-to-book\"", anonymous);
        Assert.DoesNotContain("See free times", anonymous);
        Assert.DoesNotContain("/staff/admin", anonymous);

        var frontDesk = await (await StaffSignIn.ClientAsync(app, StaffRoles.FrontDesk)).GetStringAsync("/book");
        Assert.DoesNotContain("id=\"set-up-link\"", frontDesk);

        var admin = await (await StaffSignIn.ClientAsync(app, StaffRoles.Admin)).GetStringAsync("/book");
        Assert.Contains("id=\"nothing-to-book\"", admin);
        Assert.Contains("<a href=\"/staff/admin\" id=\"set-up-link\">", admin);
    }

    [Fact]
    public async Task A_service_and_a_location_without_a_room_that_performs_it_are_still_nothing_to_book()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Locations.Add(new Location
            {
                Id = Guid.CreateVersion7(), Slug = "empty-" + Guid.NewGuid().ToString("N")[..8], Name = "Empty Center", AddressLine = "1 Road",
                City = "New York", Region = "NY", PostalCode = "10001", TimeZoneId = "America/New_York", Phone = "+1 212 555 0100",
            });
            db.Services.Add(new Service { Id = Guid.CreateVersion7(), Slug = "lonely-" + Guid.NewGuid().ToString("N")[..8], Name = "Lonely scan", DurationMinutes = 20, CalendarTitle = "Clinic appointment" });
            await db.SaveChangesAsync();
        }
        Assert.Contains("id=\"nothing-to-book\"", await app.CreateClient().GetStringAsync("/book"));

        await TestClinic.SeedAsync(app.Services);
        var page = await app.CreateClient().GetStringAsync("/book");
        Assert.DoesNotContain("id=\"nothing-to-book\"", page);
        Assert.DoesNotContain("Lonely scan", page);
        Assert.DoesNotContain("Empty Center", page);
    }
}
