using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.Contracts.Outbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>The agent's reply in the order's conversation: an outbound entry beside the message it answers, through the conversation API.</summary>
public sealed class AgentConversation_Specs(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly AgentScenario _scenario = new(fixture);

    [Fact]
    public async Task When_the_agent_replies_Should_show_the_reply_as_an_outbound_entry_that_takes_its_message_id_once_sent()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId);
        var emailId = AgentReplyIds.For(orderId, routed.MessageId);

        await _scenario.DeliverAsync(routed);

        var messages = await ConversationScenario.AllMessagesAsync(owner, orderId);
        Assert.Equal(["inbound", "outbound"], messages.Select(m => m.GetProperty("direction").GetString()));
        var reply = messages[1];
        var file = _scenario.ReplyFile(orderId);
        Assert.Equal(emailId, reply.GetProperty("email_id").GetGuid());
        Assert.Equal(routed.ThreadId, reply.GetProperty("thread_id").GetString());
        Assert.Equal(routed.InboxId, reply.GetProperty("from").GetString());
        Assert.Equal(file.GetProperty("subject").GetString(), reply.GetProperty("subject").GetString());
        Assert.True(reply.GetProperty("is_read").GetBoolean());
        Assert.False(messages[0].TryGetProperty("email_id", out _));
        var whole = await ConversationHttp.OkAsync(await owner.GetAsync(ConversationHttp.Message(orderId, ConversationHttp.IdOf(reply))));
        Assert.Equal(file.GetProperty("body").GetString(), whole.GetProperty("body").GetString());

        await fixture.Api.Services.GetRequiredService<IBus>().Publish(
            new OutboundEmailSent(emailId, orderId, EmailProvider.AgentMail, "am_sent_1", DateTimeOffset.UtcNow, "<reply-1@agentmail.to>"));

        var sent = await Eventually.Until(
            () => ConversationScenario.AllMessagesAsync(owner, orderId),
            listed => listed.Any(m => m.GetProperty("message_id").GetString() == "<reply-1@agentmail.to>"),
            Timeout,
            "the reply to take the Message-ID it was sent under");
        Assert.Equal(2, sent.Count);
        Assert.Equal(emailId, sent.Single(m => m.GetProperty("direction").GetString() == "outbound").GetProperty("email_id").GetGuid());
    }

    [Fact]
    public async Task When_the_message_gets_no_reply_Should_add_no_outbound_entry()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId) with { AutoSubmitted = "auto-replied" };

        await _scenario.DeliverAsync(routed);

        Assert.Equal(["inbound"], (await ConversationScenario.AllMessagesAsync(owner, orderId)).Select(m => m.GetProperty("direction").GetString()));
    }
}
