using Microsoft.Extensions.Options;
using Npgsql;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>
/// Sends the confirmation of every order that has none <see cref="ConfirmationOptions.WaitForInbox"/> after it was
/// placed (with the default Reply-To while its inbox has not come; with the inbox when its InboxReady reached the order
/// but not the confirmation), and writes again any claim whose writer died before its file existed. Bounded
/// batches, replicas sharing them through <c>SKIP LOCKED</c>; the files are written after the claim commits.
/// </summary>
public sealed partial class ConfirmationSweeper(
    ConfirmationClaims claims,
    ConfirmationWriter writer,
    IOptions<ConfirmationOptions> options,
    ILogger<ConfirmationSweeper> logger) : BackgroundService
{
    /// <summary>One sweep: overdue orders, then abandoned claims; returns how many confirmations it wrote.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var overdue = await claims.ClaimOverdueAsync(settings.WaitForInbox, settings.SweepLookBack, settings.DefaultReplyTo, settings.SweepBatchSize, cancellationToken);
        var abandoned = await claims.ReclaimUnwrittenAsync(settings.RewriteAfter, settings.SweepBatchSize, cancellationToken);
        foreach (var order in overdue.Concat(abandoned))
        {
            await writer.WriteAsync(order, cancellationToken);
        }

        if (overdue.Count + abandoned.Count > 0)
        {
            LogSwept(logger, overdue.Count, abandoned.Count);
        }

        return overdue.Count + abandoned.Count;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch suggests more are due: sweep again at once.
                if (await SweepAsync(stoppingToken) >= options.Value.SweepBatchSize)
                {
                    continue;
                }
            }
            catch (Exception e) when (e is NpgsqlException or IOException or UnauthorizedAccessException or TimeoutException)
            {
                LogFailed(logger, e);
            }

            try
            {
                await Task.Delay(options.Value.SweepInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Confirmations written by the sweeper: {Overdue} without an inbox in time, {Abandoned} rewritten after their writer stopped")]
    private static partial void LogSwept(ILogger logger, int overdue, int abandoned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Confirmation sweep failed; trying again after the sweep interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
