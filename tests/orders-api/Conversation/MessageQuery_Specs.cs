using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using OrdersMail.OrdersApi.Conversation;

namespace OrdersMail.OrdersApi.Tests.Conversation;

public sealed class MessageQuery_Specs
{
    [Fact]
    public void When_nothing_is_asked_Should_be_the_first_page_of_50_unarchived_messages_of_any_kind()
    {
        Assert.True(MessageQuery.TryParse(Query(), out var query, out _));

        Assert.Equal(new MessageQuery(50, null, null, null, null, IncludeArchived: false, VerifiedOnly: false), query);
    }

    [Fact]
    public void When_every_filter_is_given_Should_read_each()
    {
        var cursor = new MessageCursor(new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc), Guid.NewGuid());

        Assert.True(MessageQuery.TryParse(
            Query(("limit", "100"), ("cursor", cursor.Encode()), ("q", "Refund"), ("label", "vip"), ("is_read", "False"), ("include_archived", "true"), ("verified_only", "TRUE")),
            out var query,
            out _));

        Assert.Equal(new MessageQuery(100, cursor, "Refund", "vip", false, IncludeArchived: true, VerifiedOnly: true), query);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("ten")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public void When_limit_is_not_1_to_100_Should_name_limit(string limit) => AssertRejected("limit", ("limit", limit));

    [Theory]
    [InlineData("1")]
    [InlineData("100")]
    public void When_limit_is_at_a_bound_Should_be_accepted(string limit)
    {
        Assert.True(MessageQuery.TryParse(Query(("limit", limit)), out var query, out _));
        Assert.Equal(int.Parse(limit, System.Globalization.CultureInfo.InvariantCulture), query.Limit);
    }

    [Theory]
    [InlineData("q", "")]
    [InlineData("q", "   ")]
    [InlineData("label", "")]
    [InlineData("is_read", "yes")]
    [InlineData("is_read", "")]
    [InlineData("include_archived", "1")]
    [InlineData("verified_only", "maybe")]
    [InlineData("cursor", "bogus")]
    public void When_a_parameter_is_present_but_meaningless_Should_name_it(string name, string value) => AssertRejected(name, (name, value));

    [Fact]
    public void When_a_parameter_is_given_twice_Should_name_it()
    {
        Assert.False(MessageQuery.TryParse(new QueryCollection(new Dictionary<string, StringValues> { ["limit"] = new(["1", "2"]) }), out _, out var errors));
        Assert.Contains("at most once", Assert.Single(errors["limit"]), StringComparison.Ordinal);
    }

    private static void AssertRejected(string name, params (string Name, string Value)[] parameters)
    {
        Assert.False(MessageQuery.TryParse(Query(parameters), out var query, out var errors));
        Assert.Null(query);
        Assert.Equal([name], errors.Keys);
    }

    private static QueryCollection Query(params (string Name, string Value)[] parameters) =>
        new(parameters.ToDictionary(p => p.Name, p => new StringValues(p.Value)));
}
