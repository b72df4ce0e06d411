using CustomerExperience.Web.Customers;

namespace CustomerExperience.Tests.Customers;

/// <summary>What the search box understands, before any database is involved.</summary>
public class CustomerQueryTests
{
    [Theory]
    [InlineData("1970-05-31")]
    [InlineData("1970-5-31")]
    [InlineData("05/31/1970")]
    [InlineData("5/31/1970")]
    [InlineData(" 05/31/1970 ")]
    public void A_date_of_birth_in_either_format(string text) =>
        Assert.Equal(new CustomerQuery.DateOfBirth(new DateOnly(1970, 5, 31)), CustomerQuery.Parse(text));

    [Theory]
    [InlineData("1970-02-30")]
    [InlineData("02/30/1970")]
    [InlineData("13/01/1970")]
    [InlineData("31.05.1970")]
    [InlineData("5/31/70")]
    [InlineData("1970-13-01")]
    public void Something_shaped_like_a_date_that_is_not_one_gets_a_message(string text)
    {
        var invalid = Assert.IsType<CustomerQuery.Invalid>(CustomerQuery.Parse(text));
        Assert.Contains("YYYY-MM-DD or MM/DD/YYYY", invalid.Message);
    }

    [Theory]
    [InlineData("(212) 555-0101", "2125550101")]
    [InlineData("+1 212 555 0101", "2125550101")]
    [InlineData("212.555.0101", "2125550101")]
    [InlineData("555-0101", "5550101")]
    [InlineData("+44 20 7946 0958", "2079460958")]
    public void A_phone_number_keeps_its_last_ten_digits(string text, string digits) =>
        Assert.Equal(new CustomerQuery.Phone(digits), CustomerQuery.Parse(text));

    [Theory]
    [InlineData("0101")]
    [InlineData("1970")]
    public void Too_few_digits_for_a_phone_number_gets_a_message(string text) =>
        Assert.IsType<CustomerQuery.Invalid>(CustomerQuery.Parse(text));

    [Fact]
    public void An_email_is_lower_cased() =>
        Assert.Equal(new CustomerQuery.Email("jo@example.com"), CustomerQuery.Parse(" Jo@Example.COM "));

    [Fact]
    public void A_name_is_split_into_words()
    {
        var name = Assert.IsType<CustomerQuery.Name>(CustomerQuery.Parse("Garcia,  María"));
        Assert.Equal(["Garcia", "María"], name.Words);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Nothing_typed_searches_nothing(string? text) => Assert.IsType<CustomerQuery.None>(CustomerQuery.Parse(text));

    [Theory]
    [InlineData("a")]
    [InlineData("line\nbreak")]
    public void Too_little_or_control_characters_get_a_message(string text) =>
        Assert.IsType<CustomerQuery.Invalid>(CustomerQuery.Parse(text));

    [Fact]
    public void Overlong_text_gets_a_message() =>
        Assert.IsType<CustomerQuery.Invalid>(CustomerQuery.Parse(new string('x', CustomerQuery.MaxLength + 1)));
}
