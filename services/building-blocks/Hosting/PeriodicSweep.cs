using Microsoft.Extensions.Hosting;

namespace OrdersMail.BuildingBlocks.Hosting;

/// <summary>
/// A background service that sweeps away what has done its job: once at start, then at every tick of
/// <see cref="Every"/>, one sweep at a time (the timer's, and one asked for directly through
/// <see cref="SweepOnceAsync"/>). A sweep that fails, for whatever reason, is reported and the next tick tries again:
/// nothing is lost by sweeping late, while an exception leaving <c>ExecuteAsync</c> would stop the whole host for a
/// housekeeping fault. Only stopping ends it.
/// </summary>
/// <typeparam name="TSwept">What one sweep removed.</typeparam>
public abstract class PeriodicSweep<TSwept>(TimeProvider time) : BackgroundService
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>The clock the sweep's timer and its ages are read from.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>How long after one sweep the next begins, read once at start.</summary>
    protected abstract TimeSpan Every { get; }

    /// <summary>Sweeps now, after any sweep under way; returns what it removed.</summary>
    public async Task<TSwept> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await SweepAsync(cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _oneAtATime.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One sweep; never two at once.</summary>
    protected abstract Task<TSwept> SweepAsync(CancellationToken cancellationToken);

    /// <summary>Told of a sweep that failed, to log it; the next tick sweeps again.</summary>
    protected abstract void SweepFailed(Exception exception);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, Time);
        try
        {
            do
            {
                try
                {
                    await SweepOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    SweepFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping between sweeps: the next start sweeps again.
        }
    }
}
