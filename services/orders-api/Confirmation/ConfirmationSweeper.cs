using Microsoft.Extensions.Options;
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
/// or committed long after it was placed.
/// </summary>
public sealed partial class ConfirmationSweeper(
    ConfirmationClaims claims,
    ConfirmationWriter writer,
    IOptions<ConfirmationOptions> options,
    ILogger<ConfirmationSweeper> logger) : ClaimSweeper<ConfirmationOptions>(options, logger)
{
    // How far before the last look's bound the next one starts. An order placed (created_at, its transaction's start)
    // before a look's bound but committed after that look is seen by the next one if its transaction took less than
    // the wait for the inbox plus this; anything slower is left to the full look.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    // Every order placed before this had a confirmation, or was claimed, when the sweeper last looked; null: look back fully.
    private DateTime? _lookedUpTo;
    private long _nextFullSweepAt;

    /// <summary>One sweep: overdue orders, then abandoned claims; true when a batch came back full, so more may be due.</summary>
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

        var abandoned = await claims.ReclaimUnwrittenAsync(settings.RewriteAfter, settings.SweepBatchSize, cancellationToken);
        foreach (var order in overdue.Orders.Concat(abandoned))
        {
            await writer.WriteAsync(order, cancellationToken);
        }

        if (overdue.Orders.Count + abandoned.Count > 0)
        {
            LogSwept(Logger, overdue.Orders.Count, abandoned.Count);
        }

        return overdue.Found >= settings.SweepBatchSize || abandoned.Count >= settings.SweepBatchSize;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Confirmations written by the sweeper: {Overdue} without an inbox in time, {Abandoned} rewritten after their writer stopped")]
    private static partial void LogSwept(ILogger logger, int overdue, int abandoned);
}
