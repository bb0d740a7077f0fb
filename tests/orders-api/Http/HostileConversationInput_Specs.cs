using System.Net;
using System.Text;
using System.Text.Json;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.OrdersApi.Tests.Support;
using static OrdersMail.OrdersApi.Tests.Conversation.ConversationHttp;

namespace OrdersMail.OrdersApi.Tests.Http;

/// <summary>
/// The conversation routes under an attack corpus: each PATCH body over the limit or with text PostgreSQL cannot take,
/// and query parameters holding NUL or text that is not UTF-8. Each is a 4xx problem naming what is wrong, never a 500, and the message is unchanged.
/// </summary>
public sealed class HostileConversationInput_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private readonly ConversationScenario _scenario = new(fixture);

    public static TheoryData<string, string, string> BadText => new()
    {
        { "labels", """{"add":["vip","a\u0000b"]}""", "add[1]" },
        { "labels", """{"add":["\ud800"]}""", "add[0]" },
        { "labels", """{"remove":["\u0000"]}""", "remove[0]" },
        { "labels", """{"add":["vip"],"\ud800":1}""", "(property name)" },
        { "read", """{"is_read":true,"note":"\u0000"}""", "note" },
        { "archive", """{"archived":true,"note":"\udfff"}""", "note" },
    };

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task When_a_PATCH_body_holds_NUL_or_a_lone_surrogate_Should_answer_400_naming_it_and_change_nothing(string action, string body, string field)
    {
        var (owner, orderId, id) = await MessageAsync();

        await HostileBodies.AssertNamesAsync(await PatchRawAsync(owner, Message(orderId, id, action), body), field);
        await AssertUnchangedAsync(owner, orderId, id);
    }

    [Theory]
    [InlineData("labels", """{"add":["@"]}""", "add[0]")]
    [InlineData("read", """{"is_read":true,"note":"@"}""", "note")]
    [InlineData("archive", """{"archived":true,"note":"@"}""", "note")]
    public async Task When_a_PATCH_body_is_not_valid_UTF8_Should_answer_400_naming_it_and_change_nothing(string action, string json, string field)
    {
        var (owner, orderId, id) = await MessageAsync();

        var response = await owner.PatchAsync(Message(orderId, id, action), HostileBodies.Json(HostileBodies.WithInvalidUtf8(json, "@")));

        await HostileBodies.AssertNamesAsync(response, field);
        await AssertUnchangedAsync(owner, orderId, id);
    }

    [Theory]
    [InlineData("labels", "add")]
    [InlineData("read", "is_read")]
    [InlineData("archive", "archived")]
    public async Task When_a_PATCH_body_is_over_the_limit_Should_answer_413_naming_it_and_change_nothing(string action, string field)
    {
        var (owner, orderId, id) = await MessageAsync();
        var url = Message(orderId, id, action);

        await HostileBodies.AssertTooLargeAsync(await owner.PatchAsync(url, HostileBodies.Json(Encoding.UTF8.GetBytes(HostileBodies.Oversized(HostileBodies.Limit, field)))));
        await HostileBodies.AssertTooLargeAsync(await owner.PatchAsync(url, HostileBodies.Chunked(HostileBodies.Oversized(2 * HostileBodies.Limit, field))));
        await AssertUnchangedAsync(owner, orderId, id);
    }

    [Theory]
    [InlineData("labels", "body")]
    [InlineData("read", "is_read")]
    [InlineData("archive", "archived")]
    public async Task When_a_PATCH_body_is_nested_too_deep_or_a_huge_number_Should_answer_400_and_change_nothing(string action, string field)
    {
        var (owner, orderId, id) = await MessageAsync();
        var url = Message(orderId, id, action);

        await HostileBodies.AssertNamesAsync(await PatchRawAsync(owner, url, HostileBodies.Nested(10_000)), field);
        await HostileBodies.AssertNamesAsync(await PatchRawAsync(owner, url, $$"""{"{{field}}":1e999999}"""), field == "body" ? "body" : field);
        await AssertUnchangedAsync(owner, orderId, id);
    }

    // ASP.NET decodes an escape that is not UTF-8 to its own text, so %FF reached the filter as the text "%FF".
    [Theory]
    [InlineData("q=refund%00", "q", "NUL")]
    [InlineData("label=%00", "label", "NUL")]
    [InlineData("cursor=%00", "cursor", "NUL")]
    [InlineData("limit=%00", "limit", "NUL")]
    [InlineData("is_read=true%00", "is_read", "NUL")]
    [InlineData("q=%FF%FE", "q", "UTF-8")]
    [InlineData("label=%FF", "label", "UTF-8")]
    [InlineData("q=%ED%A0%80", "q", "UTF-8")]
    [InlineData("Label=x%C3", "label", "UTF-8")]
    [InlineData("cursor=%FF", "cursor", "UTF-8")]
    public async Task When_a_list_parameter_holds_NUL_or_is_not_valid_UTF8_Should_answer_400_naming_it(string query, string parameter, string said)
    {
        var (owner, orderId, _) = await MessageAsync();

        var problem = await HostileBodies.AssertNamesAsync(await owner.GetAsync(Messages(orderId, "?" + query)), parameter);

        Assert.Contains(parameter, problem, StringComparison.Ordinal);
        Assert.Contains(said, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_label_is_the_text_of_an_escape_Should_find_the_message_labelled_so()
    {
        var (owner, orderId, id) = await MessageAsync();
        await OkAsync(await PatchAsync(owner, Message(orderId, id, "labels"), new { add = Labels("%FF") }));

        JsonElement page = await OkAsync(await owner.GetAsync(Messages(orderId, "?label=%25FF")));

        Assert.Equal([id], page.GetProperty("messages").EnumerateArray().Select(IdOf));
    }

    private async Task<(HttpClient Owner, Guid OrderId, Guid MessageId)> MessageAsync()
    {
        var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        return (owner, orderId, IdOf(await _scenario.DeliverAsync(owner, ConversationScenario.Routed(orderId))));
    }

    private static async Task AssertUnchangedAsync(HttpClient owner, Guid orderId, Guid id)
    {
        JsonElement message = await OkAsync(await owner.GetAsync(Message(orderId, id)));
        Assert.Empty(LabelsOf(message));
        Assert.False(message.GetProperty("is_read").GetBoolean());
        Assert.False(message.GetProperty("archived").GetBoolean());
    }
}
