using System.Diagnostics;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.InboundRouter.Routing;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>
/// Records verified events durably, once each, with what they hand on: group commit. A received email's row holds its
/// routing payload and trace, and is recorded already claimed for this process's routing pump, which gets it in memory
/// after the commit (<see cref="HandedEmails"/>; when the pump is behind, the row is recorded unclaimed and a pump's claim
/// takes it from there): the router does not send itself a bus message. A delivery fact gets the outbox row that publishes it.
/// Requests queue their event and wait; each writer takes whatever is queued (up to <see cref="IngressOptions.MaxBatch"/>;
/// a few more after <see cref="IngressOptions.CommitLinger"/> when only a few came and more are coming, <see cref="CommitLingerPolicy"/>),
/// inserts it in one multi-row statement that skips known <c>svix-id</c>s and <c>event_id</c>s, adds the outbox rows of
/// the new delivery facts in one more, and commits once: one round trip set and one fsync for the whole batch. A request
/// is answered only after its batch committed, so no 2xx ever precedes durability. At most
/// <see cref="IngressOptions.MaxQueued"/> events wait for a writer: beyond it a request is answered at once
/// (<see cref="IngressQueueFullException"/>). A request that gives up (<see cref="IngressOptions.RecordTimeout"/>, or
/// its client went away) cancels its event, which no writer then takes: an event answered 503 is not written after all,
/// nor written before fresher ones. One a writer had already taken when its request gave up is committed with its batch
/// (the 503 stands: the request does not wait past its timeout); AgentMail's retry of it is then a duplicate, answered
/// 200, and it is routed once.
/// </summary>
public sealed partial class ReceivedEventLog(
    NpgsqlDataSource dataSource,
    OutboxWriter outbox,
    RoutingSignal routing,
    HandedEmails handed,
    IOptions<IngressOptions> options,
    IOptions<RoutingOptions> routingOptions,
    ILogger<ReceivedEventLog> logger) : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly IngressOptions _options = options.Value;
    private readonly TimeSpan _claimLease = routingOptions.Value.ClaimLease;
    private readonly int _capacity = options.Value.QueueCapacity;

    // Events in the queue, counted beside it: a bounded channel would take its lock on every read as well as every write.
    private int _queued;

    /// <summary>Records the event; true when it is new, false when its <c>svix-id</c> or <c>event_id</c> was recorded before.</summary>
    /// <exception cref="IngressQueueFullException"><see cref="IngressOptions.MaxQueued"/> events wait already.</exception>
    /// <exception cref="TimeoutException">It was not durable within <see cref="IngressOptions.RecordTimeout"/>.</exception>
    internal async Task<bool> RecordAsync(IngressEvent received, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _queued) > _capacity)
        {
            Interlocked.Decrement(ref _queued);
            throw new IngressQueueFullException($"{_capacity} events wait to be recorded already.");
        }

        var pending = new Pending(received, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            throw new TimeoutException("The event log is stopping.");
        }

        try
        {
            return await pending.Outcome.Task.WaitAsync(_options.RecordTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            if (pending.Outcome.TrySetCanceled(CancellationToken.None))
            {
                throw;
            }

            // Its batch answered between the timeout and the cancellation: that answer is the truth.
            return await pending.Outcome.Task;
        }
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Writers).Select(_ => WriteLoopAsync(stoppingToken)));

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(_options.MaxBatch);
        long? lastCommit = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                Gather(batch);
                var sinceLastCommit = lastCommit is { } committedAt ? Stopwatch.GetElapsedTime(committedAt) : TimeSpan.MaxValue;
                if (CommitLingerPolicy.ShouldWait(batch.Count, sinceLastCommit, _options.CommitLinger))
                {
                    // Not cancellable: the events gathered are written even while stopping, after this short wait.
                    await Task.Delay(_options.CommitLinger, CancellationToken.None);
                    Gather(batch);
                }

                if (batch.Count > 0)
                {
                    await WriteAsync(batch, stoppingToken);
                    lastCommit = Stopwatch.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: requests still queued time out and are answered 503; AgentMail retries them.
        }
    }

    private void Gather(List<Pending> batch)
    {
        var taken = 0;
        while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var next))
        {
            taken++;

            // Cancelled: its request was answered 503 (or went away) and AgentMail sends it again; written now, it would
            // contradict that answer and delay the fresh events behind it.
            if (!next.Outcome.Task.IsCompleted)
            {
                batch.Add(next);
            }
        }

        Interlocked.Add(ref _queued, -taken);
    }

    private async Task WriteAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        // One svix-id twice in one batch (a duplicate delivery racing itself): the first is written, the rest follow it.
        var firsts = batch.DistinctBy(p => p.Event.SvixId).ToList();
        var emails = firsts.Count(p => p.Event.ToRoute is not null);
        var reserved = handed.TryReserve(emails) ? emails : 0;
        HashSet<string> inserted;
        try
        {
            inserted = await InsertAsync(firsts, handToPump: reserved > 0, stoppingToken);
        }
        catch (Exception e)
        {
            handed.Release(reserved);
            if (e is OperationCanceledException && stoppingToken.IsCancellationRequested)
            {
                throw;
            }

            LogBatchFailed(logger, batch.Count, e);
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetException(e);
            }

            return;
        }

        var winners = new HashSet<Pending>(firsts.Where(p => inserted.Contains(p.Event.SvixId)), ReferenceEqualityComparer.Instance);
        foreach (var pending in batch)
        {
            pending.Outcome.TrySetResult(winners.Contains(pending));
        }

        if (reserved > 0)
        {
            // Read back from the stored form, as a claim would: the pump routes exactly what the row holds.
            handed.Hand([.. winners.Where(p => p.Event.ToRoute is not null).Select(p => Handed(p.Event))], reserved);
        }

        if (winners.Any(p => p.Event.ToRoute is not null))
        {
            routing.Notify();
        }

        if (winners.Any(p => p.Event.Published is not null))
        {
            outbox.Notify();
        }
    }

    private static ClaimedEmail Handed(IngressEvent recorded) =>
        new(recorded.SvixId, InboundEmailReceived.FromJson(recorded.ToRoute!.Email), recorded.ToRoute.TraceParent, Attempts: 1);

    private async Task<HashSet<string>> InsertAsync(List<Pending> batch, bool handToPump, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // An email handed to this process's pump is recorded claimed by it, with the attempt the claim would count.
        var inserted = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            insert into received_events (svix_id, event_id, inbox_id, event_type, email, trace_parent, claimed_until, route_attempts)
            select e.svix_id, e.event_id, e.inbox_id, e.event_type, e.email, e.trace_parent,
                   case when @HandToPump and e.email is not null then now() + @Lease end,
                   case when @HandToPump and e.email is not null then 1 else 0 end
            from unnest(@SvixIds, @EventIds, @InboxIds, @EventTypes, @Emails, @TraceParents) as e (svix_id, event_id, inbox_id, event_type, email, trace_parent)
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
                HandToPump = handToPump,
                Lease = _claimLease,
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
