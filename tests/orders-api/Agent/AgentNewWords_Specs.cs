using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// A customer's reply quotes the agent's last answer under "On ... wrote:": the agent answers and labels what they
/// wrote now (the router's <c>NewText</c>, AgentMail's <c>extracted_text</c>), not the cancellation it quoted, nor the
/// "Re:" subject the reply inherited; the conversation keeps the whole email.
/// </summary>
public sealed class AgentNewWords_Specs(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private const string NewWords = "Actually I'd rather keep it, please send it to my new address, 5 Main St";

    private const string QuotedCancelAnswer =
        """
        On Sat, 5 Dec 2026 at 10:02, OrdersMail customer service <ord-1@agentmail.to> wrote:
        > You asked us to cancel this order. I cannot cancel orders myself, so I have passed your request to our team;
        > nothing is cancelled until they confirm it to you by email.
        """;

    private readonly AgentScenario _scenario = new(fixture);

    [Fact]
    public async Task When_a_reply_asks_for_an_address_change_above_the_quoted_cancel_answer_Should_answer_and_label_the_address_change()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var routed = Reply(orderId) with { NewText = NewWords };

        await _scenario.DeliverAsync(routed);

        var body = _scenario.ReplyFile(orderId).GetProperty("body").GetString()!;
        Assert.Contains("You asked to change the delivery address", body, StringComparison.Ordinal);
        Assert.DoesNotContain("cancel", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("change_address", await IntentAsync(routed));
        Assert.Equal([AgentLabels.NeedsAction], await _scenario.LabelsAsync(routed));
        Assert.Equal(routed.Text, await RecordedBodyAsync(routed));
    }

    /// <summary>A reply's "Re:" subject is the thread's, copied from the message it answers: its words ask nothing now.</summary>
    [Fact]
    public async Task When_a_reply_only_thanks_under_an_inherited_cancel_subject_Should_not_take_it_for_a_cancellation()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var routed = Reply(orderId) with { Text = "Thanks a lot!" };

        await _scenario.DeliverAsync(routed);

        Assert.Equal("other", await IntentAsync(routed));
        Assert.Empty(await _scenario.LabelsAsync(routed));
    }

    /// <summary>A router before <c>NewText</c> sends none: the agent reads the whole text, as it did.</summary>
    [Fact]
    public async Task When_the_message_carries_no_new_words_Should_classify_from_its_text()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var routed = ConversationScenario.Routed(orderId, subject: "My order", text: "Please change the delivery address to 5 Main St.");

        await _scenario.DeliverAsync(routed);

        Assert.Null(routed.NewText);
        Assert.Equal("change_address", await IntentAsync(routed));
        Assert.Contains("You asked to change the delivery address", _scenario.ReplyFile(orderId).GetProperty("body").GetString()!, StringComparison.Ordinal);
    }

    // The customer's Gmail reply to the agent's answer to "Please cancel my order": their new words above the answer quoted.
    private static InboundMessageRouted Reply(Guid orderId) =>
        ConversationScenario.Routed(orderId, subject: "Re: Please cancel my order", text: NewWords + "\n\n" + QuotedCancelAnswer)
        with { InReplyTo = "<agent-answer@agentmail.to>", References = ["<first@mail.example.com>", "<agent-answer@agentmail.to>"] };

    private async Task<string?> IntentAsync(InboundMessageRouted routed)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(
            "select intent from orders.agent_replies where order_id = @OrderId and message_id = @MessageId", new { routed.OrderId, routed.MessageId });
    }

    private async Task<string?> RecordedBodyAsync(InboundMessageRouted routed)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(
            "select body from orders.order_messages where order_id = @OrderId and message_id = @MessageId", new { routed.OrderId, routed.MessageId });
    }
}
