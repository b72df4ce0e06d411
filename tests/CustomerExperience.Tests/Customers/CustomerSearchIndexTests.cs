using System.Diagnostics;
using CustomerExperience.Web.Customers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CustomerExperience.Tests.Customers;

/// <summary>
/// With 100,000 customers every kind of search reads its own index, never the whole table: the plans Postgres
/// chooses for the very statements the search runs.
/// </summary>
public class CustomerSearchIndexTests(CustomerSearchIndexTests.HundredThousandCustomers customers, ITestOutputHelper output)
    : IClassFixture<CustomerSearchIndexTests.HundredThousandCustomers>
{
    /// <summary>Seeded once for the class: 100,000 customers, then ANALYZE so the planner knows.</summary>
    public sealed class HundredThousandCustomers : IAsyncLifetime
    {
        public FrontDeskApp FrontDesk { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            FrontDesk = await FrontDeskApp.StartAsync(nameof(CustomerSearchIndexTests));
            await using var connection = new NpgsqlConnection(FrontDesk.App.ConnectionString);
            await connection.OpenAsync();
            await using var seed = new NpgsqlCommand("""
                INSERT INTO cx.customers (id, full_name, preferred_name, email, normalized_email, phone, date_of_birth,
                                          preferred_time_of_day, email_opt_out, created_at)
                SELECT gen_random_uuid(), 'Customer ' || md5(i::text), CASE WHEN i % 3 = 0 THEN 'Pref ' || i END,
                       'c' || i || '@example.test', 'c' || i || '@example.test', '+1 917 ' || lpad(i::text, 7, '0'),
                       date '1940-01-01' + (i % 25000), 'Any', false, now()
                FROM generate_series(1, 100000) AS i;
                ANALYZE cx.customers;
                """, connection);
            seed.CommandTimeout = 120;
            await seed.ExecuteNonQueryAsync();
        }

        public async Task DisposeAsync() => await FrontDesk.DisposeAsync();
    }

    [Theory]
    [InlineData("Customer c4ca4238", "ix_customers_name_search")]
    [InlineData("Pref 99999", "ix_customers_name_search")]
    [InlineData("c12345@example.test", "ix_customers_email_search")]
    [InlineData("(917) 001-2345", "ix_customers_phone_digits")]
    [InlineData("1970-05-31", "ix_customers_date_of_birth")]
    public async Task Each_kind_of_search_reads_its_index_among_100k_customers(string q, string index)
    {
        var query = CustomerQuery.Parse(q);
        await using var scope = customers.FrontDesk.App.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<CustomerSearch>();
        var (sql, parameters) = search.Sql(query, CustomerSearch.Limit + 1)!.Value;

        await using var connection = new NpgsqlConnection(customers.FrontDesk.App.ConnectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN " + sql, connection);
        explain.Parameters.AddRange(parameters);
        var lines = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        var plan = string.Join("\n", lines);
        output.WriteLine(plan);
        Assert.Contains(index, plan);
        Assert.DoesNotContain("Seq Scan on customers", plan);

        var timer = Stopwatch.StartNew();
        var result = await search.SearchAsync(query, default);
        output.WriteLine($"{q}: {result.Matches.Count} found in {timer.ElapsedMilliseconds} ms");
        Assert.NotEmpty(result.Matches);
    }
}
