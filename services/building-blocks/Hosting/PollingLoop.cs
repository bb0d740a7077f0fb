namespace OrdersMail.BuildingBlocks.Hosting;

/// <summary>
/// The loop of a background service that polls its table in batches: one pass, another at once while passes come back
/// full, else a wait of the poll interval. A pass that fails, for whatever reason (the database, the disk, or a fault
/// nobody foresaw), is reported and the next pass looks again: an exception leaving <c>ExecuteAsync</c> would stop the
/// whole host, and a poller's fault is no reason for a service to stop taking requests. Only stopping ends it.
/// </summary>
public static class PollingLoop
{
    /// <summary>Runs passes until <paramref name="stoppingToken"/> is cancelled; never throws.</summary>
    /// <param name="pass">One pass; true when its batch came back full, so more may be due.</param>
    /// <param name="interval">The wait after a pass that was not full or failed, read before each wait (options may change).</param>
    /// <param name="failed">Told of each failed pass, to log it.</param>
    /// <param name="stoppingToken">The host's stopping token.</param>
    public static async Task RunAsync(
        Func<CancellationToken, Task<bool>> pass,
        Func<TimeSpan> interval,
        Action<Exception> failed,
        CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(interval);
        ArgumentNullException.ThrowIfNull(failed);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await pass(stoppingToken))
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failed(e);
            }

            try
            {
                await Task.Delay(interval(), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
