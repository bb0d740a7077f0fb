using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.InboundRouter.Routing;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>
/// Records verified events durably, once each, with what they hand on: group commit. A received email's row holds its
/// routing payload and trace, which the routing pump (<see cref="RoutingPump"/>, woken after the commit) takes from
/// there: the router does not send itself a bus message. A delivery fact gets the outbox row that publishes it.
/// Requests queue their event and wait; each writer takes whatever is queued (up to <see cref="IngressOptions.MaxBatch"/>),
/// inserts it in one multi-row statement that skips known <c>svix-id</c>s and <c>event_id</c>s, adds the outbox rows of
/// the new delivery facts in one more, and commits once: one round trip set and one fsync for the whole batch. A request
/// is answered only after its batch committed, so no 2xx ever precedes durability.
/// </summary>
public sealed partial class ReceivedEventLog(
    NpgsqlDataSource dataSource,
    OutboxWriter outbox,
    RoutingSignal routing,
    IOptions<IngressOptions> options,
    ILogger<ReceivedEventLog> logger) : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly IngressOptions _options = options.Value;

    /// <summary>Records the event; true when it is new, false when its <c>svix-id</c> or <c>event_id</c> was recorded before.</summary>
    /// <exception cref="TimeoutException">It was not durable within <see cref="IngressOptions.RecordTimeout"/>.</exception>
    internal async Task<bool> RecordAsync(IngressEvent received, CancellationToken cancellationToken)
    {
        var pending = new Pending(received, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new TimeoutException("The event log is stopping.");
        }

        return await pending.Outcome.Task.WaitAsync(_options.RecordTimeout, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Writers).Select(_ => WriteLoopAsync(stoppingToken)));

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(_options.MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                if (batch.Count > 0)
                {
                    await WriteAsync(batch, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: requests still queued time out and are answered 503; AgentMail retries them.
        }
    }

    private async Task WriteAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        // One svix-id twice in one batch (a duplicate delivery racing itself): the first is written, the rest follow it.
        var firsts = batch.DistinctBy(p => p.Event.SvixId).ToList();
        try
        {
            var inserted = await InsertAsync(firsts, stoppingToken);
            var winners = new HashSet<Pending>(firsts.Where(p => inserted.Contains(p.Event.SvixId)), ReferenceEqualityComparer.Instance);
            if (winners.Any(p => p.Event.ToRoute is not null))
            {
                routing.Notify();
            }

            if (winners.Any(p => p.Event.Published is not null))
            {
                outbox.Notify();
            }

            foreach (var pending in batch)
            {
                pending.Outcome.TrySetResult(winners.Contains(pending));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogBatchFailed(logger, batch.Count, e);
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetException(e);
            }
        }
    }

    private async Task<HashSet<string>> InsertAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            insert into received_events (svix_id, event_id, inbox_id, event_type, email, trace_parent)
            select * from unnest(@SvixIds, @EventIds, @InboxIds, @EventTypes, @Emails, @TraceParents)
            on conflict do nothing
            returning svix_id
            """,
            new
            {
                SvixIds = batch.Select(p => p.Event.SvixId).ToArray(),
                EventIds = batch.Select(p => p.Event.EventId).ToArray(),
                InboxIds = batch.Select(p => p.Event.InboxId).ToArray(),
                EventTypes = batch.Select(p => p.Event.EventType).ToArray(),
                Emails = batch.Select(p => p.Event.ToRoute?.Email).ToArray(),
                TraceParents = batch.Select(p => p.Event.ToRoute?.TraceParent).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        await OutboxWriter.AddEntriesAsync(transaction, [.. batch.Where(p => inserted.Contains(p.Event.SvixId)).Select(p => p.Event.Published).OfType<OutboxEntry>()], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress: recording a batch of {Count} event(s) failed; they are answered 503 and AgentMail retries them")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    private sealed record Pending(IngressEvent Event, TaskCompletionSource<bool> Outcome);
}
