using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.OrdersApi.Sweeping;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>
/// Sends the confirmation of every order that has none <see cref="ConfirmationOptions.WaitForInbox"/> after it was
/// placed (with the default Reply-To while its inbox has not come; with the inbox when its InboxReady reached the order
/// but not the confirmation), and writes again any claim whose writer died before its file existed. Bounded
/// batches, replicas sharing them through <c>SKIP LOCKED</c>; the files are written after the claim commits.
/// Each sweep looks only at orders that became overdue since the last look (less an overlap), so its cost follows
/// the rate of orders, not a day of them; every <see cref="ConfirmationOptions.FullSweepEvery"/> it looks back over
/// <see cref="ConfirmationOptions.SweepLookBack"/> again, for an order skipped while another transaction held it
/// or committed long after it was placed. A claim is written again at most <see cref="ClaimSweepOptions.MaxAttempts"/>
/// times, then given up: logged as an error, counted in <c>ordersmail.confirmations.given_up</c>, and shown failed on
/// the order's timeline, until ops put it back once they fixed the cause (<see cref="WriteAgainEndpoint"/>); a write
/// that failed for no fault of its own (the outbox or the database away, or the service stopping in the middle of the
/// sweep) is not counted.
/// One confirmation that fails to be written does not hold back the others of its sweep.
/// </summary>
public sealed partial class ConfirmationSweeper(
    ConfirmationClaims claims,
    ConfirmationWriter writer,
    ServiceTelemetry telemetry,
    IOptions<ConfirmationOptions> options,
    ILogger<ConfirmationSweeper> logger) : ClaimSweeper<ConfirmationOptions>(options, logger)
{
    /// <summary>The confirmations given up.</summary>
    public const string GivenUpMetric = "ordersmail.confirmations.given_up";

    // How far before the last look's bound the next one starts. An order placed (created_at, its transaction's start)
    // before a look's bound but committed after that look is seen by the next one if its transaction took less than
    // the wait for the inbox plus this; anything slower is left to the full look.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    private readonly Counter<long> _givenUp =
        telemetry.Meter.CreateCounter<long>(GivenUpMetric, "{confirmation}", "Order confirmations never written: their claim was given up after its last attempt.");

    // Every order placed before this had a confirmation, or was claimed, when the sweeper last looked; null: look back fully.
    private DateTime? _lookedUpTo;
    private long _nextFullSweepAt;

    /// <summary>One sweep: overdue orders, then abandoned claims (given up when their attempts are spent); true when a batch came back full, so more may be due.</summary>
    public override async Task<bool> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = Settings;
        var full = _lookedUpTo is null || Environment.TickCount64 >= _nextFullSweepAt;
        var overdue = await claims.ClaimOverdueAsync(
            settings.WaitForInbox, full ? null : _lookedUpTo - Overlap, settings.SweepLookBack, settings.DefaultReplyTo, settings.SweepBatchSize, cancellationToken);
        if (overdue.Found < settings.SweepBatchSize)
        {
            _lookedUpTo = overdue.OverdueBefore;
            if (full)
            {
                _nextFullSweepAt = Environment.TickCount64 + (long)settings.FullSweepEvery.TotalMilliseconds;
            }
        }

        var abandoned = await claims.TakeUnwrittenAsync(settings.RewriteAfter, settings.MaxAttempts, settings.SweepBatchSize, cancellationToken);
        foreach (var given in abandoned.GivenUp)
        {
            _givenUp.Add(1);
            LogGivenUp(Logger, given.OrderId, given.EmailId, given.Attempts);
        }

        await WriteEachAsync(
            [.. overdue.Orders, .. abandoned.Orders], WriteAsync, (unwritten, token) => claims.GiveBackAttemptsAsync(unwritten.Select(o => o.OrderId), token), cancellationToken);

        if (overdue.Orders.Count + abandoned.Orders.Count + abandoned.GivenUp.Count > 0)
        {
            LogSwept(Logger, overdue.Orders.Count, abandoned.Orders.Count, abandoned.GivenUp.Count);
        }

        return overdue.Found >= settings.SweepBatchSize || abandoned.Orders.Count >= settings.SweepBatchSize || abandoned.GivenUp.Count >= settings.SweepBatchSize;
    }

    // One confirmation's failure is its own: it is logged, and its claim waits for the next attempt, or to be given up;
    // one that is the outbox's or the database's spends no attempt.
    private async Task WriteAsync(ConfirmationOrder order, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteAsync(order, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (await GiveBackIfNoFaultOfItsOwnAsync(e, token => claims.GiveBackAttemptsAsync([order.OrderId], token), cancellationToken))
            {
                LogWriteWaits(Logger, order.OrderRef, order.EmailId, e);
                return;
            }

            LogWriteFailed(Logger, order.OrderRef, order.EmailId, Settings.MaxAttempts, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Confirmations taken by the sweeper: {Overdue} without an inbox in time, {Abandoned} written again after their writer stopped; given up after their last attempt: {GivenUp}")]
    private static partial void LogSwept(ILogger logger, int overdue, int abandoned, int givenUp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sweeper's write of the confirmation of order {OrderRef} (email {EmailId}) failed; its claim is taken again after RewriteAfter, {MaxAttempts} times at most")]
    private static partial void LogWriteFailed(ILogger logger, string orderRef, Guid emailId, int maxAttempts, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sweeper's write of the confirmation of order {OrderRef} (email {EmailId}) failed for no fault of its own (the outbox or the database away); no attempt counted, its claim is taken again after RewriteAfter")]
    private static partial void LogWriteWaits(ILogger logger, string orderRef, Guid emailId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The confirmation of order {OrderId} (email {EmailId}) was given up after {Attempts} attempts of the sweeper: the customer gets no confirmation")]
    private static partial void LogGivenUp(ILogger logger, Guid orderId, Guid emailId, int attempts);
}
