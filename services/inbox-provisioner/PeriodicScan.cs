namespace OrdersMail.InboxProvisioner;

/// <summary>
/// A look at a fixed interval (the stuck-saga sweep and the due step retries at the saga table, the webhook watch at
/// AgentMail). What it looks for is kept where it looks, so a look that fails is logged and the next tick looks again,
/// and stopping between looks loses nothing.
/// Looks never overlap. Whoever asks while one runs (the timer, or ops through <see cref="LookAsync"/>) waits for the
/// next look, which starts when the running one ends and answers everyone who asked meanwhile: ops asking ten times
/// during a long look cost one look more, not ten at once against the same rows and the same provider.
/// </summary>
public abstract partial class PeriodicScan(TimeSpan interval, TimeProvider time, ILogger logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    // The look itself runs until the host stops, not until the asker who started it gives up: others may wait for it.
    private readonly CancellationTokenSource _stopping = new();
    private Task<int>? _next;

    /// <summary>
    /// A look that starts now, or once the running one has ended; returns how many things it acted on. Giving up
    /// (<paramref name="cancellationToken"/>) stops the wait, not the look.
    /// </summary>
    public Task<int> LookAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<int>? started = null;
        Task<int> next;
        lock (_gate)
        {
            if (_next is null)
            {
                started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                _next = started.Task;
            }

            next = _next;
        }

        if (started is not null)
        {
            _ = RunAsync(started);
        }

        return next.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // Disposed already, so no look runs: a host stopping twice (its own shutdown racing its disposal, as a
            // test host's does) stops it again after its services were disposed, and must not fail for it.
        }

        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _stopping.Dispose();
        _oneAtATime.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One look; returns how many things it acted on. Never called while another look of this scan runs.</summary>
    protected abstract Task<int> ScanOnceAsync(CancellationToken cancellationToken);

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
                    await LookAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A look cancelled by something else than stopping (a call's own timeout) failed like any other:
                    // leaving ExecuteAsync would stop the whole host.
                    LogScanFailed(logger, GetType().Name, interval, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping between looks: the next start looks again.
        }
    }

    // Never throws: how the look ended is its task's, for everyone waiting on it.
    private async Task RunAsync(TaskCompletionSource<int> look)
    {
        try
        {
            await _oneAtATime.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException e)
        {
            lock (_gate)
            {
                _next = null;
            }

            look.TrySetCanceled(e.CancellationToken);
            return;
        }

        try
        {
            // From here on, whoever asks waits for the look after this one: this one may have read past what they ask about.
            lock (_gate)
            {
                _next = null;
            }

            look.TrySetResult(await ScanOnceAsync(_stopping.Token));
        }
        catch (OperationCanceledException e)
        {
            look.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            look.TrySetException(e);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Scan} failed; it looks again in {Interval}")]
    private static partial void LogScanFailed(ILogger logger, string scan, TimeSpan interval, Exception exception);
}
