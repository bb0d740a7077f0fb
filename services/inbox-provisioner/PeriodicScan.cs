namespace OrdersMail.InboxProvisioner;

/// <summary>
/// A look at a fixed interval (the stuck-saga sweep and the due step retries at the saga table, the webhook watch at
/// AgentMail). What it looks for is kept where it looks, so a look that fails is logged and the next tick looks again,
/// and stopping between looks loses nothing.
/// </summary>
public abstract partial class PeriodicScan(TimeSpan interval, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>One look; returns how many things it acted on.</summary>
    public abstract Task<int> ScanOnceAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ScanOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogScanFailed(logger, GetType().Name, interval, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping between looks: the next start looks again.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Scan} failed; it looks again in {Interval}")]
    private static partial void LogScanFailed(ILogger logger, string scan, TimeSpan interval, Exception exception);
}
