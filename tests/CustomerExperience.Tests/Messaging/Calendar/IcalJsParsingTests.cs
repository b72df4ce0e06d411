using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Messaging.Calendar;

namespace CustomerExperience.Tests.Messaging.Calendar;

/// <summary>The invites Ical.Net writes, read back by a real parser (ical.js), not by our own assumptions.</summary>
public class IcalJsParsingTests
{
    [Fact]
    public async Task Request_update_and_cancel_parse_with_every_field()
    {
        var description = CalendarInviteTests.Invite().Description;
        var request = await IcalJs.ParseAsync(CalendarInviteTests.Invite(sequence: 0).ToIcs());
        var update = await IcalJs.ParseAsync((CalendarInviteTests.Invite(sequence: 1) with
        {
            Start = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(-5)),
            End = new DateTimeOffset(2026, 12, 3, 10, 30, 0, TimeSpan.FromHours(-5)),
        }).ToIcs());
        var cancel = await IcalJs.ParseAsync(CalendarInviteTests.Invite(CalendarMethod.Cancel, sequence: 2).ToIcs());

        Assert.Equal("REQUEST", request.GetProperty("method").GetString());
        Assert.Equal("2.0", request.GetProperty("version").GetString());
        Assert.Equal(CalendarInvite.ProductId, request.GetProperty("prodid").GetString());
        var first = request.GetProperty("events")[0];
        Assert.Equal(description, first.GetProperty("description").GetString());
        Assert.Equal("2026-12-01T14:00:00.000Z", first.GetProperty("dtstart").GetString());
        Assert.Equal("2026-12-01T14:30:00.000Z", first.GetProperty("dtend").GetString());
        Assert.Equal("CONFIRMED", first.GetProperty("status").GetString());
        Assert.Equal(0, first.GetProperty("sequence").GetInt32());
        Assert.Equal("mailto:appointments@northside-imaging.example", first.GetProperty("organizer").GetString());
        Assert.Equal("Northside Imaging", first.GetProperty("organizerCn").GetString());
        var attendee = first.GetProperty("attendees")[0];
        Assert.Equal("mailto:zoe@example.com", attendee.GetProperty("value").GetString());
        Assert.Equal("Zoë O'Brien-Ångström, Jr.", attendee.GetProperty("cn").GetString());
        Assert.Equal("NEEDS-ACTION", attendee.GetProperty("partstat").GetString());
        Assert.Equal("TRUE", attendee.GetProperty("rsvp").GetString());
        Assert.Equal("-PT120M", first.GetProperty("alarms")[0].GetProperty("trigger").GetString());

        var moved = update.GetProperty("events")[0];
        Assert.Equal(first.GetProperty("uid").GetString(), moved.GetProperty("uid").GetString());
        Assert.Equal(1, moved.GetProperty("sequence").GetInt32());
        Assert.Equal("2026-12-03T15:00:00.000Z", moved.GetProperty("dtstart").GetString());

        Assert.Equal("CANCEL", cancel.GetProperty("method").GetString());
        var cancelled = cancel.GetProperty("events")[0];
        Assert.Equal(first.GetProperty("uid").GetString(), cancelled.GetProperty("uid").GetString());
        Assert.Equal("CANCELLED", cancelled.GetProperty("status").GetString());
        Assert.Equal(2, cancelled.GetProperty("sequence").GetInt32());
        Assert.Equal(0, cancelled.GetProperty("alarms").GetArrayLength());
    }

    [Fact]
    public async Task A_broken_document_is_reported_by_the_parser()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => IcalJs.ParseAsync("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nthis is not a property\r\n"));
    }
}
