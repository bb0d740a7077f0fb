using System.Globalization;
using Dapper;
using Npgsql;

namespace OrdersMail.Load;

/// <summary>
/// What inbound-router still has to do after the ingress answered: outbox rows not yet published and routing messages
/// not yet routed; and what orders-api has still to consume of what the router published (each routed message is one
/// <c>InboundMessageRouted</c> delivery, which its conversation consumer records in <c>orders.processed_messages</c>
/// first, on every path). The benchmark waits for all of it after each ingress phase, so the work behind the bus is
/// measured with the phase that caused it instead of slowing the next one (the bare endpoint's above all). Its probes
/// read index ranges, never a whole table, and the count that grows with the run (the inbox's routed messages) only
/// until it is final: they run every 100 ms while the CPU behind the bus is measured, and PostgreSQL's CPU counts every
/// backend, the benchmark's own among them.
/// </summary>
public sealed class RouterBacklog(NpgsqlDataSource router, string inboxId)
{
    private long _consumedBefore;
    private (Guid From, Guid To) _messageIds;

    /// <summary>The router's work for a known order ref: the benchmark's inbox routes to it, as a customer's would.</summary>
    public async Task KnowOrderAsync(string orderRef)
    {
        await using var connection = await router.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "insert into order_refs (order_ref, order_id, user_id) values (@OrderRef, @OrderId, 'load-benchmark') on conflict do nothing",
            new { OrderRef = orderRef, OrderId = Guid.NewGuid() });
        var now = DateTimeOffset.UtcNow;
        _messageIds = (TimeOrderedIds.First(now.AddMinutes(-1)), TimeOrderedIds.First(now.AddDays(1)));
        _consumedBefore = await ConsumedAsync(connection);
    }

    /// <summary>
    /// Waits until nothing is pending, at most <paramref name="timeout"/>; how long it took and what is left. Without
    /// <paramref name="consumed"/> it waits for the router's work only (routed and published), not orders-api's consume.
    /// </summary>
    public async Task<(TimeSpan Took, long Outbox, long Routing, long Unconsumed)> DrainAsync(TimeSpan timeout, bool consumed = true)
    {
        var started = DateTime.UtcNow;
        long? finalRouted = null;
        while (true)
        {
            var outbox = await PendingOutboxAsync();
            var routing = await UnroutedAsync();
            var unconsumed = 0L;
            if (consumed)
            {
                // Once nothing waits to be routed or published, no more can be routed (the phase has been answered):
                // the routed count is final, and counting a run's thousands of rows again every probe would load the
                // database whose CPU is being measured.
                var routed = finalRouted ?? await RoutedAsync();
                finalRouted = outbox == 0 && routing == 0 ? routed : null;
                unconsumed = routed - (await ConsumedAsync() - _consumedBefore);
            }

            if ((outbox == 0 && routing == 0 && unconsumed <= 0) || DateTime.UtcNow - started > timeout)
            {
                return (DateTime.UtcNow - started, outbox, routing, Math.Max(0, unconsumed));
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The drain, in words.</summary>
    public static string Describe((TimeSpan Took, long Outbox, long Unrouted, long Unconsumed) drain, string after = "the last answer")
    {
        var left = drain.Outbox + drain.Unrouted + drain.Unconsumed > 0
            ? $" (timed out: {drain.Outbox} outbox rows, {drain.Unrouted} events not routed, {drain.Unconsumed} not consumed by orders-api)"
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"behind the bus drained {drain.Took.TotalSeconds:0.0} s after {after}{left}");
    }

    private async Task<long> PendingOutboxAsync()
    {
        await using var connection = await router.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from outbox_messages where published_at is null and dead_lettered_at is null");
    }

    // Routing empties a row's email in the transaction that records its decision (routed or parked); a row set aside for
    // a person keeps it but waits for no pump. The partial index received_events_waiting holds only the rows still
    // waiting, and the probe states its predicate so it reads that index.
    private async Task<long> UnroutedAsync()
    {
        await using var connection = await router.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "select count(*) from received_events where email is not null and claimed_until is distinct from 'infinity' and inbox_id = @InboxId",
            new { InboxId = inboxId });
    }

    // The inbox's routed messages: orders-api has one InboundMessageRouted to consume for each, and nothing else
    // publishes that message meanwhile.
    private async Task<long> RoutedAsync()
    {
        await using var connection = await router.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from routed_messages where inbox_id = @InboxId", new { InboxId = inboxId });
    }

    private async Task<long> ConsumedAsync()
    {
        await using var connection = await router.OpenConnectionAsync();
        return await ConsumedAsync(connection);
    }

    // Message ids are the router's outbox row ids, time-ordered: this run's lie in one narrow range of the primary key.
    private Task<long> ConsumedAsync(NpgsqlConnection connection) =>
        connection.ExecuteScalarAsync<long>(
            "select count(*) from orders.processed_messages where consumer = 'conversation' and message_id between @From and @To",
            new { _messageIds.From, _messageIds.To });
}
