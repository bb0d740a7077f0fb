using System.Globalization;
using Dapper;
using Npgsql;

namespace OrdersMail.Load;

/// <summary>
/// What inbound-router still has to do after the ingress answered: outbox rows not yet published and routing messages
/// not yet routed. The benchmark waits for both to be empty after each ingress phase, so the work behind the bus is
/// measured with the phase that caused it instead of slowing the next one (the bare endpoint's above all).
/// </summary>
public sealed class RouterBacklog(NpgsqlDataSource router, string inboxId)
{
    /// <summary>The router's work for a known order ref: the benchmark's inbox routes to it, as a customer's would.</summary>
    public async Task KnowOrderAsync(string orderRef)
    {
        await using var connection = await router.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "insert into order_refs (order_ref, order_id, user_id) values (@OrderRef, @OrderId, 'load-benchmark') on conflict do nothing",
            new { OrderRef = orderRef, OrderId = Guid.NewGuid() });
    }

    /// <summary>Waits until nothing is pending, at most <paramref name="timeout"/>; how long it took and what is left.</summary>
    public async Task<(TimeSpan Took, long Outbox, long Routing)> DrainAsync(TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            var outbox = await PendingOutboxAsync();
            var routing = await UnroutedAsync();
            if ((outbox == 0 && routing == 0) || DateTime.UtcNow - started > timeout)
            {
                return (DateTime.UtcNow - started, outbox, routing);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The drain, in words.</summary>
    public static string Describe((TimeSpan Took, long Outbox, long Unrouted) drain)
    {
        var left = drain.Outbox + drain.Unrouted > 0 ? $" (timed out: {drain.Outbox} outbox rows, {drain.Unrouted} events not routed)" : "";
        return string.Create(CultureInfo.InvariantCulture, $"behind the bus drained {drain.Took.TotalSeconds:0.0} s after the last answer{left}");
    }

    private async Task<long> PendingOutboxAsync()
    {
        await using var connection = await router.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from outbox_messages where published_at is null and dead_lettered_at is null");
    }

    // Every event recorded for the inbox has been routed (or parked) once: routed_messages is written in the routing transaction.
    private async Task<long> UnroutedAsync()
    {
        await using var connection = await router.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "select (select count(*) from received_events where inbox_id = @InboxId) - (select count(*) from routed_messages where inbox_id = @InboxId)",
            new { InboxId = inboxId });
    }
}
