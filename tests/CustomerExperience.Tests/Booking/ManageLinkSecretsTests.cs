using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Customers;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerExperience.Tests.Booking;

/// <summary>
/// Manage links are secrets: the database keeps only hashes, every email gets a fresh link, and a copy of the
/// database opens no visit.
/// </summary>
public partial class ManageLinkSecretsTests : IAsyncLifetime
{
    private FrontDeskApp frontDesk = null!;

    public async Task InitializeAsync() => frontDesk = await FrontDeskApp.StartAsync(nameof(ManageLinkSecretsTests));

    public async Task DisposeAsync() => await frontDesk.DisposeAsync();

    [Fact]
    public async Task A_copy_of_the_database_holds_no_manage_link_while_every_email_carries_a_working_one()
    {
        var email = MailDev.UniqueAddress("secrets");
        var (visitId, booked) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), email);
        var customer = frontDesk.App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await customer.PostAsJsonAsync($"/api/v1/bookings/{booked}/reschedule",
            new { start = TestClinic.At(2026, 12, 2, 10) })).StatusCode);
        var dana = await frontDesk.StaffAsync("Dana Desk");
        var page = $"/staff/visits/{visitId}/reschedule";
        var start = TestClinic.At(2026, 12, 3, 14);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.PostFormAsync(dana, $"{page}?start={Uri.EscapeDataString(start)}",
            new() { ["start"] = start }, page)).StatusCode);
        // A week before Thursday 3 December, 14:00 in New York.
        frontDesk.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 26, 19, 0, 0, TimeSpan.Zero));
        await using (var scope = frontDesk.App.Services.CreateAsyncScope())
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AppointmentReminders>().QueueDueAsync(default));
        Assert.Equal(4, await frontDesk.DeliverEmailsAsync());

        var messages = await MailDev.WaitForAsync(email, 4);
        Assert.Equal(["Booked", "New time", "New time", "Reminder"],
            messages.Select(m => m.GetProperty("subject").GetString()!.Split(':')[0]).Order());
        var links = messages.SelectMany(m => ManageLink().Matches(m.GetProperty("text").GetString() + m.GetProperty("html").GetString()))
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        // Confirmation, the customer's move, the staff move, the reminder: a link each, all working.
        Assert.Equal(4, links.Count);
        Assert.Contains(booked, links);
        foreach (var link in links)
            Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"/manage/{link}")).StatusCode);

        var dump = await DumpAsync(frontDesk.App.ConnectionString);
        foreach (var link in links)
            Assert.DoesNotContain(link, dump.Text);
        // Nothing stored opens a visit: no token-shaped text, and no stored bytes (the hashes) used as a token.
        var candidates = TokenShaped().Matches(dump.Text).Select(m => m.Value).Concat(dump.Bytes.Select(Base64Url)).Distinct().ToList();
        Assert.Contains(candidates, c => c == Base64Url(ManageToken.Hash(booked)));
        foreach (var candidate in candidates.Where(ManageToken.LooksValid))
            Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/manage/{candidate}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/manage/{Tampered(booked)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/manage/{ManageToken.New()}")).StatusCode);
    }

    [Fact]
    public async Task Every_link_of_a_cancelled_visit_shows_it_cancelled_and_changes_nothing()
    {
        var email = MailDev.UniqueAddress("cancelled");
        var (visitId, booked) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), email);
        frontDesk.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.Zero));
        await using (var scope = frontDesk.App.Services.CreateAsyncScope())
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AppointmentReminders>().QueueDueAsync(default));
        Assert.Equal(2, await frontDesk.DeliverEmailsAsync());
        var reminder = Assert.Single(await MailDev.WaitForAsync(email, 2), m => m.GetProperty("subject").GetString()!.StartsWith("Reminder"));
        var fresh = ManageLink().Match(reminder.GetProperty("text").GetString()!).Groups[1].Value;

        var customer = frontDesk.App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await customer.PostAsync($"/api/v1/bookings/{fresh}/cancel", null)).StatusCode);

        foreach (var link in new[] { booked, fresh })
        {
            Assert.Contains("This visit is cancelled.", await customer.GetStringAsync($"/manage/{link}"));
            Assert.Equal(HttpStatusCode.Gone, (await customer.PostAsync($"/api/v1/bookings/{link}/cancel", null)).StatusCode);
        }
        Assert.Equal(AppointmentStatus.Cancelled, await frontDesk.DbAsync(db => db.Appointments.Where(a => a.Id == visitId).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task Links_and_sent_emails_from_before_the_upgrade_are_carried_over()
    {
        var (visitId, _) = await frontDesk.BookOnlineAsync(TestClinic.At(2026, 12, 1, 9), MailDev.UniqueAddress("upgrade"));
        await frontDesk.DeliverEmailsAsync();
        var connectionString = frontDesk.App.ConnectionString;
        await frontDesk.App.DisposeAsync();

        // Back to the schema before hashes had their own table, with a visit's hash and encrypted token as it kept them.
        var old = ManageToken.New();
        await using (var db = TestDatabases.Context(connectionString))
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261123104104_CustomerSearch");
            await db.Database.ExecuteSqlAsync($"""
                UPDATE cx.appointments SET manage_token_hash = {ManageToken.Hash(old)}, manage_token_protected = 'CfDJ8-encrypted-token' WHERE id = {visitId};
                UPDATE cx.outbound_emails SET text_body = text_body || {"\nOld link: http://127.0.0.1:5080/manage/" + old + "\n"} WHERE appointment_id = {visitId};
                """);
            await migrator.MigrateAsync();
        }

        await using var app = new AppFactory(connectionString);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync($"/manage/{old}")).StatusCode);
        var dump = await DumpAsync(connectionString);
        Assert.DoesNotContain(old, dump.Text);
        Assert.DoesNotContain("CfDJ8-encrypted-token", dump.Text);
    }

    private sealed record Dump(string Text, List<byte[]> Bytes);

    /// <summary>What a copy of the database gives away: every text and binary value in every table.</summary>
    private static async Task<Dump> DumpAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var columns = new List<(string Schema, string Table, string Column)>();
        await using (var command = new NpgsqlCommand("""
            SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
              AND c.data_type IN ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb', 'ARRAY')
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        Assert.Contains(columns, c => c.Table == "outbound_emails" && c.Column == "text_body");

        var text = new StringBuilder();
        var bytes = new List<byte[]>();
        foreach (var (schema, table, column) in columns)
        {
            await using var command = new NpgsqlCommand($"SELECT \"{column}\" FROM \"{schema}\".\"{table}\" WHERE \"{column}\" IS NOT NULL", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (reader.GetValue(0) is byte[] value) bytes.Add(value);
                else text.AppendLine(reader.GetValue(0) is string[] values ? string.Join("\n", values) : reader.GetValue(0).ToString());
            }
        }
        return new Dump(text.ToString(), bytes);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Tampered(string token) => token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

    [GeneratedRegex("/manage/([A-Za-z0-9_-]{43})")]
    private static partial Regex ManageLink();

    [GeneratedRegex("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")]
    private static partial Regex TokenShaped();
}
