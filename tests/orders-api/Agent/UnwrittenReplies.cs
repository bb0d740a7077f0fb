using Dapper;
using OrdersMail.Contracts.Inbound;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// What the sweeper specs leave of an answered message: the reply's claim as a consumer that failed through every
/// retry leaves it (the message in the error queue, the claim unwritten, nothing delivered again), and the claim as it
/// stands.
/// </summary>
internal sealed class UnwrittenReplies(AgentFixture fixture)
{
    private readonly AgentScenario _scenario = new(fixture);

    /// <summary>Answers the message, then leaves what a consumer that failed through every retry leaves (<see cref="LeaveUnwrittenAsync"/>). The claimed file's path.</summary>
    public async Task<string> AnsweredThenUnwrittenAsync(InboundMessageRouted routed, string? from = null)
    {
        var path = await AnsweredAsync(routed);
        await LeaveUnwrittenAsync(routed, from);
        return path;
    }

    /// <summary>Answers the message and deletes the reply's file, its claim still written, so no sweep takes it yet. The file's path.</summary>
    public async Task<string> AnsweredAsync(InboundMessageRouted routed)
    {
        ArgumentNullException.ThrowIfNull(routed);
        await _scenario.DeliverAsync(routed);
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        var file = await connection.ExecuteScalarAsync<string>(
            "select file_name from orders.agent_replies where order_id = @OrderId and message_id = @MessageId", new { routed.OrderId, routed.MessageId });
        var path = Path.Combine(fixture.OutboxDirectory, "email", file!);
        File.Delete(path);
        return path;
    }

    /// <summary>
    /// Leaves what a consumer that failed through every retry leaves of an answered message: the claim unwritten (and due
    /// to the sweeper at once), no reply in the conversation, and no delivery to come; the message's sender changed to
    /// <paramref name="from"/> when given, in the same transaction.
    /// </summary>
    public async Task LeaveUnwrittenAsync(InboundMessageRouted routed, string? from = null)
    {
        ArgumentNullException.ThrowIfNull(routed);
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

    /// <summary>
    /// Answers the message, then leaves its claim as a writer still at it holds it: unwritten, its file not yet there,
    /// and not due to the sweeper for an hour (a claim stamped ahead), so no sweep takes or gives it up while a spec looks.
    /// </summary>
    public async Task BeingWrittenAsync(InboundMessageRouted routed)
    {
        await AnsweredAsync(routed);
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "update orders.agent_replies set written_at = null, claimed_at = now() + interval '1 hour' where order_id = @OrderId and message_id = @MessageId",
            new { routed.OrderId, routed.MessageId });
    }

    /// <summary>The sweeper's attempts at the reply's claim, and whether it gave it up.</summary>
    public async Task<(int Attempts, bool GivenUp)> ClaimAsync(InboundMessageRouted routed)
    {
        ArgumentNullException.ThrowIfNull(routed);
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(int, bool)>(
            "select attempts, given_up_at is not null from orders.agent_replies where order_id = @OrderId and message_id = @MessageId",
            new { routed.OrderId, routed.MessageId });
    }
}
