using System.Net;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Staff;

/// <summary>/staff/messages: every outbound email with status, attempts and last error; a manager resends a Dead one.</summary>
public class MessagesPageTests : IAsyncLifetime
{
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(MessagesPageTests)));
        app.With("RateLimits:PublicWritePerMinute", "1000");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<OutboundEmail> AddAsync(OutboundEmailStatus status, string to, int attempts = 0, string? error = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = DateTimeOffset.UtcNow;
        var email = new OutboundEmail
        {
            Id = Guid.CreateVersion7(), Kind = "reminder", IdempotencyKey = "test:" + Guid.NewGuid(), ToAddress = to, ToName = "Dora Dead",
            Subject = "Your visit tomorrow", TextBody = "See you tomorrow.", Status = status, Attempts = attempts, LastError = error,
            NextAttemptAt = now, CreatedAt = now, SentAt = status == OutboundEmailStatus.Sent ? now : null,
        };
        db.OutboundEmails.Add(email);
        await db.SaveChangesAsync();
        return email;
    }

    private async Task<OutboundEmail> ReloadAsync(Guid id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboundEmails.AsNoTracking().SingleAsync(e => e.Id == id);
    }

    [Fact]
    public async Task A_manager_sees_each_message_with_status_attempts_and_last_error_and_can_filter_by_status()
    {
        var dead = await AddAsync(OutboundEmailStatus.Dead, MailDev.UniqueAddress("dead"), 8, "550 5.1.1 mailbox unavailable");
        var sent = await AddAsync(OutboundEmailStatus.Sent, MailDev.UniqueAddress("sent"), 1);
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);

        var all = await client.GetStringAsync("/staff/messages");
        Assert.Contains($"id=\"message-{dead.Id}\"", all);
        Assert.Contains($"id=\"message-{sent.Id}\"", all);
        Assert.Contains("550 5.1.1 mailbox unavailable", all);
        Assert.Contains("Dead: 1", all);

        var onlyDead = await client.GetStringAsync("/staff/messages?status=dead");
        Assert.Contains($"id=\"message-{dead.Id}\"", onlyDead);
        Assert.DoesNotContain($"id=\"message-{sent.Id}\"", onlyDead);

        var bad = await client.GetAsync("/staff/messages?status=lost");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("is not a status", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Resending_a_dead_message_delivers_it_once_and_records_who_did_it()
    {
        var to = MailDev.UniqueAddress("resend");
        var dead = await AddAsync(OutboundEmailStatus.Dead, to, 8, "421 try later");
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.Manager);

        var response = await StaffSignIn.PostFormAsync(client, "/staff/messages", new(), $"/staff/messages?handler=Resend&id={dead.Id}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var queued = await ReloadAsync(dead.Id);
        Assert.Equal(OutboundEmailStatus.Pending, queued.Status);
        Assert.Equal(0, queued.Attempts);

        // Pressing Resend again (a second manager, a double click) does not queue it twice.
        var again = await StaffSignIn.PostFormAsync(client, "/staff/messages", new(), $"/staff/messages?handler=Resend&id={dead.Id}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        await app.Services.GetRequiredService<OutboxDispatcher>().DeliverDueAsync(TimeSpan.FromSeconds(30), default);
        Assert.Single(await MailDev.WaitForAsync(to));
        Assert.Equal(OutboundEmailStatus.Sent, (await ReloadAsync(dead.Id)).Status);

        await using var scope = app.Services.CreateAsyncScope();
        var entry = await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEntries.SingleAsync(a => a.Action == "email.resent");
        Assert.Equal("Test Manager", entry.StaffName);
        Assert.Contains("Your visit tomorrow", entry.Details);
    }

    [Fact]
    public async Task Resending_an_unknown_message_is_a_404_and_a_sent_one_a_409()
    {
        var sent = await AddAsync(OutboundEmailStatus.Sent, MailDev.UniqueAddress("sent"), 1);
        var client = await StaffSignIn.ClientAsync(app, StaffRoles.Admin);
        var unknown = await StaffSignIn.PostFormAsync(client, "/staff/messages", new(), $"/staff/messages?handler=Resend&id={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var notDead = await StaffSignIn.PostFormAsync(client, "/staff/messages", new(), $"/staff/messages?handler=Resend&id={sent.Id}");
        Assert.Equal(HttpStatusCode.Conflict, notDead.StatusCode);
        Assert.Equal(OutboundEmailStatus.Sent, (await ReloadAsync(sent.Id)).Status);
    }
}
