using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrdersMail.BuildingBlocks.Telemetry;

/// <summary>
/// Counts the row-count gauges off the paths that change their rows: at start, so what ops watch is right from the
/// first reading; a gauge told its rows <see cref="RowCountGauge.Changed"/> within <see cref="ChangedWithin"/>, once
/// however many batches changed them meanwhile; and every gauge every <see cref="RecountEvery"/> besides, for rows
/// another replica, the retention sweep or a person changed. A count inline, after every batch that changes the rows, is
/// linear in the rows waiting for ops (the router's parked mail, which anyone can grow by sending mail that fails
/// authentication), paid by the work that changed them.
/// </summary>
public sealed partial class RowCountGaugeRefresher(IEnumerable<RowCountGauge> registered, ILogger<RowCountGaugeRefresher> logger) : BackgroundService
{
    /// <summary>How soon a gauge told its rows changed is counted again.</summary>
    public static readonly TimeSpan ChangedWithin = TimeSpan.FromSeconds(5);

    /// <summary>How often every gauge is counted, changed or not.</summary>
    public static readonly TimeSpan RecountEvery = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RowCountGauge[] gauges = [.. registered];
        var ticksPerRecount = (int)(RecountEvery / ChangedWithin);
        using var timer = new PeriodicTimer(ChangedWithin);
        try
        {
            var tick = 0;
            do
            {
                var all = tick++ % ticksPerRecount == 0;
                foreach (var gauge in gauges.Where(g => g.TakeChanged() || all))
                {
                    try
                    {
                        await gauge.RefreshAsync(stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        // A gauge's count failing for a reason nobody foresaw keeps its last reading until the next
                        // count; an exception leaving ExecuteAsync would stop the whole host.
                        LogCountFailed(logger, e, gauge.Name);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the next start counts again.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting gauge {Gauge} failed; it keeps its last reading until the next count")]
    private static partial void LogCountFailed(ILogger logger, Exception exception, string gauge);
}
