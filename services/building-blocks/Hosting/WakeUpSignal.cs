using System.Threading.Channels;

namespace OrdersMail.BuildingBlocks.Hosting;

/// <summary>
/// Wakes a background loop in this process when work it polls for has been committed, so the work is taken within
/// milliseconds instead of at the next poll. Notifications coalesce: one pending wake-up covers any number of commits,
/// since the loop takes everything pending once it is awake. Each loop's signal is a type of its own, so the
/// container tells them apart.
/// </summary>
public abstract class WakeUpSignal
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Says that work was committed; never blocks.</summary>
    public void Notify() => _wakeUps.Writer.TryWrite(true);

    /// <summary>Waits for a notification, at most <paramref name="timeout"/>; true when notified.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_wakeUps.Reader.TryRead(out _))
        {
            return true;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _wakeUps.Reader.ReadAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
