using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.FrontDesk;

/// <summary>Customers and visits written straight to the database, in whatever state a front-desk test starts from.</summary>
internal static class FrontDeskSeed
{
    public static async Task<Customer> CustomerAsync(IServiceProvider services, string fullName = "Charlotte Example", string? preferredName = "Lotte",
        string? pronunciation = null, string? preferences = null, string? email = null, DateOnly? dateOfBirth = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = fullName, PreferredName = preferredName, Pronunciation = pronunciation,
            Preferences = preferences, Email = email ?? MailDev.UniqueAddress("desk"), Phone = "+1 212 555 0142",
            DateOfBirth = dateOfBirth ?? new DateOnly(1968, 4, 5), CreatedAt = DateTimeOffset.UnixEpoch,
        };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        return customer;
    }

    public static async Task<Appointment> VisitAsync(IServiceProvider services, TestClinic clinic, Guid customerId, DateTimeOffset start,
        AppointmentStatus status = AppointmentStatus.Booked, Guid? resourceId = null, BookingSource source = BookingSource.Online)
    {
        start = start.ToUniversalTime();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customerId, ServiceId = clinic.ServiceId, LocationId = clinic.LocationId,
            ResourceId = resourceId ?? clinic.RoomId, Source = source,
            CreatedAt = start.AddDays(-30),
        };
        visit.Schedule(start, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
        switch (status)
        {
            case AppointmentStatus.CheckedIn: visit.CheckIn(start.AddMinutes(-5)); break;
            case AppointmentStatus.Completed: visit.Complete(start.AddMinutes(30)); break;
            case AppointmentStatus.Cancelled: visit.Cancel("Customer called", start.AddDays(-2)); break;
            case AppointmentStatus.NoShow: visit.MarkNoShow(); break;
        }
        db.Appointments.Add(visit);
        await db.SaveChangesAsync();
        return visit;
    }

    /// <summary>The rooms of the clinic's location, by name.</summary>
    public static async Task<List<Guid>> RoomsAsync(IServiceProvider services, TestClinic clinic)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Resources.Where(r => r.LocationId == clinic.LocationId).OrderBy(r => r.Name).Select(r => r.Id).ToListAsync();
    }

    public static async Task<T> QueryAsync<T>(IServiceProvider services, Func<AppDbContext, Task<T>> query)
    {
        await using var scope = services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>The page's HTML with entities decoded, so assertions read like the text on screen.</summary>
    public static async Task<string> TextAsync(HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    /// <summary>The markup of the element with that id, up to the next closing tag of the given name.</summary>
    public static string Element(string html, string id, string tag)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no element with id {id}");
        var end = html.IndexOf($"</{tag}>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}
