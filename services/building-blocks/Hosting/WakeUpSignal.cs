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

    // The one wait for the next notification that every waiter shares, never cancelled: a wait that times out leaves it
    // for the next one. Cancelling a channel's wait at each timeout (every poll of an idle loop) throws and catches an
    // OperationCanceledException inside the runtime each time.
    private Task<bool>? _notified;

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

        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timedOut = Task.Delay(timeout, stopDelay.Token);
        try
        {
            while (true)
            {
                var notified = Notified();
                if (await Task.WhenAny(notified, timedOut) != notified)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return false;
                }

                // Another waiter woken by the same notification took it: this one waits on, within the same time.
                if (_wakeUps.Reader.TryRead(out _))
                {
                    return true;
                }
            }
        }
        finally
        {
            await stopDelay.CancelAsync();
        }
    }

    private Task<bool> Notified()
    {
        var current = Volatile.Read(ref _notified);
        if (current is { IsCompleted: false })
        {
            return current;
        }

        var next = _wakeUps.Reader.WaitToReadAsync().AsTask();
        return Interlocked.CompareExchange(ref _notified, next, current) == current ? next : Volatile.Read(ref _notified)!;
    }
}
