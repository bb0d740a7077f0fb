using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Tests.Conversation;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>Mail the agent must not answer: loops through our own inboxes, auto-replies and bounces. It is still recorded.</summary>
public sealed class AgentSilence_Specs(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private readonly AgentScenario _scenario = new(fixture);

    public static TheoryData<string, string?, string?> AutomaticMail => new()
    {
        { "jane.doe@example.com", "Auto-Submitted", "auto-replied" },
        { "jane.doe@example.com", "Auto-Submitted", "auto-generated" },
        { "jane.doe@example.com", "Precedence", "bulk" },
        { "jane.doe@example.com", "Precedence", "list" },
        { "jane.doe@example.com", "Precedence", "Junk" },
        { "jane.doe@example.com", "Precedence", "auto_reply" },
        { "jane.doe@example.com", "X-Autoreply", "yes" },
        { "jane.doe@example.com", "X-Autorespond", "yes" },
        { "jane.doe@example.com", "List-Id", "Shop friends <friends.shop.example>" },
        { "Shop News <news@shop.example>", "List-Id", "<news.shop.example>" },
        { "Shop News <news@shop.example>", "List-Unsubscribe", "<https://shop.example/unsubscribe?u=1>, <mailto:unsubscribe@shop.example>" },
        { "MAILER-DAEMON@mx.example.com", null, null },
        { "Mail Delivery System <mailer-daemon@example.com>", null, null },
        { "postmaster@example.com", null, null },
        { "noreply@shop.example", null, null },
        { "Shop <No-Reply@shop.example>", null, null },
        { "donotreply@shop.example", null, null },
        { "do-not-reply@shop.example", null, null },
        { "noreply+orders@shop.example", null, null },
    };

    [Theory]
    [MemberData(nameof(AutomaticMail))]
    public async Task When_the_mail_is_automatic_Should_record_it_and_write_no_reply_nor_hand_it_off(string from, string? header, string? value)
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var routed = WithHeader(ConversationScenario.Routed(orderId, from), header, value);

        await _scenario.DeliverAsync(routed);

        Assert.Empty(_scenario.ReplyFiles(orderId));
        Assert.True(await IsRecordedAsync(routed), "The message should still be in the conversation.");
        Assert.False(await IsHandedOffAsync(routed), "Automatic mail should not be handed to a person.");
    }

    [Fact]
    public async Task When_auto_submitted_is_no_Should_answer()
    {
        var orderId = await _scenario.PlaceOrderAsync();

        await _scenario.DeliverAsync(ConversationScenario.Routed(orderId) with { AutoSubmitted = "no" });

        Assert.Single(_scenario.ReplyFiles(orderId));
    }

    [Fact]
    public async Task When_the_sender_is_the_receiving_inbox_Should_write_no_reply()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var routed = ConversationScenario.Routed(orderId, "Orders <Jane.Orders@agentmail.to>") with { InboxId = "jane.orders@agentmail.to" };

        await _scenario.DeliverAsync(routed);

        Assert.Empty(_scenario.ReplyFiles(orderId));
    }

    [Fact]
    public async Task When_the_sender_is_another_of_our_inboxes_Should_write_no_reply()
    {
        var otherOrder = await _scenario.PlaceOrderAsync("john@example.com");
        await SetReplyAddressAsync(otherOrder, "john.orders@agentmail.to");
        var orderId = await _scenario.PlaceOrderAsync();

        await _scenario.DeliverAsync(ConversationScenario.Routed(orderId, "john.orders@agentmail.to"));

        Assert.Empty(_scenario.ReplyFiles(orderId));
    }

    private async Task SetReplyAddressAsync(Guid orderId, string address)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "update orders.orders set reply_address = @Address, inbox_id = @Address, provisioning_state = 'ready' where id = @OrderId",
            new { Address = address, OrderId = orderId });
    }

    private static InboundMessageRouted WithHeader(InboundMessageRouted message, string? header, string? value) => header switch
    {
        null => message,
        "Auto-Submitted" => message with { AutoSubmitted = value },
        "Precedence" => message with { Precedence = value },
        "X-Autoreply" => message with { XAutoreply = value },
        "X-Autorespond" => message with { XAutorespond = value },
        "List-Id" => message with { ListId = value },
        "List-Unsubscribe" => message with { ListUnsubscribe = value },
        _ => throw new ArgumentOutOfRangeException(nameof(header), header, "No such field on a routed message."),
    };

    private async Task<bool> IsHandedOffAsync(InboundMessageRouted message)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            """
            select exists (
                select 1 from orders.agent_handoffs h join orders.order_messages m on m.id = h.message
                where m.order_id = @OrderId and m.message_id = @MessageId)
            """,
            new { message.OrderId, message.MessageId });
    }

    private async Task<bool> IsRecordedAsync(InboundMessageRouted message)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from orders.order_messages where order_id = @OrderId and message_id = @MessageId)", new { message.OrderId, message.MessageId });
    }
}
