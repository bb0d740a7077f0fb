namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// Tells this process's loops that the broker answers again after it did not: the service's own
/// <see cref="BrokerConnection"/> lost its connection and the client recovered it, within 2 s of the broker's return.
/// Any number of loops share one return: each holds the token of the next one (<see cref="Next"/>), cancelled when it
/// comes, and takes the following token as soon as it has seen one, before it acts on it, so that a return while it
/// acts is not missed.
/// </summary>
public sealed class BrokerReturns : IDisposable
{
    private Return _next = new();

    /// <summary>Cancelled at the broker's next return.</summary>
    public CancellationToken Next => Volatile.Read(ref _next).Token;

    /// <summary>
    /// Waits <paramref name="timeout"/>, or less if <paramref name="brokerReturn"/> (a token from <see cref="Next"/>)
    /// comes first; true when it did.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="stoppingToken"/> was cancelled.</exception>
    public static async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken brokerReturn, CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(brokerReturn, stoppingToken);
        try
        {
            await Task.Delay(timeout, wait.Token);
            return false;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return true;
        }
    }

    /// <summary>The broker is back: cancels the token every loop holds, once the next one is in place.</summary>
    internal async Task ReturnedAsync()
    {
        using var returned = Interlocked.Exchange(ref _next, new Return());
        await returned.CancelAsync();
    }

    public void Dispose() => _next.Dispose();

    // The token is read once, when the source is made: a loop may still ask for it after the source is disposed.
    private sealed class Return : IDisposable
    {
        private readonly CancellationTokenSource _source = new();

        public Return() => Token = _source.Token;

        public CancellationToken Token { get; }

        public Task CancelAsync() => _source.CancelAsync();

        public void Dispose() => _source.Dispose();
    }
}
