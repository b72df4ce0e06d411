using CustomerExperience.Web.Delays;
using CustomerExperience.Web.Domain;

namespace CustomerExperience.Tests.Delays;

public class DelayRulesTests
{
    private static readonly Location NewYork = new()
    {
        Slug = "ny", Name = "NY", AddressLine = "1 St", City = "New York", Region = "NY", PostalCode = "10001",
        TimeZoneId = "America/New_York", Phone = "1",
    };

    private static Delay At(int minutes, Guid? resourceId = null, DateTimeOffset? updated = null) => new()
    {
        Id = Guid.NewGuid(), Minutes = minutes, ResourceId = resourceId, PostedById = "x", PostedBy = "x",
        UpdatedAt = updated ?? DateTimeOffset.UnixEpoch,
    };

    [Theory]
    [InlineData("5", 5)]
    [InlineData(" 240 ", 240)]
    [InlineData("0", null)]
    [InlineData("4", null)]
    [InlineData("241", null)]
    [InlineData("1000", null)]
    [InlineData("-15", null)]
    [InlineData("15.5", null)]
    [InlineData("ten", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Minutes_are_whole_numbers_from_5_to_240(string? text, int? expected)
    {
        var (minutes, error) = DelayRules.ParseMinutes(text);
        Assert.Equal(expected, minutes);
        Assert.Equal(expected is null, error is not null);
    }

    [Fact]
    public void A_message_is_one_line_of_at_most_300_characters_and_blank_means_none()
    {
        var blank = DelayRules.CleanMessage("   ");
        Assert.Null(blank.Message);
        Assert.Null(blank.Error);
        Assert.Equal("The scanner is restarting.", DelayRules.CleanMessage("  The scanner is restarting. ").Message);
        Assert.NotNull(DelayRules.CleanMessage(new string('a', 301)).Error);
        Assert.Equal(new string('a', 300), DelayRules.CleanMessage(new string('a', 300)).Message);
        Assert.NotNull(DelayRules.CleanMessage("Sorry\r\nBcc: everyone@example.com").Error);
        Assert.NotNull(DelayRules.CleanMessage("Sorry\nfor the wait").Error);
        Assert.NotNull(DelayRules.CleanMessage("tab\there").Error);
    }

    [Fact]
    public void A_visit_is_subject_to_the_larger_of_the_location_delay_and_its_own_resource_delay()
    {
        Guid room1 = Guid.NewGuid(), room2 = Guid.NewGuid();
        var location = At(15);
        var first = At(30, room1);
        var second = At(10, room2);
        Delay[] current = [location, first, second];

        Assert.Same(first, DelayRules.Applying(current, room1));
        Assert.Same(location, DelayRules.Applying(current, room2));
        Assert.Same(location, DelayRules.Applying(current, Guid.NewGuid()));
        Assert.Same(second, DelayRules.Applying([second], room2));
        Assert.Null(DelayRules.Applying([second], room1));
        // A tie goes to the resource's own delay, the more specific.
        var tie = At(15, room2);
        Assert.Same(tie, DelayRules.Applying([location, tie], room2));
    }

    [Fact]
    public void A_delay_stops_applying_at_the_end_of_the_local_day_it_was_last_changed()
    {
        // 23:30 in New York on 2 December is 04:30Z on the 3rd.
        var lateEvening = new DateTimeOffset(2026, 12, 3, 4, 30, 0, TimeSpan.Zero);
        var delay = At(15, updated: lateEvening);
        Assert.True(DelayRules.IsCurrent(delay, NewYork, lateEvening.AddMinutes(29)));
        Assert.False(DelayRules.IsCurrent(delay, NewYork, lateEvening.AddMinutes(30)));
        delay.ClearedAt = lateEvening.AddMinutes(5);
        Assert.False(DelayRules.IsCurrent(delay, NewYork, lateEvening.AddMinutes(10)));
    }
}
