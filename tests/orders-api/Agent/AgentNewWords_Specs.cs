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

    // The agent's answer to a message it found no request in, as a Gmail reply quotes it.
    private const string QuotedOtherAnswer =
        """
        On Sat, 5 Dec 2026 at 10:02, OrdersMail customer service <ord-1@agentmail.to> wrote:
        > Your message is kept with your order. If you need something done, such as cancelling the order or
        > changing its delivery address, reply and say so, and I will pass it to our team.
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

    /// <summary>
    /// A reply that is only its quote (a photo sent in answer: AgentMail's <c>extracted_text</c> empty, so no
    /// <c>NewText</c>) was read whole: the agent's own "such as cancelling the order" made it a cancellation, labelled
    /// needs-action and answered "You asked us to cancel this order". It has no words to read, so a person looks at it.
    /// </summary>
    [Fact]
    public async Task When_a_reply_is_only_the_quoted_answer_Should_hand_it_off_for_review_not_take_it_for_a_cancellation()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var routed = Reply(orderId) with { Subject = "Re: Your order", Text = "\n\nSent from my iPhone\n\n" + QuotedOtherAnswer };

        await _scenario.DeliverAsync(routed);

        Assert.Null(routed.NewText);
        Assert.Equal("other", await IntentAsync(routed));
        Assert.Equal([AgentLabels.NeedsReview], await _scenario.LabelsAsync(routed));
        Assert.Equal("no_new_words", await HandoffReasonAsync(routed));
        Assert.DoesNotContain("cancel this order", _scenario.ReplyFile(orderId).GetProperty("body").GetString()!, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Without <c>NewText</c>, the words above a reply's quote are read, and only they.</summary>
    [Fact]
    public async Task When_a_reply_carries_no_new_words_Should_read_the_words_above_its_quote()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var routed = Reply(orderId) with { Subject = "Re: Your order", Text = "Thanks, all good!\n\n" + QuotedOtherAnswer };

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

    private async Task<string?> HandoffReasonAsync(InboundMessageRouted routed)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(
            """
            select h.reason from orders.agent_handoffs h join orders.order_messages m on m.id = h.message
            where m.order_id = @OrderId and m.message_id = @MessageId
            """,
            new { routed.OrderId, routed.MessageId });
    }

    private async Task<string?> RecordedBodyAsync(InboundMessageRouted routed)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(
            "select body from orders.order_messages where order_id = @OrderId and message_id = @MessageId", new { routed.OrderId, routed.MessageId });
    }
}
