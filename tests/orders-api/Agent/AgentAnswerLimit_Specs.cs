using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// The bound on the agent's answers (<c>Agent:AnswerLimit</c>): a customer's auto-responder that answers every reply, with
/// no header saying it is automatic, gets <see cref="LimitedAgentFixture.MaxAnswers"/> replies, then silence, each
/// message after that still recorded and labelled for a person to review; and the senders who are not the order's
/// address get <see cref="LimitedAgentFixture.MaxStrangerAnswers"/> replies on the order together, however many
/// addresses they write from.
/// </summary>
public sealed class AgentAnswerLimit_Specs(LimitedAgentFixture fixture) : IClassFixture<LimitedAgentFixture>
{
    private const string Responder = "Jane Doe <jane.doe@example.com>";

    private readonly AgentScenario _scenario = new(fixture);

    [Fact]
    public async Task When_an_auto_responder_answers_every_reply_Should_answer_it_MaxAnswers_times_then_leave_it_for_review()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var thread = new List<string>();
        var rounds = new List<InboundMessageRouted>();
        for (var round = 0; round < LimitedAgentFixture.MaxAnswers + 2; round++)
        {
            var answer = AutoResponse(orderId, Responder) with { References = [.. thread] };
            await _scenario.DeliverAsync(answer);
            thread.Add(answer.MessageId);
            rounds.Add(answer);
        }

        await _scenario.DeliverAsync(rounds[^1]);

