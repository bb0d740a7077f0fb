using System.Net;
using System.Text.Json;
using Dapper;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// A message an older build labelled for a person, without a hand-off (a replica from before hand-offs still consuming
/// during a rolling upgrade), reaches ops (<c>GET /agent/handoffs</c>) all the same: the customer was told it was passed
/// on. A hand-off ops marked done stays done, and a label the customer put on a message themselves hands nothing off.
/// </summary>
public sealed class AgentHandoffReconcile_Specs(ReconcilingAgentFixture fixture) : IClassFixture<ReconcilingAgentFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly AgentScenario _scenario = new(fixture);

    [Fact]
    public async Task When_an_older_build_labelled_a_request_without_a_hand_off_Should_list_it_for_ops()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var id = await RecordAsOlderBuildAsync(orderId, AgentLabels.NeedsAction, claimedIntent: "cancel");

        var handoff = await ListedAsync(id);
        Assert.Equal(orderId, handoff.GetProperty("order_id").GetGuid());
        Assert.Equal(AgentLabels.NeedsAction, handoff.GetProperty("label").GetString());
        Assert.Equal("labelled_by_older_build", handoff.GetProperty("reason").GetString());
        Assert.Equal("cancel", handoff.GetProperty("intent").GetString());
        Assert.True(handoff.GetProperty("answered").GetBoolean());
    }

    [Fact]
    public async Task When_an_older_build_labelled_a_stranger_for_review_Should_list_it_as_needs_review()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var id = await RecordAsOlderBuildAsync(orderId, AgentLabels.NeedsReview);

        var handoff = await ListedAsync(id);
        Assert.Equal(AgentLabels.NeedsReview, handoff.GetProperty("label").GetString());
        Assert.Equal("other", handoff.GetProperty("intent").GetString());
        Assert.False(handoff.GetProperty("answered").GetBoolean());
    }

    [Fact]
    public async Task When_ops_marked_the_hand_off_done_Should_not_hand_it_off_again()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var id = await RecordAsOlderBuildAsync(orderId, AgentLabels.NeedsAction);
        await ListedAsync(id);
        using var ops = fixture.Api.CreateClient().WithOpsKey();
        using var done = await ops.PostAsync($"{HandoffsHttp.Route}/{id}/done", null);
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);

        await ReconciledSinceAsync(orderId);

        Assert.DoesNotContain(await HandoffsHttp.AllOpenAsync(ops), h => h.GetProperty("message_id").GetGuid() == id);
        Assert.True(await IsDoneAsync(id));
    }

    [Fact]
    public async Task When_the_message_was_recorded_before_the_look_back_Should_leave_it()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var old = await RecordAsOlderBuildAsync(orderId, AgentLabels.NeedsAction, recordedAgo: TimeSpan.FromDays(3));

        await ReconciledSinceAsync(orderId);

        Assert.False(await IsHandedOffAsync(old));
    }

    [Fact]
    public async Task When_the_customer_puts_the_agents_label_on_a_message_the_agent_answered_Should_hand_nothing_off()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var question = ConversationScenario.Routed(orderId, "Jane Doe <jane.doe@example.com>", "Where is my order?", "Hello,\n\nwhere is my order?\n\nJane");
        await _scenario.DeliverAsync(question);
        Assert.Empty(await _scenario.LabelsAsync(question));
        var id = await MessageIdAsync(orderId, question.MessageId);
        using var labelled = await ConversationHttp.PatchAsync(owner, ConversationHttp.Message(orderId, id, "labels"), new { add = new[] { AgentLabels.NeedsAction } });
        Assert.Equal(HttpStatusCode.OK, labelled.StatusCode);

        await ReconciledSinceAsync(orderId);

        Assert.False(await IsHandedOffAsync(id));
    }

    // Records an inbound message on the order as a build from before hand-offs did: labelled, with the reply it claimed
    // when given, and no hand-off; its id.
    private async Task<Guid> RecordAsOlderBuildAsync(Guid orderId, string label, string? claimedIntent = null, TimeSpan recordedAgo = default)
    {
        var messageId = $"<{Guid.NewGuid():N}@mail.example.com>";
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();

        // The message and its claim commit together: a reconcile running between two commits handed the message off
        // unanswered, with no intent, as the older build never would have left it.
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await connection.ExecuteScalarAsync<Guid>(
            """
            insert into orders.order_messages (order_id, message_id, direction, from_address, subject, preview, body, sender_verified, labels, received_at, created_at)
            values (@OrderId, @MessageId, 'inbound', 'Jane Doe <jane.doe@example.com>', 'Cancel my order', 'Please cancel my order.', 'Please cancel my order.',
                    true, @Labels, now() - @Ago, now() - @Ago)
            returning id
            """,
            new { OrderId = orderId, MessageId = messageId, Labels = new[] { label }, Ago = recordedAgo },
            transaction);
        if (claimedIntent is not null)
        {
            await connection.ExecuteAsync(
                """
                insert into orders.agent_replies (order_id, message_id, email_id, file_name, intent, composer, written_at)
                values (@OrderId, @MessageId, gen_random_uuid(), 'reply.json', @Intent, 'rules', now())
                """,
                new { OrderId = orderId, MessageId = messageId, Intent = claimedIntent },
                transaction);
        }

        await transaction.CommitAsync();
        return id;
    }

    // A message an older build labels now is handed off once a reconcile ran after it, so after whatever came before it.
    private async Task ReconciledSinceAsync(Guid orderId) => await ListedAsync(await RecordAsOlderBuildAsync(orderId, AgentLabels.NeedsReview));

    private async Task<JsonElement> ListedAsync(Guid messageId)
    {
        using var ops = fixture.Api.CreateClient().WithOpsKey();
        var listed = await Eventually.Until(
            () => HandoffsHttp.AllOpenAsync(ops),
            open => open.Any(h => h.GetProperty("message_id").GetGuid() == messageId),
            Timeout,
            $"message {messageId}, labelled by an older build, to be handed off");
        return Assert.Single(listed, h => h.GetProperty("message_id").GetGuid() == messageId);
    }

    private async Task<bool> IsHandedOffAsync(Guid messageId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("select exists (select 1 from orders.agent_handoffs where message = @Id)", new { Id = messageId });
    }

    private async Task<bool> IsDoneAsync(Guid messageId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("select done_at is not null from orders.agent_handoffs where message = @Id", new { Id = messageId });
    }

    private async Task<Guid> MessageIdAsync(Guid orderId, string messageId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<Guid>(
            "select id from orders.order_messages where order_id = @OrderId and message_id = @MessageId", new { OrderId = orderId, MessageId = messageId });
    }
}
