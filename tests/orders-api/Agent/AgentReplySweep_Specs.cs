using System.Net.Http.Json;
using System.Text.Json;
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
    private readonly UnwrittenReplies _unwritten = new(fixture);

    [Fact]
    public async Task When_a_claim_was_left_unwritten_past_the_consumers_retries_Should_have_the_sweeper_write_it_under_the_claimed_name()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId) with { References = ["<confirmation@ordersmail.test>"] };
        var written = await _unwritten.AnsweredThenUnwrittenAsync(routed);

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
        await _unwritten.AnsweredThenUnwrittenAsync(routed);

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
        await _unwritten.AnsweredThenUnwrittenAsync(routed, from: "undisclosed-recipients:;");

        var givenUp = await Eventually.Until(() => _unwritten.ClaimAsync(routed), c => c.GivenUp, Patience, "the sweeper to give the reply up");
        var timeline = await TimelineAsync(owner, orderId);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(SweepingAgentFixture.MaxAttempts, givenUp.Attempts);
        Assert.Equal((SweepingAgentFixture.MaxAttempts, true), await _unwritten.ClaimAsync(routed));
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
        var written = await _unwritten.AnsweredAsync(routed);

        // The outbox's disk refusing every file: its staging folder cannot be made while a file holds its name. Broken
        // before the claim is left due: a sweep in between wrote the reply through a working outbox.
        Directory.Delete(staging, recursive: true);
        await File.WriteAllTextAsync(staging, "not a folder");
        try
        {
            await _unwritten.LeaveUnwrittenAsync(routed);

            // Long enough for the sweeper to take the claim more often than its attempts allow.
            await Task.Delay(TimeSpan.FromSeconds(SweepingAgentFixture.MaxAttempts + 1) + TimeSpan.FromSeconds(3));
            Assert.False(File.Exists(written), "the reply was written through the broken outbox");
            // Read between a sweep's take and its give-back, the claim shows that one attempt; never more, never given up.
            var (attempts, givenUp) = await _unwritten.ClaimAsync(routed);
            Assert.False(givenUp, "an outbox outage gave the claim up");
            Assert.InRange(attempts, 0, 1);
        }
        finally
        {
            File.Delete(staging);
        }

        await Eventually.Until(() => Task.FromResult(File.Exists(written)), exists => exists, Patience, "the sweeper to write the reply");
        Assert.Equal((1, false), await _unwritten.ClaimAsync(routed));
        Assert.Single(_scenario.ReplyFiles(orderId));
    }

    private static async Task<JsonElement> TimelineAsync(HttpClient owner, Guid orderId) =>
        await owner.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}/timeline");
}
