using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// A reply whose consumer could not write it through every retry (the message in the error queue, the claim unwritten,
/// nothing delivered again): the sweeper writes it, or gives it up, visibly, after its attempts; an outbox that cannot
/// take files spends none of them.
/// </summary>
public sealed class AgentReplySweep_Specs(SweepingAgentFixture fixture) : IClassFixture<SweepingAgentFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly AgentScenario _scenario = new(fixture);

    [Fact]
    public async Task When_a_claim_was_left_unwritten_past_the_consumers_retries_Should_have_the_sweeper_write_it_under_the_claimed_name()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId) with { References = ["<confirmation@ordersmail.test>"] };
        var written = await AnsweredThenUnwrittenAsync(routed);

        var reply = (await Eventually.Until(
            () => Task.FromResult(_scenario.ReplyFiles(orderId)), files => files.Count > 0, Patience, "the sweeper to write the reply"))[0];

        Assert.True(File.Exists(written), $"the sweeper should write {written}, the claimed name");
        Assert.Equal(AgentReplyIds.For(orderId, routed.MessageId), reply.GetProperty("email_id").GetGuid());
        Assert.Equal(routed.InboxId, reply.GetProperty("inbox_id").GetString());
        Assert.Equal(routed.MessageId, reply.GetProperty("reply_to_message_id").GetString());
        Assert.Equal($"<confirmation@ordersmail.test> {routed.MessageId}", reply.GetProperty("references").GetString());
        Assert.Contains(await _scenario.OrderRefAsync(orderId), reply.GetProperty("body").GetString(), StringComparison.Ordinal);
        var messages = await Eventually.Until(
            () => ConversationScenario.AllMessagesAsync(owner, orderId), listed => listed.Count == 2, Patience, "the reply to join the conversation");
        Assert.Equal(["inbound", "outbound"], messages.Select(m => m.GetProperty("direction").GetString()));
        Assert.Single(_scenario.ReplyFiles(orderId));
    }

    /// <summary>The sweeper composes again from the conversation's copy, which keeps the reply's new words beside its whole text.</summary>
    [Fact]
    public async Task When_the_sweeper_writes_a_reply_to_a_reply_quoting_a_cancel_answer_Should_answer_its_new_words()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        const string newWords = "Actually I'd rather keep it, please send it to my new address, 5 Main St";
        var routed = ConversationScenario.Routed(
            orderId,
            subject: "Re: Please cancel my order",
            text: newWords + "\n\nOn Sat, 5 Dec 2026 at 10:02, OrdersMail <ord-1@agentmail.to> wrote:\n> You asked us to cancel this order.")
            with { InReplyTo = "<agent-answer@agentmail.to>", NewText = newWords };
        await AnsweredThenUnwrittenAsync(routed);

        var reply = (await Eventually.Until(
            () => Task.FromResult(_scenario.ReplyFiles(orderId)), files => files.Count > 0, Patience, "the sweeper to write the reply"))[0];

        Assert.Contains("You asked to change the delivery address", reply.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_claim_can_never_be_written_Should_give_it_up_after_its_attempts_and_show_it_failed()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId);

        // No address to answer: every attempt to compose the reply fails.
        await AnsweredThenUnwrittenAsync(routed, from: "undisclosed-recipients:;");

        var givenUp = await Eventually.Until(() => ClaimAsync(routed), c => c.GivenUp, Patience, "the sweeper to give the reply up");
        var timeline = await TimelineAsync(owner, orderId);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(SweepingAgentFixture.MaxAttempts, givenUp.Attempts);
        Assert.Equal((SweepingAgentFixture.MaxAttempts, true), await ClaimAsync(routed));
        Assert.Empty(_scenario.ReplyFiles(orderId));
        var entry = Assert.Single(timeline.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "agent_reply");
        Assert.Equal("Agent reply failed (where is my order)", entry.GetProperty("title").GetString());
        Assert.Equal("problem", entry.GetProperty("tone").GetString());
    }

    [Fact]
    public async Task When_the_outbox_cannot_take_files_for_longer_than_the_attempts_last_Should_spend_none_and_write_the_reply_once_it_can()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId);
        var staging = new MailOutboxFolders(fixture.OutboxDirectory).Staging;
        var written = await AnsweredAsync(routed);

        // The outbox's disk refusing every file: its staging folder cannot be made while a file holds its name. Broken
        // before the claim is left due: a sweep in between wrote the reply through a working outbox.
        Directory.Delete(staging, recursive: true);
        await File.WriteAllTextAsync(staging, "not a folder");
        try
        {
            await LeaveUnwrittenAsync(routed);

            // Long enough for the sweeper to take the claim more often than its attempts allow.
            await Task.Delay(TimeSpan.FromSeconds(SweepingAgentFixture.MaxAttempts + 1) + TimeSpan.FromSeconds(3));
            Assert.False(File.Exists(written), "the reply was written through the broken outbox");
            // Read between a sweep's take and its give-back, the claim shows that one attempt; never more, never given up.
            var (attempts, givenUp) = await ClaimAsync(routed);
            Assert.False(givenUp, "an outbox outage gave the claim up");
            Assert.InRange(attempts, 0, 1);
        }
        finally
        {
            File.Delete(staging);
        }

        await Eventually.Until(() => Task.FromResult(File.Exists(written)), exists => exists, Patience, "the sweeper to write the reply");
        Assert.Equal((1, false), await ClaimAsync(routed));
        Assert.Single(_scenario.ReplyFiles(orderId));
    }

    // Answers the message, then leaves what a consumer that failed through every retry leaves (LeaveUnwrittenAsync). The
    // claimed file's path.
    private async Task<string> AnsweredThenUnwrittenAsync(InboundMessageRouted routed, string? from = null)
    {
        var path = await AnsweredAsync(routed);
        await LeaveUnwrittenAsync(routed, from);
        return path;
    }

    // Answers the message and deletes the reply's file, its claim still written, so no sweep takes it yet. The file's path.
    private async Task<string> AnsweredAsync(InboundMessageRouted routed)
    {
        await _scenario.DeliverAsync(routed);
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        var file = await connection.ExecuteScalarAsync<string>(
            "select file_name from orders.agent_replies where order_id = @OrderId and message_id = @MessageId", new { routed.OrderId, routed.MessageId });
        var path = Path.Combine(fixture.OutboxDirectory, "email", file!);
        File.Delete(path);
        return path;
    }

    // Leaves what a consumer that failed through every retry leaves of an answered message: the claim unwritten (and due
    // to the sweeper at once), no reply in the conversation, and no delivery to come; the message's sender changed to
    // <from> when given, in the same transaction.
    private async Task LeaveUnwrittenAsync(InboundMessageRouted routed, string? from = null)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            update orders.order_messages set from_address = coalesce(@From, from_address) where order_id = @OrderId and message_id = @MessageId;
            delete from orders.order_messages where email_id is not null and order_id = @OrderId;
            update orders.agent_replies set written_at = null, composer = null, claimed_at = now() - interval '1 minute'
            where order_id = @OrderId and message_id = @MessageId;
            """,
            new { routed.OrderId, routed.MessageId, From = from });
    }

    private async Task<(int Attempts, bool GivenUp)> ClaimAsync(InboundMessageRouted routed)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(int, bool)>(
            "select attempts, given_up_at is not null from orders.agent_replies where order_id = @OrderId and message_id = @MessageId",
            new { routed.OrderId, routed.MessageId });
    }

    private static async Task<JsonElement> TimelineAsync(HttpClient owner, Guid orderId) =>
        await owner.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}/timeline");
}
