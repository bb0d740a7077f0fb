using System.Net.Http.Json;
using Dapper;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;
using OrdersMail.Testing.Telemetry;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// <c>ordersmail.agent.model.fallbacks</c> counts the rule-based replies written in the model's place, one a reply: not
/// each attempt the sweeper composes while the outbox cannot take the file.
/// </summary>
public sealed class AgentModelFallbackCount_Specs(SweepingModelAgentFixture fixture) : IClassFixture<SweepingModelAgentFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly UnwrittenReplies _unwritten = new(fixture);

    // The model down and the outbox away: each sweep composed the reply, fell back and counted it, then wrote nothing,
    // so one reply sent counted a fallback for every RewriteAfter of the outage.
    [Fact]
    public async Task When_the_sweeper_composes_a_reply_again_while_the_outbox_is_away_and_the_model_down_Should_count_one_fallback_for_the_reply_written()
    {
        using var owner = await fixture.NewUserAsync();
        var orderId = await ConversationScenario.PlaceOrderAsync(owner);
        var routed = ConversationScenario.Routed(orderId);
        var written = await _unwritten.AnsweredAsync(routed);
        using var fallbacks = new ServiceInstruments(fixture.Api.Services, ModelFallbacks.Metric);
        (await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "openai", operation = "chat.completions", error_status = 500 })).EnsureSuccessStatusCode();

        // The outbox's disk refusing every file: its staging folder cannot be made while a file holds its name.
        var staging = new MailOutboxFolders(fixture.OutboxDirectory).Staging;
        Directory.Delete(staging, recursive: true);
        await File.WriteAllTextAsync(staging, "not a folder");
        try
        {
            await _unwritten.LeaveUnwrittenAsync(routed);

            // Long enough for the sweeper to take the claim and compose its reply several times.
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.False(File.Exists(written), "the reply was written through the broken outbox");
            Assert.Empty(fallbacks.Observe());
        }
        finally
        {
            File.Delete(staging);
        }

        // The file is written inside the claim's transaction, before the composer it records commits: the row is what says
        // the reply was written.
        await Eventually.Until(() => Task.FromResult(File.Exists(written)), exists => exists, Patience, "the sweeper to write the reply");
        Assert.Equal("rules", await Eventually.Until(() => ComposerAsync(routed), composer => composer is not null, Patience, "the written reply's row to commit"));
        Assert.Equal(
            new Dictionary<string, long> { [ModelFallbacks.Failed] = 1 },
            await Eventually.Until(() => Task.FromResult(fallbacks.Observe()), counted => counted.Count > 0, Patience, "the fallback to be counted after its commit"));
    }

    private async Task<string?> ComposerAsync(InboundMessageRouted routed)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(
            "select composer from orders.agent_replies where order_id = @OrderId and message_id = @MessageId", new { routed.OrderId, routed.MessageId });
    }
}
