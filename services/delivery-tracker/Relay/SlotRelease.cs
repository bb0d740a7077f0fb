namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>Gives back one slot of a semaphore, once, however often it is disposed.</summary>
internal sealed class SlotRelease(SemaphoreSlim slots) : IDisposable
{
    private int _released;

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            slots.Release();
        }
    }
}
