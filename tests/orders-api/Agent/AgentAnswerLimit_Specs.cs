using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// The bound on the agent's answers (<c>Agent:AnswerLimit</c>): a customer's auto-responder that answers every reply, with
/// no header saying it is automatic, gets <see cref="LimitedAgentFixture.MaxAnswers"/> replies, then silence, each
/// message after that still recorded and labelled for a person to review.
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
        Task[] deliveries;
        await using (var hold = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            await using var transaction = await hold.BeginTransactionAsync();
            await hold.ExecuteAsync("select 1 from orders.orders where id = @OrderId for update", new { OrderId = orderId }, transaction);
            deliveries = [.. Enumerable.Range(0, AtOnce).Select(_ => _scenario.DeliverAsync(AutoResponse(orderId, Responder)))];
            await Eventually.Until(WaitingForLocksAsync, waiting => waiting >= AtOnce, TimeSpan.FromSeconds(30), "every message to wait for the order");
            await transaction.CommitAsync();
        }

        await Task.WhenAll(deliveries);

        Assert.Equal(LimitedAgentFixture.MaxAnswers, _scenario.ReplyFiles(orderId).Count);
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
