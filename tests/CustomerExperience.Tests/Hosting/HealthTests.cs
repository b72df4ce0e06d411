using System.Net;
using CustomerExperience.Tests.Infrastructure;
using Npgsql;

namespace CustomerExperience.Tests.Hosting;

public class HealthTests
{
    [Fact]
    public async Task Healthz_is_200_when_the_database_and_the_job_server_are_up()
    {
        await using var app = new AppFactory(await TestDatabases.CreateAsync("health_up")).With("App:RunJobs", "true");

        var client = app.CreateClient();

        // The scheduler starts once the host has started, so readiness can trail the first request by a moment.
        await Eventually.TrueAsync(async () => (await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), "/healthz to report healthy");
        var body = await client.GetStringAsync("/healthz");
        Assert.Contains("\"database\":{\"status\":\"Healthy\"", body);
        Assert.Contains("\"jobs\":{\"status\":\"Healthy\"", body);
        Assert.Contains("\"database\":{\"status\":\"Healthy\"", await client.GetStringAsync("/healthz/ready"));
        Assert.Equal("{\"status\":\"Healthy\",\"checks\":{}}", await client.GetStringAsync("/healthz/live"));
    }

    [Fact]
    public async Task Healthz_is_503_when_postgres_stops()
    {
        var database = new NpgsqlConnectionStringBuilder(await TestDatabases.CreateAsync("health_down"));
        await using var postgres = new TcpProxy(database.Host!, database.Port);
        postgres.Start();
        database.Host = "127.0.0.1";
        database.Port = postgres.Port;
        database.Timeout = 3;
        await using var app = new AppFactory(database.ConnectionString).With("App:RunJobs", "true");
        var client = app.CreateClient();
        await Eventually.TrueAsync(async () => (await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), "/healthz to report healthy");

        await postgres.StopAsync();
        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"database\":{\"status\":\"Unhealthy\",\"description\":\"Database unreachable\"}", body);
        // /healthz is public: no exception text, host or port of the database.
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain(postgres.Port.ToString(), body);
        Assert.DoesNotContain("127.0.0.1", body);
        // The process itself is alive: nothing to restart; it is only not ready for traffic.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/healthz/ready")).StatusCode);

        // And back: the app recovers by itself once Postgres returns (this also lets the scheduler shut down cleanly).
        postgres.Start();
        await Eventually.TrueAsync(async () => (await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "/healthz to recover after Postgres returns");
    }
}
