using System.Net;
using System.Text.Json;
using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// The messages the agent tells the customer a person will look at reach ops (<c>GET /agent/handoffs</c>), whatever the
/// customer does with the label, until ops mark them done; the label alone was seen by the order's owner only.
/// </summary>
public sealed class AgentHandoffs_Specs(LimitedAgentFixture fixture) : IClassFixture<LimitedAgentFixture>
{
    private const string Handoffs = HandoffsHttp.Route;
    private const string Customer = "Jane Doe <jane.doe@example.com>";

    private readonly AgentScenario _scenario = new(fixture);

    [Fact]
    public async Task When_a_verified_customer_asks_to_cancel_and_removes_the_label_Should_list_it_for_ops_with_its_order()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var cancel = ConversationScenario.Routed(orderId, Customer, "Cancel my order", "Hello,\n\nplease cancel my order.\n\nJane");
        await _scenario.DeliverAsync(cancel);
        var id = await MessageIdAsync(cancel);

        using var removed = await ConversationHttp.PatchAsync(owner, ConversationHttp.Message(orderId, id, "labels"), new { remove = new[] { AgentLabels.NeedsAction } });
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);

        var handoff = await ListedAsync(id);
        Assert.Equal(orderId, handoff.GetProperty("order_id").GetGuid());
        Assert.Equal(await _scenario.OrderRefAsync(orderId), handoff.GetProperty("order_ref").GetString());
        Assert.Equal(AgentLabels.NeedsAction, handoff.GetProperty("label").GetString());
        Assert.Equal("asks_for_action", handoff.GetProperty("reason").GetString());
        Assert.Equal("cancel", handoff.GetProperty("intent").GetString());
        Assert.Equal(Customer, handoff.GetProperty("from").GetString());
        Assert.Equal("Cancel my order", handoff.GetProperty("subject").GetString());
        Assert.True(handoff.GetProperty("answered").GetBoolean());
    }

    /// <summary>The rules read only English: a cancellation in Spanish was "other", listed nowhere, and the order shipped.</summary>
    [Fact]
    public async Task When_a_verified_customer_asks_in_spanish_to_cancel_Should_list_it_for_ops_as_a_cancellation()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var cancel = ConversationScenario.Routed(orderId, Customer, "Mi pedido", "Hola,\n\npor favor, cancelen mi pedido.\n\nJane");
        await _scenario.DeliverAsync(cancel);

        var handoff = await ListedAsync(await MessageIdAsync(cancel));
        Assert.Equal(AgentLabels.NeedsAction, handoff.GetProperty("label").GetString());
        Assert.Equal("asks_for_action", handoff.GetProperty("reason").GetString());
        Assert.Equal("cancel", handoff.GetProperty("intent").GetString());
    }

    /// <summary>
    /// A request the rules cannot read, in words that are not English, reaches a person; the reply said "our team will
    /// read it" while nothing was handed off.
    /// </summary>
    [Fact]
    public async Task When_a_verified_customer_writes_words_the_rules_cannot_read_Should_list_it_for_review_and_say_so()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var invoice = ConversationScenario.Routed(orderId, Customer, "Rechnung", "Hallo,\n\nkönnen Sie mir bitte eine Rechnung schicken?\n\nJane");
        await _scenario.DeliverAsync(invoice);

        var handoff = await ListedAsync(await MessageIdAsync(invoice));
        Assert.Equal(AgentLabels.NeedsReview, handoff.GetProperty("label").GetString());
        Assert.Equal("not_understood", handoff.GetProperty("reason").GetString());
        Assert.Equal("other", handoff.GetProperty("intent").GetString());
        Assert.Contains("I have passed it to our team", _scenario.ReplyFile(orderId).GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The phone's "Sent from my iPhone" is no English of the customer's: it made a German request English, handed to no one.</summary>
    [Fact]
    public async Task When_a_verified_customer_writes_words_the_rules_cannot_read_from_a_phone_Should_list_it_for_review()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var invoice = ConversationScenario.Routed(orderId, Customer, "Rechnung", "Hallo,\n\nkönnen Sie mir bitte eine Rechnung schicken?\n\nSent from my iPhone");
        await _scenario.DeliverAsync(invoice);

        var handoff = await ListedAsync(await MessageIdAsync(invoice));
        Assert.Equal("not_understood", handoff.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task When_a_stranger_writes_Should_list_it_as_needs_review()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var stranger = ConversationScenario.Routed(orderId, "Mallory <mallory@example.net>", "Where is it?");
        await _scenario.DeliverAsync(stranger);

        var handoff = await ListedAsync(await MessageIdAsync(stranger));
        Assert.Equal(AgentLabels.NeedsReview, handoff.GetProperty("label").GetString());
        Assert.Equal("sender_not_verified", handoff.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task When_the_agent_answered_the_sender_enough_Should_list_the_unanswered_message()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        for (var round = 0; round < LimitedAgentFixture.MaxAnswers; round++)
        {
            await _scenario.DeliverAsync(ConversationScenario.Routed(orderId, Customer));
        }

        var unanswered = ConversationScenario.Routed(orderId, Customer);
        await _scenario.DeliverAsync(unanswered);

        var handoff = await ListedAsync(await MessageIdAsync(unanswered));
        Assert.Equal(AgentLabels.NeedsReview, handoff.GetProperty("label").GetString());
        Assert.Equal("answer_limit_reached", handoff.GetProperty("reason").GetString());
        Assert.False(handoff.GetProperty("answered").GetBoolean());
    }

    [Fact]
    public async Task When_ops_mark_a_hand_off_done_Should_leave_the_list_and_a_second_time_change_nothing()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var stranger = ConversationScenario.Routed(orderId, "Mallory <mallory@example.net>");
        await _scenario.DeliverAsync(stranger);
        var id = await MessageIdAsync(stranger);
        await ListedAsync(id);
        using var ops = fixture.Api.CreateClient().WithOpsKey();

        using var first = await ops.PostAsync($"{Handoffs}/{id}/done", null);
        using var second = await ops.PostAsync($"{Handoffs}/{id}/done", null);
        using var unknown = await ops.PostAsync($"{Handoffs}/{Guid.NewGuid()}/done", null);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        await ConversationHttp.ProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.DoesNotContain(await HandoffsHttp.AllOpenAsync(ops), h => h.GetProperty("message_id").GetGuid() == id);
    }

    [Fact]
    public async Task When_a_request_has_no_ops_key_Should_answer_401()
    {
        using var anyone = fixture.Api.CreateClient();

        using var list = await anyone.GetAsync(Handoffs);
        using var done = await anyone.PostAsync($"{Handoffs}/{Guid.NewGuid()}/done", null);

        await ConversationHttp.ProblemAsync(list, HttpStatusCode.Unauthorized);
        await ConversationHttp.ProblemAsync(done, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task When_messages_are_handed_off_and_done_Should_count_the_open_ones()
    {
        using var instruments = new ServiceInstruments(fixture.Api.Services, "ordersmail.agent.handoffs.open");
        var orderId = await _scenario.PlaceOrderAsync();
        var stranger = ConversationScenario.Routed(orderId, "Mallory <mallory@example.net>");
        await _scenario.DeliverAsync(stranger);
        var id = await MessageIdAsync(stranger);
        await GaugeShowsOpenAsync(instruments);

        using var ops = fixture.Api.CreateClient().WithOpsKey();
        using var done = await ops.PostAsync($"{Handoffs}/{id}/done", null);
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);

        await GaugeShowsOpenAsync(instruments);
    }

    // Other specs of the class hand messages off too, so the gauge is compared with the table, not with a number.
    private async Task GaugeShowsOpenAsync(ServiceInstruments instruments) =>
        await Eventually.Until(
            async () => (Open: await OpenInTableAsync(), Gauge: instruments.Observe().GetValueOrDefault("", -1)),
            read => read.Gauge == read.Open,
            TimeSpan.FromSeconds(30),
            "the gauge to count the open hand-offs");

    private async Task<long> OpenInTableAsync()
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from orders.agent_handoffs where done_at is null");
    }

    private async Task<Guid> MessageIdAsync(InboundMessageRouted message)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<Guid>(
            "select id from orders.order_messages where order_id = @OrderId and message_id = @MessageId", new { message.OrderId, message.MessageId });
    }

    private async Task<JsonElement> ListedAsync(Guid messageId)
    {
        using var ops = fixture.Api.CreateClient().WithOpsKey();
        return Assert.Single(await HandoffsHttp.AllOpenAsync(ops), h => h.GetProperty("message_id").GetGuid() == messageId);
    }
}
