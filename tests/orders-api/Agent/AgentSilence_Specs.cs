using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Tests.Conversation;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>Mail the agent must not answer: loops through our own inboxes, auto-replies and bounces. It is still recorded.</summary>
public sealed class AgentSilence_Specs(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private readonly AgentScenario _scenario = new(fixture);

    public static TheoryData<string, string?, string?, string?> AutomaticMail => new()
    {
        { "jane.doe@example.com", "auto-replied", null, null },
        { "jane.doe@example.com", "auto-generated", null, null },
        { "jane.doe@example.com", null, "bulk", null },
        { "jane.doe@example.com", null, "list", null },
        { "jane.doe@example.com", null, "Junk", null },
        { "jane.doe@example.com", null, null, "yes" },
        { "MAILER-DAEMON@mx.example.com", null, null, null },
        { "Mail Delivery System <mailer-daemon@example.com>", null, null, null },
        { "postmaster@example.com", null, null, null },
    };

    [Theory]
    [MemberData(nameof(AutomaticMail))]
    public async Task When_the_mail_is_automatic_Should_record_it_and_write_no_reply(string from, string? autoSubmitted, string? precedence, string? xAutoreply)
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var routed = ConversationScenario.Routed(orderId, from) with { AutoSubmitted = autoSubmitted, Precedence = precedence, XAutoreply = xAutoreply };

        await _scenario.DeliverAsync(routed);

        Assert.Empty(_scenario.ReplyFiles(orderId));
        Assert.True(await IsRecordedAsync(routed), "The message should still be in the conversation.");
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

    private async Task<bool> IsRecordedAsync(InboundMessageRouted message)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from orders.order_messages where order_id = @OrderId and message_id = @MessageId)", new { message.OrderId, message.MessageId });
    }
}
