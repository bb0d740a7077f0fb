using System.Net.Http.Json;
using Dapper;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Tests.Conversation;
using OrdersMail.Testing;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// orders-api stopped (a deploy) while its sweeper composes a batch of replies over a slow model: the stop is no fault
/// of theirs, so the claims it had not written get back the attempt the sweep stamped. A class of its own: the spec
/// stops its host.
/// </summary>
public sealed class AgentReplySweepStop_Specs(StoppingAgentFixture fixture) : IClassFixture<StoppingAgentFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly AgentScenario _scenario = new(fixture);

    [Fact]
    public async Task When_the_service_stops_while_the_sweeper_composes_a_batch_Should_give_back_the_attempts_of_the_claims_it_had_not_written()
    {
        var routed = new List<InboundMessageRouted>();
        for (var i = 0; i < 3; i++)
        {
            var message = ConversationScenario.Routed(await _scenario.PlaceOrderAsync());
            await _scenario.DeliverAsync(message);
            routed.Add(message);
        }

        // The model hangs from now on, so the sweep is still composing its first reply when the service stops.
        (await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "openai", operation = "chat.completions", hang = true, times = 10 })).EnsureSuccessStatusCode();
        await LeaveUnwrittenAsync(routed);

        await Eventually.Until(() => AttemptsAsync(routed), a => a.All(n => n == 1), Patience, "one sweep to take the three claims");
        await fixture.Api.DisposeAsync();

        var attempts = await AttemptsAsync(routed);
        Assert.Equal([0, 0, 0], attempts);
    }

    // What consumers that failed through every retry leave: the claims unwritten, no files, no replies in the
    // conversations, each claim due to the sweeper and older than the next, so one sweep takes them in order.
    private async Task LeaveUnwrittenAsync(IReadOnlyList<InboundMessageRouted> routed)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        var orders = routed.Select(r => r.OrderId).ToArray();
        foreach (var file in await connection.QueryAsync<string>("select file_name from orders.agent_replies where order_id = any(@orders)", new { orders }))
        {
            File.Delete(Path.Combine(fixture.OutboxDirectory, "email", file));
        }

        await connection.ExecuteAsync(
            """
            delete from orders.order_messages where email_id is not null and order_id = any(@orders);
            update orders.agent_replies r set written_at = null, composer = null, claimed_at = now() - interval '1 minute' * (10 - o.n)
            from unnest(@orders) with ordinality as o (order_id, n)
            where r.order_id = o.order_id;
            """,
            new { orders });
    }

    private async Task<int[]> AttemptsAsync(IReadOnlyList<InboundMessageRouted> routed)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        var attempts = (await connection.QueryAsync<(Guid OrderId, int Attempts)>(
            "select order_id, attempts from orders.agent_replies where order_id = any(@Orders) and written_at is null and given_up_at is null",
            new { Orders = routed.Select(r => r.OrderId).ToArray() })).ToDictionary(r => r.OrderId, r => r.Attempts);
        return [.. routed.Select(r => attempts.GetValueOrDefault(r.OrderId, -1))];
    }
}

/// <summary>
/// The agent with the sandbox's chat completions as its model, given a minute an answer, and a reply sweeper that looks
/// five times a second for claims a minute old: only the claims a spec leaves unwritten are its.
/// </summary>
public sealed class StoppingAgentFixture : AgentFixture
{
    /// <inheritdoc />
    protected override TimeSpan? ModelTimeout => TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Agent:Replies:SweepInterval"] = "00:00:00.200",
        ["Agent:Replies:RewriteAfter"] = "00:01:00",
    };
}
