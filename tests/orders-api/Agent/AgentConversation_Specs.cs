using Dapper;
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
    public async Task When_the_reply_was_sent_before_its_entry_was_added_Should_give_the_entry_the_message_id_it_was_sent_under()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId);
        var emailId = AgentReplyIds.For(orderId, routed.MessageId);
        var delivery = NewId.NextGuid();
        await _scenario.DeliverAsync(routed, delivery);

        // A run that wrote the file and died before its commit: the reply is sent, and its OutboundEmailSent consumed,
        // while its claim is unwritten and its entry not there; the redelivery then adds the entry.
        await using (var connection = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                update orders.agent_replies set written_at = null, composer = null where order_id = @OrderId;
                delete from orders.order_messages where email_id is not null and order_id = @OrderId;
                """,
                new { OrderId = orderId });
        }

        var sent = SentAs(emailId, orderId, "<reply-early@agentmail.to>");
        await _scenario.DeliverAsync(sent);
        await _scenario.DeliverAsync(sent);
        await _scenario.DeliverAsync(routed, delivery);

        Assert.Equal((emailId, "<reply-early@agentmail.to>"), await OutboundEntryAsync(owner, orderId));
    }

    [Fact]
    public async Task When_the_reply_is_sent_while_its_entry_is_being_added_Should_give_the_entry_the_message_id_it_was_sent_under()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId);
        var emailId = AgentReplyIds.For(orderId, routed.MessageId);
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await using var holding = await connection.BeginTransactionAsync();

        // An uncommitted row under the entry's provisional Message-ID holds the writer's transaction after its file is
        // written, before its commit: the moment the relay sends the file and reports it.
        await connection.ExecuteAsync(
            """
            insert into orders.order_messages (order_id, message_id, direction, from_address, subject, preview, body, sender_verified, received_at)
            values (@OrderId, @Provisional, 'outbound', 'holder@test', '', '', '', false, now())
            """,
            new { OrderId = orderId, Provisional = $"<{emailId:N}@outbox.ordersmail.invalid>" },
            holding);
        var answered = _scenario.DeliverAsync(routed);
        await Eventually.Until(() => Task.FromResult(_scenario.ReplyFiles(orderId).Count), files => files == 1, Timeout, "the reply's file");
        var reported = _scenario.DeliverAsync(SentAs(emailId, orderId, "<reply-racing@agentmail.to>"));
        await Eventually.Until(
            async () => reported.IsCompleted || await WaitsForTheClaimAsync(),
            done => done,
            Timeout,
            "OutboundEmailSent to be consumed, or to wait for the reply's claim");
        await holding.RollbackAsync();
        await Task.WhenAll(answered, reported);

        Assert.Equal((emailId, "<reply-racing@agentmail.to>"), await OutboundEntryAsync(owner, orderId));
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

    private async Task<bool> WaitsForTheClaimAsync()
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            """
            select exists (select 1 from pg_stat_activity
                           where datname = current_database() and wait_event_type = 'Lock' and query like '%update agent_replies set sent_message_id%')
            """);
    }

    private static OutboundEmailSent SentAs(Guid emailId, Guid orderId, string internetMessageId) =>
        new(emailId, orderId, EmailProvider.AgentMail, $"am_{Guid.NewGuid():N}", DateTimeOffset.UtcNow, internetMessageId);

    // The email id and the Message-ID of the order's one outbound entry.
    private static async Task<(Guid EmailId, string? MessageId)> OutboundEntryAsync(HttpClient owner, Guid orderId)
    {
        var reply = Assert.Single(await ConversationScenario.AllMessagesAsync(owner, orderId), m => m.GetProperty("direction").GetString() == "outbound");
        return (reply.GetProperty("email_id").GetGuid(), reply.GetProperty("message_id").GetString());
    }
}
