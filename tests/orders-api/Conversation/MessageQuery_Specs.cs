using Microsoft.AspNetCore.Http;
using System.Security.Cryptography;
using OrdersMail.OrdersApi.Conversation;
using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Tests.Conversation;

public sealed class MessageQuery_Specs
{
    private static readonly PageCursors Cursors = new(RandomNumberGenerator.GetBytes(32));
    private static readonly CursorScope Scope = CursorScope.Messages(Guid.NewGuid(), "user_1");

    [Fact]
    public void When_nothing_is_asked_Should_be_the_first_page_of_50_unarchived_messages_of_any_kind()
    {
        Assert.True(MessageQuery.TryParse(Query(), Cursors, Scope, out var query, out _));

        Assert.Equal(new MessageQuery(50, null, null, null, null, IncludeArchived: false, VerifiedOnly: false), query);
    }

    [Fact]
    public void When_every_filter_is_given_Should_read_each()
    {
        var cursor = new PagePosition(new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc), Guid.NewGuid());

        Assert.True(MessageQuery.TryParse(
            Query(("limit", "100"), ("cursor", Cursors.Write(cursor, Scope)), ("q", "Refund"), ("label", "vip"), ("is_read", "False"), ("include_archived", "true"), ("verified_only", "TRUE")),
            Cursors,
            Scope,
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
        Assert.True(MessageQuery.TryParse(Query(("limit", limit)), Cursors, Scope, out var query, out _));
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
    [InlineData("q", "refund\0")]
    [InlineData("label", "\0")]
    [InlineData("cursor", "\0")]
    public void When_a_parameter_is_present_but_meaningless_Should_name_it(string name, string value) => AssertRejected(name, (name, value));

    [Fact]
    public void When_a_parameter_is_given_twice_Should_name_it()
    {
        Assert.False(MessageQuery.TryParse(Request(new QueryString("?limit=1&limit=2")), Cursors, Scope, out _, out var errors));
        Assert.Contains("at most once", Assert.Single(errors["limit"]), StringComparison.Ordinal);
    }

    private static void AssertRejected(string name, params (string Name, string Value)[] parameters)
    {
        Assert.False(MessageQuery.TryParse(Query(parameters), Cursors, Scope, out var query, out var errors));
        Assert.Null(query);
        Assert.Equal([name], errors.Keys);
    }

    [Fact]
    public void When_q_holds_NUL_Should_say_PostgreSQL_cannot_search_for_it()
    {
        Assert.False(MessageQuery.TryParse(Query(("q", "a\0b")), Cursors, Scope, out _, out var errors));
        Assert.Contains("NUL", Assert.Single(errors["q"]), StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_cursor_is_another_orders_Should_name_cursor() =>
        AssertRejected("cursor", ("cursor", Cursors.Write(new PagePosition(DateTime.UtcNow, Guid.NewGuid()), CursorScope.Messages(Guid.NewGuid(), "user_1"))));

    // Every parameter the OpenAPI document lists is one TryParse reads: text it cannot take is refused under its name.
    [Fact]
    public void When_a_documented_parameter_is_not_valid_UTF8_Should_name_it()
    {
        Assert.All(MessageQuery.Parameters, parameter =>
        {
            Assert.False(MessageQuery.TryParse(Request(new QueryString($"?{parameter.Name}=%FF")), Cursors, Scope, out _, out var errors));
            Assert.Contains("UTF-8", Assert.Single(errors[parameter.Name]), StringComparison.Ordinal);
        });
    }

    private static HttpRequest Query(params (string Name, string Value)[] parameters) =>
        Request(QueryString.Create(parameters.Select(p => KeyValuePair.Create(p.Name, (string?)p.Value))));

    private static HttpRequest Request(QueryString query) => new DefaultHttpContext { Request = { QueryString = query } }.Request;
}
