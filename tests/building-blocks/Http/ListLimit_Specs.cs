using OrdersMail.BuildingBlocks.Http;

namespace OrdersMail.BuildingBlocks.Tests.Http;

/// <summary>A list route's <c>limit</c>: absent is the default, else plain digits from 1 to the most.</summary>
public sealed class ListLimit_Specs
{
    [Theory]
    [InlineData(null, 20)]
    [InlineData("1", 1)]
    [InlineData("100", 100)]
    [InlineData("007", 7)]
    public void Should_read_an_absent_or_whole_number_limit_in_range(string? text, int expected)
    {
        Assert.True(ListLimit.TryRead(text, 20, 100, out var limit));
        Assert.Equal(expected, limit);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("5.0")]
    [InlineData("ten")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public void Should_refuse_anything_else(string text) => Assert.False(ListLimit.TryRead(text, 20, 100, out _));

    [Fact]
    public void Should_say_what_a_limit_must_be() => Assert.Equal("must be a whole number from 1 to 500", ListLimit.Rule(500));
}
