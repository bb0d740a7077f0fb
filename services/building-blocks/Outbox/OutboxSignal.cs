using System.Threading.Channels;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// Wakes this process's relay when a transaction that wrote outbox rows has committed, so the event is
/// published within milliseconds instead of at the next poll. Notifications coalesce: one pending wake-up
/// covers any number of commits, since the relay takes every pending row once it is awake.
/// </summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Says that outbox rows were committed; never blocks.</summary>
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
