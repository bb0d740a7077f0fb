using System.Net;
using System.Text.Json;
using OrdersMail.OrdersApi.Tests.Support;
using static OrdersMail.OrdersApi.Tests.Conversation.ConversationHttp;

namespace OrdersMail.OrdersApi.Tests.Conversation;

/// <summary>Read state, archiving, and the unread count built on both.</summary>
public sealed class MessageReadAndArchive_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private readonly ConversationScenario _scenario = new(fixture);

    [Fact]
    public async Task When_a_message_is_marked_read_then_unread_Should_answer_it_in_that_state_each_time()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var id = IdOf(await _scenario.DeliverAsync(owner, ConversationScenario.Routed(orderId)));

        var read = await OkAsync(await PatchAsync(owner, Message(orderId, id, "read"), new { is_read = true }));
        var readAgain = await OkAsync(await PatchAsync(owner, Message(orderId, id, "read"), new { is_read = true }));
        var unread = await OkAsync(await PatchAsync(owner, Message(orderId, id, "read"), new { is_read = false }));

        Assert.True(read.GetProperty("is_read").GetBoolean());
        Assert.True(readAgain.GetProperty("is_read").GetBoolean());
        Assert.False(unread.GetProperty("is_read").GetBoolean());
        Assert.False((await OkAsync(await owner.GetAsync(Message(orderId, id)))).GetProperty("is_read").GetBoolean());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"is_read":"true"}""")]
    [InlineData("""{"is_read":1}""")]
    [InlineData("""{"is_read":null}""")]
    [InlineData("[true]")]
    [InlineData("")]
    public async Task When_is_read_is_missing_or_not_a_boolean_Should_answer_400_naming_it(string body)
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var id = IdOf(await _scenario.DeliverAsync(owner, ConversationScenario.Routed(orderId)));

        await InvalidAsync(await PatchRawAsync(owner, Message(orderId, id, "read"), body), "is_read");
    }

    [Fact]
    public async Task When_counting_unread_Should_leave_out_read_and_archived_messages()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        Assert.Equal(0, await UnreadCountAsync(owner, orderId));
        var messages = await _scenario.DeliverAsync(owner, orderId, [.. Enumerable.Range(0, 4).Select(i => ConversationScenario.Routed(orderId, receivedAt: ConversationScenario.Start.AddMinutes(i)))]);
        Assert.Equal(4, await UnreadCountAsync(owner, orderId));

        await OkAsync(await PatchAsync(owner, Message(orderId, IdOf(messages[0]), "read"), new { is_read = true }));
        await OkAsync(await PatchAsync(owner, Message(orderId, IdOf(messages[1]), "archive"), new { archived = true }));

        Assert.Equal(2, await UnreadCountAsync(owner, orderId));
    }

    [Fact]
    public async Task When_archiving_twice_Should_answer_409_the_second_time_and_likewise_unarchiving()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var url = Message(orderId, IdOf(await _scenario.DeliverAsync(owner, ConversationScenario.Routed(orderId))), "archive");

        await ProblemAsync(await PatchAsync(owner, url, new { archived = false }), HttpStatusCode.Conflict);
        Assert.True((await OkAsync(await PatchAsync(owner, url, new { archived = true }))).GetProperty("archived").GetBoolean());
        var conflict = await ProblemAsync(await PatchAsync(owner, url, new { archived = true }), HttpStatusCode.Conflict);
        Assert.Contains("already archived", conflict.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.False((await OkAsync(await PatchAsync(owner, url, new { archived = false }))).GetProperty("archived").GetBoolean());
        await ProblemAsync(await PatchAsync(owner, url, new { archived = false }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task When_two_requests_archive_at_once_Should_apply_one_and_refuse_the_other()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var url = Message(orderId, IdOf(await _scenario.DeliverAsync(owner, ConversationScenario.Routed(orderId))), "archive");

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PatchAsync(owner, url, new { archived = true })));

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict],
            answers.Select(a => a.StatusCode).Order());
    }

    [Fact]
    public async Task When_archived_is_missing_or_not_a_boolean_Should_answer_400_naming_it()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var url = Message(orderId, IdOf(await _scenario.DeliverAsync(owner, ConversationScenario.Routed(orderId))), "archive");

        await InvalidAsync(await PatchRawAsync(owner, url, """{"archived":"yes"}"""), "archived");
        await InvalidAsync(await PatchRawAsync(owner, url, "{}"), "archived");
    }

    private static async Task<int> UnreadCountAsync(HttpClient owner, Guid orderId)
    {
        JsonElement count = await OkAsync(await owner.GetAsync(Messages(orderId, "/unread-count")));
        return count.GetProperty("unread_count").GetInt32();
    }
}
