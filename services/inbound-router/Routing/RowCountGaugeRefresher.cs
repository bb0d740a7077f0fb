namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// Counts the row-count gauges off the paths that change their rows: at start, so what ops watch is right from the
/// first reading; a gauge told its rows <see cref="RowCountGauge.Changed"/> within <see cref="ChangedWithin"/>, once
/// however many batches changed them meanwhile; and every gauge every <see cref="RecountEvery"/> besides, for rows
/// another replica, the retention sweep or a person changed. The routing pump counted the parked messages after every
/// batch that parked one, inline: a count linear in the mail waiting for ops, which anyone can grow by sending mail that
/// fails authentication.
/// </summary>
public sealed class RowCountGaugeRefresher(ParkedGauge parked, SetAsideGauge setAside) : BackgroundService
{
    /// <summary>How soon a gauge told its rows changed is counted again.</summary>
    public static readonly TimeSpan ChangedWithin = TimeSpan.FromSeconds(5);

    /// <summary>How often every gauge is counted, changed or not.</summary>
    public static readonly TimeSpan RecountEvery = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RowCountGauge[] gauges = [parked, setAside];
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
                    await gauge.RefreshAsync(stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the next start counts again.
        }
    }
}
