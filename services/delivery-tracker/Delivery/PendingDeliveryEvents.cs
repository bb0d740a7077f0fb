using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Delivery;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>
/// Applies facts that arrived before their email was known (kept by <see cref="DeliveryStateStore.ApplyOrKeepAsync"/>),
/// once the relay's row carries the provider id they name. The rule is order-free, so a kept <c>delivered</c>
/// applied after a live <c>bounced</c> changes nothing, as it would have on time. Replicas share the work through
/// <c>SKIP LOCKED</c>; a fact whose email never appears stays in the table for ops until the retention sweep drops it.
/// A batch that fails, for whatever reason, is logged and looked at again after the poll interval (<see cref="PollingLoop"/>).
/// </summary>
public sealed partial class PendingDeliveryEvents(
    NpgsqlDataSource dataSource,
    DeliveryStateStore store,
    OutboxWriter outbox,
    DeliveryTelemetry telemetry,
    IOptions<PendingDeliveryOptions> options,
    ILogger<PendingDeliveryEvents> logger) : BackgroundService
{
    /// <summary>Applies one batch of kept facts whose email is now known; returns how many.</summary>
    public async Task<int> ApplyBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var kept = (await connection.QueryAsync<KeptFact>(new CommandDefinition(
            """
            select p.id as Id, p.provider as Provider, p.provider_message_id as ProviderMessageId, p.state as State,
                   p.detail as Detail, p.occurred_at as OccurredAt, p.source as Source, p.trace_parent as TraceParent,
                   p.internet_message_id as InternetMessageId, p.bounce_type as BounceType, p.bounce_sub_type as BounceSubType
            from pending_delivery_events p
            where exists (select 1 from outbound_emails o where o.provider = p.provider and o.provider_message_id = p.provider_message_id)
            order by p.id
            limit @PendingBatchSize
            for update of p skip locked
            """,
            new { options.Value.PendingBatchSize },
            transaction,
            cancellationToken: cancellationToken))).ToList();
        if (kept.Count == 0)
        {
            return 0;
        }

        var moved = new List<DeliveryFact>();
        foreach (var entry in kept)
        {
            // In the trace of the webhook that brought the fact, not this poll's, so its DeliveryStateChanged joins the email's trace.
            using var activity = telemetry.StartStateChange(TraceParents.Parse(entry.TraceParent));
            var fact = entry.ToFact();
            if (await store.ApplyAsync(transaction, fact, cancellationToken) == DeliveryOutcome.Moved)
            {
                moved.Add(fact);
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "delete from pending_delivery_events where id = any(@Ids)", new { Ids = kept.Select(k => k.Id).ToArray() }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();

        // Counted once committed: a batch rolled back is applied again at the next poll.
        moved.ForEach(fact => telemetry.StateChanged(fact.Provider, fact.State));
        LogApplied(logger, kept.Count, moved.Count);
        return kept.Count;
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PollingLoop.RunAsync(
            async cancellationToken => await ApplyBatchAsync(cancellationToken) == options.Value.PendingBatchSize,
            () => options.Value.PendingPollInterval,
            e => LogFailed(logger, e),
            stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} kept delivery events to emails now known ({Moved} moved)")]
    private static partial void LogApplied(ILogger logger, int count, int moved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying kept delivery events failed; trying again after the poll interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    private sealed record KeptFact(
        long Id, string Provider, string ProviderMessageId, int State, string? Detail, DateTime OccurredAt, string Source, string? TraceParent, string? InternetMessageId,
        string? BounceType, string? BounceSubType)
    {
        public DeliveryFact ToFact() => new(
            EmailProviders.Parse(Provider), ProviderMessageId, (DeliveryState)State, Detail, new DateTimeOffset(OccurredAt, TimeSpan.Zero), Source, InternetMessageId,
            BounceKind.Of(BounceType, BounceSubType));
    }
}
