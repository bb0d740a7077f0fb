using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// Routes the received emails the ingress recorded, in batches: first those it handed over in memory, recorded already
/// claimed for this process (<see cref="HandedEmails"/>), then, woken by the ingress after each commit
/// (<see cref="RoutingSignal"/>) and scanning every <see cref="RoutingOptions.ScanInterval"/>, rows recorded unclaimed
/// or left by a crash or another replica, which it claims (<see cref="UnroutedEmails"/>). Each batch is completed from
/// AgentMail where a body is missing, decided at once (<see cref="InboundRouting"/>: one lookup per table, one AgentMail
/// read per inbox), then its decisions, their events and the rows' routed mark are written in one transaction. Nothing
/// is held across AgentMail's answers. A batch that fails is given back with a backoff, and so is an email AgentMail
/// failed (its body, its inbox's order), alone, while the rest of its batch is routed; an email that failed
/// <see cref="RoutingOptions.MaxAttempts"/> times is parked with the reason, for ops to re-route, instead of retried for good
/// (attempts that failed because AgentMail was unavailable count only after <see cref="RoutingOptions.OutagePatience"/>, and
/// those a transient database failure ended do not count at all: <see cref="ClaimAttempt"/>).
/// </summary>
public sealed partial class RoutingPump(
    NpgsqlDataSource dataSource,
    UnroutedEmails unrouted,
    HandedEmails handed,
    RoutingSignal signal,
    MessageBodies bodies,
    InboundRouting routing,
    RoutedMessages routed,
    RoutingTelemetry telemetry,
    OutboxWriter outbox,
    ParkedGauge parked,
    IOptions<RoutingOptions> options,
    ILogger<RoutingPump> logger) : BackgroundService
{
    private readonly RoutingOptions _options = options.Value;

    /// <summary>
    /// Takes one batch of handed emails, or else claims one, and routes it; how many rows it took. A batch that fails is
    /// given back, claimable again after a backoff (at once when stopping), and the failure thrown.
    /// </summary>
    public async Task<int> RouteBatchAsync(CancellationToken cancellationToken)
    {
        var claimed = handed.Take(_options.BatchSize) is { Count: > 0 } taken ? taken : await unrouted.ClaimAsync(_options.BatchSize, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        // A sibling loop looks for more while this batch is routed.
        signal.Notify();
        try
        {
            await RouteAsync(claimed, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A database that could not take the batch now (a pool with no connection free, a command timed out behind a
            // lock, a failover) is no fault of its emails: counted, a slow database parked them all in minutes.
            var attempt = TransientDatabaseFailure.Is(e) ? ClaimAttempt.GivenBack : ClaimAttempt.Counted;
            await GiveBackAsync(claimed, backOff: !cancellationToken.IsCancellationRequested, attempt);
            throw;
        }

        return claimed.Count;
    }

    /// <summary>Routes claimed emails and records their decisions, each message's once, whoever else routed it meanwhile.</summary>
    public async Task RouteAsync(IReadOnlyList<ClaimedEmail> claimed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);

        // Two events of one email (AgentMail sent it under two event ids) share one decision.
        var distinct = claimed.DistinctBy(Key).ToList();
        var (emails, decisions) = await DecideAsync(distinct, cancellationToken);

        // An email whose order the router has still to learn from the bus waits for it, within its attempts: the
        // customer's new order can re-stamp the inbox before the router has consumed that order's OrderCreated (a
        // backlog, a restart), and parking would leave the customer unanswered until a person re-routed it. One that
        // AgentMail failed is given back alone, as its batch was before, while the rest of its batch is routed.
        var waiting = distinct.Where((c, i) => decisions[i].MayLearn && c.Attempts < _options.MaxAttempts).Select(Key).ToHashSet();
        var failed = distinct.Select((c, i) => (Key: Key(c), decisions[i].Failure)).Where(f => f.Failure is not null).ToDictionary(f => f.Key, f => f.Failure!);
        var routings = distinct.Select((c, i) => (Claimed: c, Index: i))
            .Where(d => !waiting.Contains(Key(d.Claimed)) && !failed.ContainsKey(Key(d.Claimed)))
            .Select(d => PrepareInItsTrace(d.Claimed, emails[d.Index], decisions[d.Index]))
            .ToList();
        var later = claimed.Where(c => waiting.Contains(Key(c))).ToList();
        var unread = claimed.Where(c => failed.ContainsKey(Key(c))).ToList();

        IReadOnlyList<RoutedMessages.Routing> applied;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            applied = await routed.ApplyAsync(transaction, routings, cancellationToken);
            await UnroutedEmails.MarkRoutedAsync(transaction, [.. claimed.Except(later).Except(unread).Select(c => c.SvixId)], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (later.Count > 0)
        {
            LogWaiting(logger, later.Count);
            await GiveBackAsync(later, backOff: true, ClaimAttempt.Counted);
        }

        await GiveBackUnreadAsync(unread, failed);

        if (applied.Count == 0)
        {
            return;
        }

        outbox.Notify();
        foreach (var (email, decision, _) in applied)
        {
            telemetry.Decided(decision);
            if (decision.OrderId is { } orderId)
            {
                LogRouted(logger, email.MessageId, orderId, decision.RoutedBy!);
            }
            else
            {
                LogParked(logger, email.MessageId, email.InboxId, decision.ParkReason!);
            }
        }

        // Counted a moment later, off the batch (RowCountGaugeRefresher): a count here was linear in the mail waiting for ops.
        if (applied.Any(r => r.Decision.OrderId is null))
        {
            parked.Changed();
        }
    }

    // Each email with its body and its decision, in the order given. Bodies are read one at a time; a read AgentMail
    // fails is its own email's failure, and once AgentMail was unavailable the rest are not asked for (AgentMailReads).
    private async Task<(List<InboundEmailReceived> Emails, RoutingDecision[] Decisions)> DecideAsync(List<ClaimedEmail> distinct, CancellationToken cancellationToken)
    {
        var reads = new AgentMailReads();
        var emails = new List<InboundEmailReceived>(distinct.Count);
        var decisions = new RoutingDecision?[distinct.Count];
        foreach (var (claimed, i) in distinct.Select((c, i) => (c, i)))
        {
            if (claimed.Attempts > _options.MaxAttempts)
            {
                emails.Add(claimed.Email);
                decisions[i] = RoutingDecision.Park($"routing failed {_options.MaxAttempts} times; see the router's log");
                continue;
            }

            if (claimed.Email.HasBody)
            {
                emails.Add(claimed.Email);
                continue;
            }

            var (withBody, failure) = await reads.TryAsync(() => bodies.WithBodyAsync(claimed.Email, cancellationToken));
            emails.Add(withBody ?? claimed.Email);
            decisions[i] = failure is null ? null : RoutingDecision.Failed(failure);
        }

        var toDecide = Enumerable.Range(0, distinct.Count).Where(i => decisions[i] is null).ToList();
        var decided = toDecide.Count > 0 ? await routing.DecideAsync([.. toDecide.Select(i => emails[i])], reads, cancellationToken) : [];
        foreach (var (i, decision) in toDecide.Zip(decided))
        {
            decisions[i] = decision;
        }

        return (emails, [.. decisions.Select(d => d!)]);
    }

    // What AgentMail failed for some emails of a batch: each given back with a backoff, as a failed batch is, its
    // attempt not counted when AgentMail was unavailable (within OutagePatience).
    private async Task GiveBackUnreadAsync(List<ClaimedEmail> unread, Dictionary<(string InboxId, string MessageId), Exception> failed)
    {
        var outage = unread.Where(c => failed[Key(c)] is AgentMailUnavailableException).ToList();
        if (outage.Count > 0)
        {
            LogAgentMailUnavailable(logger, outage.Count, failed[Key(outage[0])]);
            await GiveBackAsync(outage, backOff: true, ClaimAttempt.AgentMailOutage);
        }

        var refused = unread.Except(outage).ToList();
        foreach (var email in refused.DistinctBy(Key))
        {
            LogAgentMailFailed(logger, email.Email.MessageId, email.Email.InboxId, failed[Key(email)]);
        }

        await GiveBackAsync(refused, backOff: true, ClaimAttempt.Counted);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Batches).Select(_ => PumpAsync(stoppingToken)));

    private async Task PumpAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await TryRouteBatchAsync(stoppingToken) is { } claimed && claimed < _options.BatchSize)
                {
                    await signal.WaitAsync(_options.ScanInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a batch not committed is given back (or its claim expires), and so are the handed emails no loop
            // took, claimable at once by the next start or another replica.
            await GiveBackAsync(handed.Take(int.MaxValue), backOff: false, ClaimAttempt.Counted);
        }
    }

    // The rows claimed, or null after a failure (logged; its rows wait out their backoff).
    private async Task<int?> TryRouteBatchAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await RouteBatchAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // An exception leaving ExecuteAsync would stop the whole host; the loop pauses and goes on instead.
            LogBatchFailed(logger, e);
            await Task.Delay(_options.RetryBaseDelay, stoppingToken);
            return null;
        }
    }

    private async Task GiveBackAsync(IReadOnlyList<ClaimedEmail> claimed, bool backOff, ClaimAttempt attempt)
    {
        if (claimed.Count == 0)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await unrouted.ReleaseAsync([.. claimed.Select(c => c.SvixId)], backOff, attempt, timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The database is what failed: the claims expire after ClaimLease instead.
            LogGiveBackFailed(logger, claimed.Count, e.GetType().Name);
        }
    }

    private static (string InboxId, string MessageId) Key(ClaimedEmail claimed) => (claimed.Email.InboxId, claimed.Email.MessageId);

    // Each email keeps a trace of its own, continuing the ingress request that recorded it, linked to the order's and
    // tagged with its reference; its event is prepared under that span, so the publish continues it.
    private RoutedMessages.Routing PrepareInItsTrace(ClaimedEmail claimed, InboundEmailReceived email, RoutingDecision decision)
    {
        using var activity = telemetry.StartRouting(email.InboxId, email.MessageId, TraceParents.Parse(claimed.TraceParent));
        if (decision.OrderId is { } orderId)
        {
            RoutingTelemetry.RoutedTo(activity, orderId, decision.Order);
        }

        return routed.Prepare(email, decision);
    }

    // Debug, not Information: at thousands of emails a second one line each (and one OTLP log record each) cost more
    // than the routing around them; the routing span (tagged with the order) and ordersmail.inbound.messages keep the facts.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Routing: message {MessageId} went to order {OrderId} ({RoutedBy})")]
    private static partial void LogRouted(ILogger logger, string messageId, Guid orderId, string routedBy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: message {MessageId} of inbox {InboxId} parked: {Reason}")]
    private static partial void LogParked(ILogger logger, string messageId, string inboxId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing: {Count} email(s) name an order the router has still to learn; tried again after a backoff")]
    private static partial void LogWaiting(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: AgentMail is unavailable for {Count} email(s) of a batch; they are tried again after a backoff, the rest routed")]
    private static partial void LogAgentMailUnavailable(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: AgentMail failed what message {MessageId} of inbox {InboxId} needs; it is tried again after a backoff, the rest of its batch routed")]
    private static partial void LogAgentMailFailed(ILogger logger, string messageId, string inboxId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: a batch failed; its emails are tried again after a backoff")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: {Count} claimed email(s) could not be given back ({Error}); their claims expire instead")]
    private static partial void LogGiveBackFailed(ILogger logger, int count, string error);
}
