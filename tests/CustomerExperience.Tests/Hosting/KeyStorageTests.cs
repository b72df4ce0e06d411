using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Surveys;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerExperience.Tests.Hosting;

/// <summary>
/// Data Protection keys in cx.data_protection_keys: the links in emails sent before the key store changed still open,
/// every instance reads the others' keys, and a configured certificate encrypts them at rest.
/// </summary>
public class KeyStorageTests
{
    [Fact]
    public async Task Links_made_with_a_key_stored_by_the_old_key_store_still_open()
    {
        var connectionString = await TestDatabases.CreateAsync(nameof(Links_made_with_a_key_stored_by_the_old_key_store_still_open));
        // What the app before this version did: its own IXmlRepository writing rows itself.
        var old = new ServiceCollection();
        old.AddDataProtection().SetApplicationName("CustomerExperience");
        old.Configure<KeyManagementOptions>(o => o.XmlRepository = new OldDbXmlRepository(connectionString));
        await using var oldApp = old.BuildServiceProvider();
        var oldProtection = oldApp.GetRequiredService<IDataProtectionProvider>();
        // The old version's key exists before this version first starts.
        oldProtection.CreateProtector("warm-up").Protect("x");
        Assert.Equal(1, await KeyCountAsync(connectionString));

        await using var app = new AppFactory(connectionString);
        var (_, customerId, visitId, manageToken) = await SeedVisitAsync(app);
        var unsubscribe = oldProtection.CreateProtector("CustomerExperience.Unsubscribe.v1").Protect(customerId.ToString("N"));
        var survey = oldProtection.CreateProtector("CustomerExperience.Survey.v1").Protect(visitId.ToString("N"));
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/manage/{manageToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/unsubscribe/{unsubscribe}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/survey/{survey}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/unsubscribe/{unsubscribe}", null)).StatusCode);
        // The app took the stored key as its own (the manage page's antiforgery token used it too) rather than adding one.
        Assert.Equal(1, await KeyCountAsync(connectionString));
    }

    [Fact]
    public async Task Two_instances_on_one_database_open_each_others_links()
    {
        var connectionString = await TestDatabases.CreateAsync(nameof(Two_instances_on_one_database_open_each_others_links));
        await using var first = new AppFactory(connectionString);
        await using var second = new AppFactory(connectionString);
        var (_, customerId, visitId, _) = await SeedVisitAsync(first);

        var unsubscribe = new Uri(first.Services.GetRequiredService<Unsubscribe>().Url(customerId)).AbsolutePath;
        var survey = "/survey/" + first.Services.GetRequiredService<SurveyLinks>().Token(visitId);

        var client = second.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(unsubscribe)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(survey)).StatusCode);
        Assert.Equal(1, await KeyCountAsync(connectionString));
    }

    [Fact]
    public async Task With_a_certificate_the_stored_keys_are_encrypted_and_links_still_open()
    {
        var connectionString = await TestDatabases.CreateAsync(nameof(With_a_certificate_the_stored_keys_are_encrypted_and_links_still_open));
        var pfx = Path.Combine(Path.GetTempPath(), $"cx-keys-{Guid.NewGuid():N}.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=CustomerExperience keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "s3cret pass"));
        }
        try
        {
            AppFactory App() => new AppFactory(connectionString)
                .With("DataProtection:CertificatePath", pfx)
                .With("DataProtection:CertificatePassword", "s3cret pass");

            string unsubscribe, survey, manageToken;
            await using (var first = App())
            {
                (_, var customerId, var visitId, manageToken) = await SeedVisitAsync(first);
                unsubscribe = new Uri(first.Services.GetRequiredService<Unsubscribe>().Url(customerId)).AbsolutePath;
                survey = "/survey/" + first.Services.GetRequiredService<SurveyLinks>().Token(visitId);
            }

            var xml = Assert.Single(await KeyXmlAsync(connectionString));
            Assert.DoesNotContain("<masterKey", xml);
            Assert.Contains("<EncryptedData", xml);

            // A new instance has only the database and the certificate to read the key with.
            await using var second = App();
            var client = second.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(unsubscribe)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(survey)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/manage/{manageToken}")).StatusCode);
            Assert.Single(await KeyXmlAsync(connectionString));
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    /// <summary>A booked visit (its manage link) and a completed one (its survey link); VisitId is the completed one.</summary>
    private static async Task<(TestClinic Clinic, Guid CustomerId, Guid VisitId, string ManageToken)> SeedVisitAsync(AppFactory app)
    {
        var clinic = await TestClinic.SeedAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = "Key Test", Email = MailDev.UniqueAddress("keys"),
            DateOfBirth = new DateOnly(1970, 1, 2), CreatedAt = DateTimeOffset.UtcNow,
        };
        var token = ManageToken.New();
        var visit = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = clinic.ServiceId, LocationId = clinic.LocationId,
            ResourceId = clinic.RoomId, CreatedAt = DateTimeOffset.UtcNow,
        };
        visit.Schedule(DateTimeOffset.UtcNow.AddDays(20), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
        var completed = new Appointment
        {
            Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = clinic.ServiceId, LocationId = clinic.LocationId,
            ResourceId = clinic.RoomId, CreatedAt = DateTimeOffset.UtcNow.AddDays(-1),
        };
        completed.Schedule(DateTimeOffset.UtcNow.AddHours(-2), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10));
        completed.Complete(DateTimeOffset.UtcNow.AddHours(-1));
        db.Customers.Add(customer);
        db.Appointments.AddRange(visit, completed);
        ManageToken.Keep(db, visit.Id, token, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        return (clinic, customer.Id, completed.Id, token);
    }

    private static async Task<int> KeyCountAsync(string connectionString) => (await KeyXmlAsync(connectionString)).Count;

    private static async Task<List<string>> KeyXmlAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM cx.data_protection_keys", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>The key store the app had before: one row per key, the XML without formatting, the friendly name beside it.</summary>
    private sealed class OldDbXmlRepository(string connectionString) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT xml FROM cx.data_protection_keys", connection);
            using var reader = command.ExecuteReader();
            var elements = new List<XElement>();
            while (reader.Read())
                elements.Add(XElement.Parse(reader.GetString(0)));
            return elements;
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand("INSERT INTO cx.data_protection_keys (friendly_name, xml) VALUES ($1, $2)", connection);
            command.Parameters.AddWithValue(friendlyName);
            command.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
            command.ExecuteNonQuery();
        }
    }
}
