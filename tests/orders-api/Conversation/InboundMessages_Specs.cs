using Dapper;
using MassTransit;
using OrdersMail.BuildingBlocks.Messaging;
using OrdersMail.OrdersApi.Tests.Support;
using static OrdersMail.OrdersApi.Tests.Conversation.ConversationHttp;

namespace OrdersMail.OrdersApi.Tests.Conversation;

/// <summary>Routed inbound emails, published over the real broker, becoming messages of their order's conversation.</summary>
public sealed class InboundMessages_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    private readonly ConversationScenario _scenario = new(fixture);

    [Fact]
    public async Task When_a_routed_message_arrives_Should_be_in_its_orders_conversation_unread_and_unlabelled()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId, subject: "Where is my order?", text: "Hello,\r\n\r\n   when will my   order arrive?\n\nJane");

        var listed = await _scenario.DeliverAsync(owner, routed);

        Assert.Equal(routed.MessageId, listed.GetProperty("message_id").GetString());
        Assert.Equal("thread_1", listed.GetProperty("thread_id").GetString());
        Assert.Equal("inbound", listed.GetProperty("direction").GetString());
        Assert.Equal("Jane Doe <jane.doe@example.com>", listed.GetProperty("from").GetString());
        Assert.Equal("Where is my order?", listed.GetProperty("subject").GetString());
        Assert.Equal("Hello, when will my order arrive? Jane", listed.GetProperty("preview").GetString());
        Assert.True(listed.GetProperty("sender_verified").GetBoolean());
        Assert.Empty(LabelsOf(listed));
        Assert.False(listed.GetProperty("is_read").GetBoolean());
        Assert.False(listed.GetProperty("archived").GetBoolean());
        Assert.Equal(routed.ReceivedAt, listed.GetProperty("received_at").GetDateTimeOffset());
        Assert.False(listed.TryGetProperty("body", out _), "A listing carries previews, not bodies.");
    }

    [Fact]
    public async Task When_the_same_message_is_published_twice_Should_be_one_message()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId);
        await _scenario.PublishAndWaitAsync(routed, NewId.NextGuid(), NewId.NextGuid());

        Assert.Single(await ConversationScenario.AllMessagesAsync(owner, orderId));
        Assert.Equal(1, await CountMessagesAsync(routed.MessageId));
    }

    [Fact]
    public async Task When_one_publish_is_delivered_twice_Should_be_one_message()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId);
        var delivery = NewId.NextGuid();

        await _scenario.PublishAndWaitAsync(routed, delivery, delivery);

        Assert.Single(await ConversationScenario.AllMessagesAsync(owner, orderId));
        Assert.Equal(1, await ProcessedCountAsync(delivery));
    }

    [Theory]
    [InlineData("jane.doe@example.com")]
    [InlineData("JANE.DOE@EXAMPLE.COM")]
    [InlineData("Jane Doe <Jane.Doe@Example.com>")]
    [InlineData("\"Doe, Jane\" <jane.doe@example.com>")]
    public async Task When_the_sender_is_the_orders_address_Should_be_verified(string from)
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner, "jane.doe@example.com");

        var listed = await _scenario.DeliverAsync(owner, ConversationScenario.Routed(orderId, from));

        Assert.True(listed.GetProperty("sender_verified").GetBoolean());
    }

    [Theory]
    [InlineData("john.doe@example.com")]
    [InlineData("\"jane.doe@example.com\" <mallory@attacker.test>")]
    [InlineData("jane.doe@example.com.attacker.test")]
    public async Task When_the_sender_is_another_address_Should_not_be_verified(string from)
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner, "jane.doe@example.com");

        var listed = await _scenario.DeliverAsync(owner, ConversationScenario.Routed(orderId, from));

        Assert.False(listed.GetProperty("sender_verified").GetBoolean());
    }

    [Fact]
    public async Task When_the_order_does_not_exist_Should_ignore_the_message_without_faulting()
    {
        var routed = ConversationScenario.Routed(Guid.NewGuid());
        var delivery = NewId.NextGuid();

        await _scenario.PublishAndWaitAsync(routed, delivery);

        Assert.Equal(0, await CountMessagesAsync(routed.MessageId));
        Assert.Equal(1, await ProcessedCountAsync(delivery));
        var errors = await fixture.Infrastructure.Management.GetQueueAsync(fixture.Infrastructure.VirtualHost, "orders-api-conversation_error");
        Assert.True(errors is null or { Messages: null or 0 }, $"The message went to the error queue: {errors}");
    }

    /// <summary>A router before the bound sent a text of any length: it is stored cut to the bound and marked, its new words too.</summary>
    [Fact]
    public async Task When_the_text_is_past_the_bound_Should_store_it_cut_and_marked()
    {
        using var owner = await _scenario.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var text = string.Concat(Enumerable.Repeat("Where is my order? ", 60_000));
        var routed = ConversationScenario.Routed(orderId, text: text) with { NewText = text[..^1] };

        await _scenario.PublishAndWaitAsync(routed, NewId.NextGuid());

        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        var (body, newText) = await connection.QuerySingleAsync<(string Body, string NewText)>(
            "select body, new_text from orders.order_messages where message_id = @MessageId", new { routed.MessageId });
        Assert.Equal(text[..(InboundText.MaxLength - InboundText.CutMarker.Length)] + InboundText.CutMarker, body);
        Assert.Equal(InboundText.MaxLength, newText.Length);
        Assert.EndsWith(InboundText.CutMarker, newText, StringComparison.Ordinal);
    }

    private async Task<int> ProcessedCountAsync(Guid delivery)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(
            "select count(*) from orders.processed_messages where consumer = 'conversation' and message_id = @Delivery", new { Delivery = delivery });
    }

    private async Task<int> CountMessagesAsync(string messageId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*) from orders.order_messages where message_id = @MessageId", new { MessageId = messageId });
    }
}
