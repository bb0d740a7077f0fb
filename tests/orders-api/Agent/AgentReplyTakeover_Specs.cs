using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// Another run takes a reply's claim over while the run that made it still waits for the model. The model here hangs
/// for its whole timeout, 15 s, so on busy cores the spec still acts well inside that wait.
/// </summary>
public sealed class AgentReplyTakeover_Specs(SlowModelAgentFixture fixture) : IClassFixture<SlowModelAgentFixture>
{
    private readonly AgentScenario _scenario = new(fixture);

    /// <summary>
    /// The sweeper took the claim over while this run still waited for the model (its RewriteAfter passed), wrote the
    /// reply's file, and died before recording it: the file may be sent already, so this run, though it made the claim,
    /// records that file, not its own text written over it.
    /// </summary>
    [Fact]
    public async Task When_a_run_that_took_the_claim_over_left_its_file_while_this_one_composed_Should_record_that_file()
    {
        (await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "openai", operation = "chat.completions", hang = true, times = 1 })).EnsureSuccessStatusCode();
        var orderId = await _scenario.PlaceOrderAsync();
        var routed = ConversationScenario.Routed(orderId);

        var delivering = _scenario.DeliverAsync(routed);
        var name = await Eventually.Until(() => ClaimedFileAsync(routed), n => n is not null, TimeSpan.FromSeconds(30), "the claim");
        await using (var connection = await fixture.Infrastructure.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "update orders.agent_replies set claimed_at = now(), attempts = attempts + 1 where order_id = @OrderId and message_id = @MessageId",
                new { routed.OrderId, routed.MessageId });
        }

        var left = Path.Combine(fixture.OutboxDirectory, "sent", name!);
        Directory.CreateDirectory(Path.GetDirectoryName(left)!);
        File.WriteAllText(left, JsonSerializer.Serialize(new OutboxEmail
        {
            To = ["jane.doe@example.com"],
            Subject = "Re: Where is my order?",
            Body = "Your order left our warehouse this morning.",
        }));
        await delivering;

        Assert.Empty(_scenario.ReplyFiles(orderId));
        Assert.Contains("left our warehouse", File.ReadAllText(left), StringComparison.Ordinal);
        await using var read = await fixture.Infrastructure.Database.OpenConnectionAsync();
        Assert.Equal(
            "Your order left our warehouse this morning.",
            await read.ExecuteScalarAsync<string>(
                "select body from orders.order_messages where order_id = @OrderId and direction = 'outbound'", new { OrderId = orderId }));
    }

    private async Task<string?> ClaimedFileAsync(InboundMessageRouted routed)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(
            "select file_name from orders.agent_replies where order_id = @OrderId and message_id = @MessageId", new { routed.OrderId, routed.MessageId });
    }

}

/// <summary>The agent with the sandbox's chat completions as its model, given 15 seconds an answer.</summary>
public sealed class SlowModelAgentFixture : AgentFixture
{
    /// <inheritdoc />
    protected override TimeSpan? ModelTimeout => TimeSpan.FromSeconds(15);
}
