using CustomerExperience.Web.Setup;

namespace CustomerExperience.Tests.Setup;

public class ReminderOffsetsTests
{
    [Theory]
    [InlineData("2 days, 2 hours", new[] { 2880, 120 })]
    [InlineData("2880, 120", new[] { 2880, 120 })]
    [InlineData("120; 1 week ;1 day", new[] { 10080, 1440, 120 })]
    [InlineData("90 min, 1h", new[] { 90, 60 })]
    [InlineData("", new int[0])]
    [InlineData(" , ", new int[0])]
    public void Reads_units_and_plain_minutes_longest_first(string text, int[] minutes)
    {
        var (parsed, problem) = ReminderOffsets.Parse(text);
        Assert.Null(problem);
        Assert.Equal(minutes, parsed);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-2 hours")]
    [InlineData("0")]
    [InlineData("61 days")]
    [InlineData("1 day, 24 hours")]
    [InlineData("1, 2, 3, 4, 5, 6")]
    [InlineData("2.5 hours")]
    public void Refuses_what_is_not_a_time_before_the_visit(string text)
    {
        var (parsed, problem) = ReminderOffsets.Parse(text);
        Assert.NotNull(problem);
        Assert.Empty(parsed);
    }

    [Fact]
    public void Writes_the_largest_whole_unit_and_reads_back_the_same()
    {
        var text = ReminderOffsets.Format([10080, 1440, 120, 90]);
        Assert.Equal("7 days, 1 day, 2 hours, 90 minutes", text);
        Assert.Equal([10080, 1440, 120, 90], ReminderOffsets.Parse(text).Minutes);
    }
}
