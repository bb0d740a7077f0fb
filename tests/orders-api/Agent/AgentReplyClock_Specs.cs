using Dapper;
using OrdersMail.OrdersApi.Tests.Conversation;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// orders-api's host clock three minutes behind the database's: a reply's claim is judged overdue by the database's
/// clock (the sweeper's <c>claimed_at &lt; now() - RewriteAfter</c>), so it is stamped with that clock too. Stamped by
/// the host, every claim would be overdue the moment it was made, and the sweeper would compose each reply a second
/// time while its consumer still wrote the first.
/// </summary>
public sealed class AgentReplyClock_Specs(LaggingClockAgentFixture fixture) : IClassFixture<LaggingClockAgentFixture>
{
    private readonly AgentScenario _scenario = new(fixture);

    [Fact]
    public async Task Should_stamp_a_reply_claim_with_the_database_clock_the_sweeper_judges_it_by()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var routed = ConversationScenario.Routed(orderId);

        await _scenario.DeliverAsync(routed);

        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        var behindDatabase = await connection.ExecuteScalarAsync<double>(
            "select extract(epoch from now() - claimed_at) from orders.agent_replies where order_id = @OrderId and message_id = @MessageId",
            new { routed.OrderId, routed.MessageId });
        Assert.InRange(behindDatabase, 0, 60);
        Assert.Single(_scenario.ReplyFiles(orderId));
    }
}

/// <summary>The agent on a host whose clock runs three minutes behind the database's.</summary>
public sealed class LaggingClockAgentFixture : AgentFixture
{
    /// <inheritdoc />
    protected override TimeProvider? Clock => new LaggingClock(TimeSpan.FromMinutes(3));

    private sealed class LaggingClock(TimeSpan behind) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() - behind;
    }
}
