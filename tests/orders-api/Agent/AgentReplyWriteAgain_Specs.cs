using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// A reply the sweeper gave up (its attempts spent on a message it could not answer) is a dead end but for ops: once they
/// fixed the cause, <c>POST /agent/replies/{order_id}/write-again?message_id=…</c> puts its claim back in the sweeper's
/// hands, which writes it once, under the email id it always had, and the timeline stops showing it failed.
/// </summary>
public sealed class AgentReplyWriteAgain_Specs(SweepingAgentFixture fixture) : IClassFixture<SweepingAgentFixture>
{
    // Every attempt to compose a reply to this sender fails: there is no address to answer.
    private const string Unanswerable = "undisclosed-recipients:;";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly AgentScenario _scenario = new(fixture);
    private readonly UnwrittenReplies _unwritten = new(fixture);

    [Fact]
    public async Task When_ops_write_a_given_up_reply_again_once_its_cause_is_fixed_Should_write_it_once_under_its_email_id_and_show_it_written()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        // A Message-ID holding what a path would garble: '/', '+' and '%'.
        var routed = ConversationScenario.Routed(orderId) with { MessageId = $"<{Guid.NewGuid():N}/re+ply%41@mail.example.com>" };
        var claimed = await _unwritten.AnsweredThenUnwrittenAsync(routed, from: Unanswerable);
        await Eventually.Until(() => _unwritten.ClaimAsync(routed), c => c.GivenUp, Patience, "the sweeper to give the reply up");
        using var ops = fixture.Api.CreateClient().WithOpsKey();

        // Ops fix the cause: here the message's sender, which every attempt to compose the reply failed on.
        await using (var connection = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "update orders.order_messages set from_address = @From where order_id = @OrderId and message_id = @MessageId",
                new { routed.From, routed.OrderId, routed.MessageId });
        }

        using var putBack = await ops.PostAsync(WriteAgain(routed), null);

        Assert.Equal(HttpStatusCode.Accepted, putBack.StatusCode);
        var claim = await putBack.Content.ReadFromJsonAsync<JsonElement>();
        var emailId = AgentReplyIds.For(orderId, routed.MessageId);
        Assert.Equal(
            (orderId, await _scenario.OrderRefAsync(orderId), routed.MessageId, emailId),
            (claim.GetProperty("order_id").GetGuid(), claim.GetProperty("order_ref").GetString(), claim.GetProperty("message_id").GetString(), claim.GetProperty("email_id").GetGuid()));
        Assert.False(string.IsNullOrEmpty(claim.GetProperty("intent").GetString()));
        var putBackEntry = ReplyEntry(await TimelineAsync(owner, orderId));
        Assert.NotEqual("problem", putBackEntry.GetProperty("tone").GetString());

        var reply = (await Eventually.Until(
            () => Task.FromResult(_scenario.ReplyFiles(orderId)), files => files.Count > 0, Patience, "the sweeper to write the reply put back"))[0];
        Assert.True(File.Exists(claimed), $"the sweeper should write {claimed}, the claimed name");
        Assert.Equal(emailId, reply.GetProperty("email_id").GetGuid());
        Assert.Equal(routed.MessageId, reply.GetProperty("reply_to_message_id").GetString());

        // Longer than the sweeper waits before it takes a claim again: it is written once, and shown written.
        await Task.Delay(TimeSpan.FromSeconds(SweepingAgentFixture.MaxAttempts + 1));
        Assert.Single(_scenario.ReplyFiles(orderId));
        Assert.False((await _unwritten.ClaimAsync(routed)).GivenUp, "the reply put back was given up again");
        var entry = ReplyEntry(await TimelineAsync(owner, orderId));
        Assert.StartsWith("Agent reply written", entry.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.NotEqual("problem", entry.GetProperty("tone").GetString());
        using var again = await ops.PostAsync(WriteAgain(routed), null);
        Assert.Equal("Written already", (await ConversationHttp.ProblemAsync(again, HttpStatusCode.Conflict)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task When_ops_write_again_a_reply_not_given_up_Should_answer_409_and_change_nothing()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var written = ConversationScenario.Routed(orderId);
        await _scenario.DeliverAsync(written);
        var tried = ConversationScenario.Routed(orderId);
        await _unwritten.BeingWrittenAsync(tried);
        using var ops = fixture.Api.CreateClient().WithOpsKey();

        using var writtenAgain = await ops.PostAsync(WriteAgain(written), null);
        using var triedAgain = await ops.PostAsync(WriteAgain(tried), null);

        Assert.Equal("Written already", (await ConversationHttp.ProblemAsync(writtenAgain, HttpStatusCode.Conflict)).GetProperty("title").GetString());
        Assert.Equal("Not given up", (await ConversationHttp.ProblemAsync(triedAgain, HttpStatusCode.Conflict)).GetProperty("title").GetString());
        Assert.Single(_scenario.ReplyFiles(orderId));
    }

    [Fact]
    public async Task When_ops_write_again_an_unknown_order_or_message_or_a_bad_id_Should_answer_404_or_400_and_a_customer_401()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var unanswered = ConversationScenario.Routed(orderId);
        using var ops = fixture.Api.CreateClient().WithOpsKey();

        using var unknownOrder = await ops.PostAsync(WriteAgain(unanswered with { OrderId = Guid.NewGuid() }), null);
        using var unknownMessage = await ops.PostAsync(WriteAgain(unanswered), null);
        using var notAnId = await ops.PostAsync($"/agent/replies/not-an-id/write-again?message_id={Uri.EscapeDataString(unanswered.MessageId)}", null);
        using var noMessage = await ops.PostAsync($"/agent/replies/{orderId}/write-again", null);
        using var byCustomer = await owner.PostAsync(WriteAgain(unanswered), null);

        Assert.Equal("Unknown order", (await ConversationHttp.ProblemAsync(unknownOrder, HttpStatusCode.NotFound)).GetProperty("title").GetString());
        Assert.Equal("No reply claimed", (await ConversationHttp.ProblemAsync(unknownMessage, HttpStatusCode.NotFound)).GetProperty("title").GetString());
        Assert.Equal("Invalid id", (await ConversationHttp.ProblemAsync(notAnId, HttpStatusCode.BadRequest)).GetProperty("title").GetString());
        Assert.Equal("Invalid message_id", (await ConversationHttp.ProblemAsync(noMessage, HttpStatusCode.BadRequest)).GetProperty("title").GetString());
        // A customer's session token is no ops key, even the order's owner's.
        Assert.Equal("Ops key required", (await ConversationHttp.ProblemAsync(byCustomer, HttpStatusCode.Unauthorized)).GetProperty("title").GetString());
    }

    // The message travels in the query, URL-encoded, whatever it holds.
    private static string WriteAgain(InboundMessageRouted routed) =>
        $"/agent/replies/{routed.OrderId}/write-again?message_id={Uri.EscapeDataString(routed.MessageId)}";

    private static JsonElement ReplyEntry(JsonElement timeline) =>
        Assert.Single(timeline.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "agent_reply");

    private static async Task<JsonElement> TimelineAsync(HttpClient owner, Guid orderId) =>
        await owner.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}/timeline");
}
