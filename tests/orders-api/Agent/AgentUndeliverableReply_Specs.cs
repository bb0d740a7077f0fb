using System.Text.Json;
using Dapper;
using MassTransit;
using OrdersMail.Contracts.Inbound;
using OrdersMail.Contracts.Outbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// An agent reply that cannot reach the customer reaches a person instead: the message it answered when it bounced, drew
/// a complaint or was rejected, and each later message of the sender, which AgentMail would refuse to answer. The email
/// turned bounced on the timeline and nothing more, and every later message got a reply AgentMail refused.
/// </summary>
public sealed class AgentUndeliverableReply_Specs(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private readonly AgentScenario _scenario = new(fixture);

    [Theory]
    [InlineData(DeliveryState.Bounced, "Permanent General")]
    [InlineData(DeliveryState.Complained, "abuse")]
    public async Task When_the_reply_bounces_or_draws_a_complaint_Should_hand_off_the_message_it_answered_once(DeliveryState state, string detail)
    {
        var (orderId, question) = await AnsweredAsync();
        var reply = AgentReplyIds.For(orderId, question.MessageId);

        await _scenario.DeliverAsync(
            new DeliveryStateChanged(reply, orderId, EmailProvider.AgentMail, state, DeliveryState.Delivered, detail, DateTimeOffset.UtcNow),
            NewId.NextGuid(),
            NewId.NextGuid());

        var handoff = await ListedAsync(question);
        Assert.Equal(AgentLabels.NeedsReview, handoff.GetProperty("label").GetString());
        Assert.Equal("reply_undeliverable", handoff.GetProperty("reason").GetString());
        Assert.Equal("where_is_my_order", handoff.GetProperty("intent").GetString());
        Assert.True(handoff.GetProperty("answered").GetBoolean());
        Assert.Equal([AgentLabels.NeedsReview], await _scenario.LabelsAsync(question));
    }

    [Fact]
    public async Task When_agentmail_refuses_the_reply_Should_hand_off_the_message_it_answered()
    {
        var (orderId, question) = await AnsweredAsync();
        var reply = AgentReplyIds.For(orderId, question.MessageId);

        await _scenario.DeliverAsync(new OutboundEmailFailed(
            reply, orderId, $"{reply:N}.json", "AgentMail messages.reply answered 403 message_rejected: Recipient is blocked", DateTimeOffset.UtcNow));

        Assert.Equal("reply_undeliverable", (await ListedAsync(question)).GetProperty("reason").GetString());
        Assert.Equal([AgentLabels.NeedsReview], await _scenario.LabelsAsync(question));
    }

    [Fact]
    public async Task When_a_reply_to_the_sender_bounced_and_they_write_again_Should_write_no_reply_and_hand_it_off_as_recipient_blocked()
    {
        var (orderId, question) = await AnsweredAsync();
        await _scenario.DeliverAsync(new DeliveryStateChanged(
            AgentReplyIds.For(orderId, question.MessageId), orderId, EmailProvider.AgentMail, DeliveryState.Bounced, DeliveryState.Sent, "Permanent General", DateTimeOffset.UtcNow));

        var again = ConversationScenario.Routed(orderId, question.From, "Still waiting", "Hello,\n\nwhere is my order?\n\nJane");
        await _scenario.DeliverAsync(again);

        Assert.Single(_scenario.ReplyFiles(orderId));
        var handoff = await ListedAsync(again);
        Assert.Equal(AgentLabels.NeedsReview, handoff.GetProperty("label").GetString());
        Assert.Equal("recipient_blocked", handoff.GetProperty("reason").GetString());
        Assert.False(handoff.GetProperty("answered").GetBoolean());
        Assert.Equal([AgentLabels.NeedsReview], await _scenario.LabelsAsync(again));
    }

    /// <summary>A soft bounce (a full mailbox) and a failure that is not AgentMail's rejection leave the address open.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_a_reply_soft_bounced_or_failed_for_another_reason_Should_still_answer_the_sender(bool softBounce)
    {
        var (orderId, question) = await AnsweredAsync();
        var reply = AgentReplyIds.For(orderId, question.MessageId);
        if (softBounce)
        {
            await _scenario.DeliverAsync(new DeliveryStateChanged(
                reply, orderId, EmailProvider.AgentMail, DeliveryState.Bounced, DeliveryState.Delivered, "Transient MailboxFull", DateTimeOffset.UtcNow));
        }
        else
        {
            await _scenario.DeliverAsync(new OutboundEmailFailed(
                reply, orderId, $"{reply:N}.json", "AgentMail messages.reply answered 404 not_found: Message not found", DateTimeOffset.UtcNow));
        }

        var again = ConversationScenario.Routed(orderId, question.From, "Still waiting", "Hello,\n\nwhere is my order?\n\nJane");
        await _scenario.DeliverAsync(again);

        Assert.Equal(2, _scenario.ReplyFiles(orderId).Count);
        Assert.Empty(await _scenario.LabelsAsync(again));
    }

    // An order of a customer of the spec's own, whose question the agent answered without handing it off.
    private async Task<(Guid OrderId, InboundMessageRouted Question)> AnsweredAsync()
    {
        var address = $"jane-{Guid.NewGuid():N}@example.com";
        var orderId = await _scenario.PlaceOrderAsync(address);
        var question = ConversationScenario.Routed(orderId, $"Jane Doe <{address}>");
        await _scenario.DeliverAsync(question);
        _scenario.ReplyFile(orderId);
        Assert.Empty(await _scenario.LabelsAsync(question));
        return (orderId, question);
    }

    private async Task<JsonElement> ListedAsync(InboundMessageRouted message)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<Guid>(
            "select id from orders.order_messages where order_id = @OrderId and message_id = @MessageId", new { message.OrderId, message.MessageId });
        using var ops = fixture.Api.CreateClient().WithOpsKey();
        return Assert.Single(await HandoffsHttp.AllOpenAsync(ops), h => h.GetProperty("message_id").GetGuid() == id);
    }
}
