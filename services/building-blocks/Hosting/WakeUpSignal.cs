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
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (stopping).</exception>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_wakeUps.Reader.TryRead(out _))
        {
            return true;
        }

        // A wait that times out is the quiet case (every poll of an idle loop), so it ends without throwing: the
        // cancelled wait is awaited with its exception suppressed, and only stopping throws.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        var woken = _wakeUps.Reader.WaitToReadAsync(wait.Token).AsTask();
        await ((Task)woken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return woken.IsCompletedSuccessfully && _wakeUps.Reader.TryRead(out _);
    }
}
