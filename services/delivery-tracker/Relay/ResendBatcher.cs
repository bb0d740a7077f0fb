using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Outbound;
using OrdersMail.Integrations.Resend;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// Sends new Resend emails in batches (<c>POST /emails/batch</c>), so confirmations flow at up to 100 times Resend's
/// request rate: what the workers hand in within <see cref="RelayOptions.BatchWindow"/> (up to
/// <see cref="RelayOptions.BatchSize"/>, and whatever waited while <see cref="RelayOptions.BatchesInFlight"/> batches
/// were out) becomes one batch. Resend's <c>Idempotency-Key</c> covers a whole batch, so the batch's membership and
/// exact body are committed before its send (<see cref="ResendBatchStore"/>) and its key derives from its id: a batch
/// whose answer was lost, found again through any member's row (after a retry wait or a restart), is sent again byte
/// for byte under the same key and Resend replays its ids. One send of a batch at a time in this process.
/// </summary>
public sealed partial class ResendBatcher(
    ResendBatchStore store,
    RelayJournal journal,
    ResendChannel channel,
    ResendClient resend,
    ResendRateGate rateGate,
    RelayMetrics metrics,
    ServiceTelemetry telemetry,
    IOptions<RelayOptions> options,
    TimeProvider time,
    ILogger<ResendBatcher> logger) : BackgroundService
{
    private readonly RelayOptions _options = options.Value;
    private readonly Channel<BatchMember> _queue = Channel.CreateUnbounded<BatchMember>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Guid, Lazy<Task<BatchOutcome>>> _sending = new();
    private readonly SemaphoreSlim _slots = new(options.Value.BatchesInFlight);
    private CancellationToken _stopping;

    /// <summary>Sends a new email (no row yet) as a member of the next batch.</summary>
    public Task<BatchResult> SendNewAsync(string fileName, ParsedFile.Valid file, string internetMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var member = new BatchMember(
            journal.PickUp(fileName, file, EmailProvider.Resend, internetMessageId), channel.Compose(file.EmailId, file.Email), Activity.Current);
        if (!_queue.Writer.TryWrite(member))
        {
            throw new OperationCanceledException("The Resend batcher has stopped.");
        }

        return WaitAsync(member, cancellationToken);
    }

    // A worker that stops waiting still owes the send slot a lone email was given: it is handed back for it.
    private static async Task<BatchResult> WaitAsync(BatchMember member, CancellationToken cancellationToken)
    {
        try
        {
            return await member.Done.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _ = ReleaseIfAloneAsync(member.Done.Task);
            throw;
        }
    }

    private static async Task ReleaseIfAloneAsync(Task<BatchResult> result)
    {
        await ((Task)result).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (result.IsCompletedSuccessfully && result.Result is BatchResult.SendAlone alone)
        {
            alone.Slot.Dispose();
        }
    }

    /// <summary>Sends again the batch <paramref name="batchId"/>, committed before, and says what came of <paramref name="emailId"/>.</summary>
    public async Task<BatchResult> ResendAsync(Guid batchId, Guid emailId, CancellationToken cancellationToken)
    {
        var batch = await store.FindAsync(batchId, cancellationToken) ?? throw new InvalidOperationException($"Resend batch {batchId} is not recorded.");
        return (await SendOnceAsync(batch, new Dictionary<Guid, Activity?> { [emailId] = Activity.Current }, onlySendSince: null).WaitAsync(cancellationToken)).For(emailId);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var running = new List<Task>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // While every slot is out, the next batch grows: that is how a burst gets big batches.
                await _slots.WaitAsync(stoppingToken);
                var members = await GatherAsync(stoppingToken);

                // A lone email while the rate leaves room (a token spare beyond its own) gains nothing from a batch:
                // it goes as a single send under its own key, its row committed first by the worker. It holds
                // the slot until it is answered, like a batch: emails arriving in a stream then gather behind it
                // into a batch instead of each going alone. Once the rate is the limit, tokens run short and lone
                // emails wait to be batched with the next ones.
                if (members.Count == 1 && rateGate.AvailableNow >= 2)
                {
                    members[0].Done.TrySetResult(new BatchResult.SendAlone(new SlotRelease(_slots)));
                    continue;
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await RunAsync(members);
                    }
                    finally
                    {
                        _slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the workers waiting on members below give their files back.
        }
        finally
        {
            _queue.Writer.TryComplete();
            await Task.WhenAll(running);
            var stopped = new OperationCanceledException("The Resend batcher has stopped.");
            while (_queue.Reader.TryRead(out var left))
            {
                left.Done.TrySetException(stopped);
            }
        }
    }

    // What is waiting now, plus whatever arrives within the window after the first member, up to a full batch.
    private async Task<List<BatchMember>> GatherAsync(CancellationToken stoppingToken)
    {
        var members = new List<BatchMember>(_options.BatchSize);
        var started = time.GetTimestamp();
        while (members.Count < _options.BatchSize)
        {
            if (_queue.Reader.TryRead(out var member))
            {
                members.Add(member);
                continue;
            }

            var left = _options.BatchWindow - time.GetElapsedTime(started);
            if (members.Count > 0 && left <= TimeSpan.Zero)
            {
                break;
            }

            using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            window.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            try
            {
                await _queue.Reader.WaitToReadAsync(window.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        return members;
    }

    private async Task RunAsync(List<BatchMember> members)
    {
        try
        {
            if (await CommitMembershipAsync(members) is not { } committed)
            {
                return;
            }

            var (batch, rows) = committed;

            // A member whose email had a row already (another file, another relay) was not sent: its worker looks at the row.
            for (var i = 0; i < members.Count; i++)
            {
                if (batch is null || rows[i].BatchId != batch.BatchId || !rows[i].IsNew)
                {
                    members[i].Done.TrySetResult(new BatchResult.LookAgain());
                }
            }

            if (batch is null)
            {
                return;
            }

            // Its first send, since the members' pick-up: a hold of it leaves them unsent.
            var outcome = await SendOnceAsync(
                batch, members.Where((_, i) => rows[i].IsNew).ToDictionary(m => m.PickUp.EmailId, m => m.Trace), rows.First(r => r.IsNew).QueuedAt);
            foreach (var member in members.Where((_, i) => rows[i].IsNew))
            {
                member.Done.TrySetResult(outcome.For(member.PickUp.EmailId));
            }
        }
        catch (Exception e)
        {
            // The database failed, the relay is stopping, or the send failed unforeseen: each worker gives its file back
            // and comes again, and counts an attempt of its email when the failure is not the machine's (MachineFailure).
            members.ForEach(m => m.Done.TrySetException(e));
        }
    }

    // Null when the membership of several emails failed for something one of them carries (PostgreSQL refusing a
    // value, not the machine's failure): nothing of it was sent, and each member goes on its own, where only the one at
    // fault fails, as a journal batch that fails is written entry by entry.
    private async Task<(PendingBatch? Batch, IReadOnlyList<EmailRecord> Rows)?> CommitMembershipAsync(List<BatchMember> members)
    {
        try
        {
            return await store.CommitMembershipAsync(
                [.. members.Select(m => m.PickUp)], joining => ResendClient.BatchBody([.. joining.Select(j => members.First(m => m.PickUp == j).Email)]), _stopping);
        }
        catch (Exception e) when (members.Count > 1 && !MachineFailure.Is(e))
        {
            LogMembershipFailed(logger, e, members.Count);
            members.ForEach(m => m.Done.TrySetResult(new BatchResult.LookAgain()));
            return null;
        }
    }

    private async Task<BatchOutcome> SendOnceAsync(PendingBatch batch, IReadOnlyDictionary<Guid, Activity?> traces, DateTime? onlySendSince)
    {
        var sending = _sending.GetOrAdd(batch.BatchId, _ => new Lazy<Task<BatchOutcome>>(() => SendAsync(batch, traces, onlySendSince)));
        try
        {
            return await sending.Value;
        }
        finally
        {
            _sending.TryRemove(KeyValuePair.Create(batch.BatchId, sending));
        }
    }

    // onlySendSince: the members' window's start when this is their only send since it (see OutboundEmailStore.RecordDeferredAsync);
    // a batch sent again whose members are unsent has its start recorded here, once for all the files sending it.
    private async Task<BatchOutcome> SendAsync(PendingBatch batch, IReadOnlyDictionary<Guid, Activity?> traces, DateTime? onlySendSince)
    {
        IReadOnlyList<string> ids;
        var began = time.GetUtcNow();
        if (channel.Pause.Deferral() is { } paused)
        {
            return await FailedAsync(batch, paused, began, onlySendSince);
        }

        using var sending = StartSending(batch, traces);
        onlySendSince ??= await store.RecordSendingAsync(batch.BatchId, _stopping);
        try
        {
            ids = await resend.SendBatchAsync(batch.Body, batch.EmailIds.Count, batch.IdempotencyKey, _stopping);
        }
        catch (Exception e) when (ResendChannel.IsFailure(e))
        {
            return await FailedAsync(batch, channel.Outcome(e), CountsIfDueBy(e, began), onlySendSince);
        }

        channel.Pause.Accepted();

        var acceptedAt = time.GetUtcNow();
        var accepted = batch.EmailIds.Select((emailId, i) => new SendOutcome.Accepted(ids[i], channel.InternetMessageIdFor(emailId)!)).ToList();
        var recorded = await store.RecordAcceptedAsync(batch, accepted, traces, _stopping);
        LogSent(logger, batch.BatchId, batch.EmailIds.Count);
        return new BatchOutcome.Accepted(batch.EmailIds.Select((emailId, i) => (emailId, accepted[i])).ToDictionary(), recorded, acceptedAt);
    }

    // The batch's own span: run from the batcher's loop, its send would otherwise be a root span in an orphan trace,
    // Resend's webhooks for its emails with it. It links to each member's outbox send span, and continues the one trace
    // its members share (a lone member, a batch sent again for one file, emails of one order), so the Resend call and
    // what it raises stay in that order's trace; a batch of several orders' emails is a trace of its own, linked to each.
    private Activity? StartSending(PendingBatch batch, IReadOnlyDictionary<Guid, Activity?> traces)
    {
        var members = traces.Values.OfType<Activity>().Select(trace => trace.Context).ToList();
        var parent = members.Count > 0 && members.All(member => member.TraceId == members[0].TraceId) ? members[0] : default;
        return telemetry.ActivitySource.StartActivity("resend batch", ActivityKind.Internal, parent, links: members.Select(member => new ActivityLink(member)))?
            .SetTag("ordersmail.resend.batch_id", batch.BatchId.ToString())
            .SetTag("ordersmail.resend.batch_size", batch.EmailIds.Count);
    }

    // Another relay may send the same batch at the same time (its members' files split between relays), so a failed
    // send counts the round it began in, once: a member another relay counted after this send began (its next attempt
    // now later) is not counted again. A 409 concurrent_idempotent_requests says such a send is running now, so it
    // counts nothing and fails nothing (counted, the last round would fail emails Resend is about to accept, which
    // that send could then no longer record); the members' files look at the batch again shortly, until that send's
    // answer is recorded. Only a round due for RetryMaxDelay before this send began, a send elsewhere that seems
    // stuck, is counted all the same.
    private DateTimeOffset CountsIfDueBy(Exception failure, DateTimeOffset began) =>
        ResendChannel.IsInFlightElsewhere(failure) ? began - _options.RetryMaxDelay : began;

    private async Task<BatchOutcome> FailedAsync(PendingBatch batch, SendOutcome failure, DateTimeOffset dueBy, DateTime? onlySendSince)
    {
        if (failure is SendOutcome.Transient transient)
        {
            var rows = await store.RecordTransientAsync(
                batch.BatchId,
                transient.Error,
                dueBy,
                attempt => time.GetUtcNow() + RelayBackoff.Delay(_options, attempt),
                _options.MaxAttempts,
                transient.Outage ? _options.OutagePatience : null,
                _stopping);
            LogTransientOf(batch, [.. rows.Select(r => r.Row)], transient.Error);
            foreach (var (_, kind) in rows.Where(r => r.Row.SendState == "failed"))
            {
                metrics.RecordFailed(RelayMetrics.ChannelOf(EmailProvider.Resend), kind, RelayMetrics.GaveUp);
            }

            return new BatchOutcome.NotSent();
        }

        if (failure is SendOutcome.Deferred deferred)
        {
            await store.RecordDeferredAsync(batch.BatchId, deferred, onlySendSince, _stopping);
            LogDeferred(logger, batch.BatchId, batch.EmailIds.Count, deferred.RetryAt);
            return new BatchOutcome.NotSent();
        }

        // Strict mode: one email Resend will not take refuses the batch and nothing of it is sent, so each member is
        // sent on its own, where only the one at fault is refused and the others go out. A refusal for the account is
        // Deferred above, the batch kept: sent on their own, its members would each meet it again.
        var refused = (SendOutcome.Refused)failure;
        LogRefused(logger, batch.BatchId, batch.EmailIds.Count, refused.Error);
        await store.ReleaseAsync(batch.BatchId, _stopping);
        return new BatchOutcome.NotSent();
    }

    // A round that could spend an attempt of a member at Warning; once an outage keeps them all past their last, that
    // once, then each round at Debug, as for a file sent alone.
    private void LogTransientOf(PendingBatch batch, IReadOnlyList<EmailRecord> counted, string error)
    {
        if (counted.Count == 0 || !counted.All(row => OutageWait.Spares(row, _options.MaxAttempts)))
        {
            LogTransient(logger, batch.BatchId, batch.EmailIds.Count, error);
        }
        else if (counted.Any(row => OutageWait.Begins(row, _options.MaxAttempts)))
        {
            LogOutageWait(logger, batch.BatchId, batch.EmailIds.Count, error, _options.RetryMaxDelay, counted.Min(row => OutageWait.Until(row, _options.OutagePatience)));
        }
        else
        {
            LogOutageRetry(logger, batch.BatchId, batch.EmailIds.Count, error);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Resend batch of {Count} emails could not be formed; each is sent on its own")]
    private static partial void LogMembershipFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Resend batch {BatchId}: {Count} emails accepted")]
    private static partial void LogSent(ILogger logger, Guid batchId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resend batch {BatchId} of {Count} emails got no definitive answer ({Error}); its emails stay pending and it is sent again as it was")]
    private static partial void LogTransient(ILogger logger, Guid batchId, int count, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resend batch {BatchId} of {Count} emails: Resend is unavailable at their last attempt ({Error}); they stay pending, the batch sent again up to {RetryMaxDelay} apart while the outage lasts, and fail only if a send fails after {GivesUpAt:u}")]
    private static partial void LogOutageWait(ILogger logger, Guid batchId, int count, string error, TimeSpan retryMaxDelay, DateTime givesUpAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Resend batch {BatchId} of {Count} emails: Resend is still unavailable ({Error}); its emails wait the outage out")]
    private static partial void LogOutageRetry(ILogger logger, Guid batchId, int count, string error);

    // A pause, the quota's or the account's, is logged at Error once, by ResendQuota or ProviderPause; a line per batch would be a flood.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Resend batch {BatchId} of {Count} emails waits out Resend's pause (the team's quota or the account) until {RetryAt}; no attempt counted")]
    private static partial void LogDeferred(ILogger logger, Guid batchId, int count, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resend refused batch {BatchId} of {Count} emails ({Error}); nothing of it was sent, so each is sent on its own")]
    private static partial void LogRefused(ILogger logger, Guid batchId, int count, string error);
}