        Assert.Equal(LimitedAgentFixture.MaxAnswers, _scenario.ReplyFiles(orderId).Count);
        foreach (var unanswered in rounds.Skip(LimitedAgentFixture.MaxAnswers))
        {
            Assert.Equal([AgentLabels.NeedsReview], await _scenario.LabelsAsync(unanswered));
        }
    }

    [Fact]
    public async Task When_one_sender_had_every_answer_Should_still_answer_another_on_the_order()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        for (var round = 0; round < LimitedAgentFixture.MaxAnswers + 1; round++)
        {
            await _scenario.DeliverAsync(AutoResponse(orderId, Responder));
        }

        var colleague = ConversationScenario.Routed(orderId, "John Doe <john.doe@example.com>");
        await _scenario.DeliverAsync(colleague);

        Assert.Equal(LimitedAgentFixture.MaxAnswers + 1, _scenario.ReplyFiles(orderId).Count);
        Assert.Single(_scenario.ReplyFiles(orderId), f => f.GetProperty("in_reply_to").GetString() == colleague.MessageId);
    }

    [Fact]
    public async Task When_an_outsider_writes_from_plus_tags_of_one_address_Should_count_them_as_one_sender()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var tagged = Enumerable.Range(1, LimitedAgentFixture.MaxAnswers + 1)
            .Select(tag => ConversationScenario.Routed(orderId, $"Mallory <mallory+{tag}@example.net>"))
            .Append(ConversationScenario.Routed(orderId, "Mallory <Mallory@example.net>"))
            .ToList();
        foreach (var message in tagged)
        {
            await _scenario.DeliverAsync(message);
        }

        Assert.Equal(LimitedAgentFixture.MaxAnswers, _scenario.ReplyFiles(orderId).Count);
        foreach (var unanswered in tagged.Skip(LimitedAgentFixture.MaxAnswers))
        {
            Assert.Equal("answer_limit_reached", await HandoffReasonAsync(unanswered));
        }
    }

    /// <summary>
    /// An outsider who writes to the order's inbox from ever new addresses (x+1@, x+2@, ... of addresses of their own)
    /// is answered <see cref="LimitedAgentFixture.MaxStrangerAnswers"/> times on the order, not once or more per address;
    /// the order's own address is counted apart, and still answered after them.
    /// </summary>
    [Fact]
    public async Task When_strangers_write_from_ever_new_addresses_Should_answer_MaxStrangerAnswers_of_them_and_still_the_customer()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var before = ConversationScenario.Routed(orderId, Responder);
        await _scenario.DeliverAsync(before);

        var strangers = Enumerable.Range(1, LimitedAgentFixture.MaxStrangerAnswers + 2)
            .Select(n => ConversationScenario.Routed(orderId, $"Mallory <mallory.{n}+{n}@example.net>"))
            .ToList();
        foreach (var stranger in strangers)
        {
            await _scenario.DeliverAsync(stranger);
        }

        var after = ConversationScenario.Routed(orderId, Responder);
        await _scenario.DeliverAsync(after);

        var replies = _scenario.ReplyFiles(orderId);
        Assert.Equal(LimitedAgentFixture.MaxStrangerAnswers + 2, replies.Count);
        Assert.Single(replies, f => f.GetProperty("in_reply_to").GetString() == before.MessageId);
        Assert.Single(replies, f => f.GetProperty("in_reply_to").GetString() == after.MessageId);
        foreach (var unanswered in strangers.Skip(LimitedAgentFixture.MaxStrangerAnswers))
        {
            Assert.Equal([AgentLabels.NeedsReview], await _scenario.LabelsAsync(unanswered));
            Assert.Equal("stranger_answer_limit_reached", await HandoffReasonAsync(unanswered));
        }
    }

    /// <summary>
    /// Messages of strangers, each from an address of its own, recorded at once by consumers racing each other, are
    /// answered no more often than one at a time would be: held at the order, as below, then let go together.
    /// </summary>
    [Fact]
    public async Task When_the_last_stranger_answers_are_decided_at_once_Should_answer_no_more_than_MaxStrangerAnswers()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        for (var n = 0; n < LimitedAgentFixture.MaxStrangerAnswers - 1; n++)
        {
            await _scenario.DeliverAsync(ConversationScenario.Routed(orderId, $"stranger.{n}@example.net"));
        }

        const int AtOnce = 4;
        await AllAtOnceAsync(orderId, [.. Enumerable.Range(0, AtOnce).Select(n => ConversationScenario.Routed(orderId, $"racer.{n}@example.net"))]);

        Assert.Equal(LimitedAgentFixture.MaxStrangerAnswers, _scenario.ReplyFiles(orderId).Count);
    }

    /// <summary>
    /// Messages of one sender recorded at once, by consumers racing each other, are answered no more often than one at
    /// a time would be: they are held at the order until all of them wait, then let go together.
    /// </summary>
    [Fact]
    public async Task When_the_last_answers_are_decided_at_once_Should_answer_no_more_than_MaxAnswers()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        for (var round = 0; round < LimitedAgentFixture.MaxAnswers - 1; round++)
        {
            await _scenario.DeliverAsync(AutoResponse(orderId, Responder));
        }

        const int AtOnce = 4;
        await AllAtOnceAsync(orderId, [.. Enumerable.Range(0, AtOnce).Select(_ => AutoResponse(orderId, Responder))]);

        Assert.Equal(LimitedAgentFixture.MaxAnswers, _scenario.ReplyFiles(orderId).Count);
    }

    // Delivers the messages while the order's row is held, so each waits for it once recorded, and lets them go together.
    private async Task AllAtOnceAsync(Guid orderId, IReadOnlyList<InboundMessageRouted> messages)
    {
        Task[] deliveries;
        await using (var hold = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            await using var transaction = await hold.BeginTransactionAsync();
            await hold.ExecuteAsync("select 1 from orders.orders where id = @OrderId for update", new { OrderId = orderId }, transaction);
            deliveries = [.. messages.Select(m => _scenario.DeliverAsync(m))];
            await Eventually.Until(WaitingForLocksAsync, waiting => waiting >= messages.Count, TimeSpan.FromSeconds(30), "every message to wait for the order");
            await transaction.CommitAsync();
        }

        await Task.WhenAll(deliveries);
    }

    // Why the agent handed the recorded message to a person.
    private async Task<string?> HandoffReasonAsync(InboundMessageRouted message)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(
            """
            select h.reason from orders.agent_handoffs h join orders.order_messages m on m.id = h.message
            where m.order_id = @OrderId and m.message_id = @MessageId
            """,
            new { message.OrderId, message.MessageId });
    }

    // Read on a connection of its own: a transaction sees pg_stat_activity as it was when the transaction first read it.
    private async Task<int> WaitingForLocksAsync()
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(
            "select count(*)::int from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
    }

    // What a helpdesk script sends back for every email: the same words, and none of the headers that would say so.
    private static InboundMessageRouted AutoResponse(Guid orderId, string from) =>
        ConversationScenario.Routed(orderId, from, "Re: Your order", "Thank you for your email. We will get back to you shortly.");
}
