namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// How long a batch's publishes may wait for the broker: until its confirms, <see cref="OutboxOptions.PublishTimeout"/>,
/// the relay's stop, or the broker's return (<see cref="Messaging.BrokerReturns"/>), whichever comes first. A publish
/// begun while the broker was away waits inside MassTransit, which asks for a connection again only every few seconds
/// (3 s, then about 6, 12, 24 and up to 30 s); cut short when the broker is back, it is tried again at once instead.
/// </summary>
internal sealed class PublishWindow : IDisposable
{
    private readonly CancellationTokenSource _open;
    private readonly CancellationToken _brokerReturn;
    private readonly CancellationToken _stoppingToken;
    private readonly TimeSpan _timeout;

    public PublishWindow(TimeSpan timeout, CancellationToken brokerReturn, CancellationToken stoppingToken)
    {
        _open = CancellationTokenSource.CreateLinkedTokenSource(brokerReturn, stoppingToken);
        _open.CancelAfter(timeout);
        (_timeout, _brokerReturn, _stoppingToken) = (timeout, brokerReturn, stoppingToken);
    }

    /// <summary>Cancelled when the window closes.</summary>
    public CancellationToken Token => _open.Token;

    /// <summary>It closed because the relay is stopping: what was not confirmed stays as it was.</summary>
    public bool Stopping => _stoppingToken.IsCancellationRequested;

    /// <summary>Why a publish still unconfirmed when the window closed failed.</summary>
    public string WhyClosed => _brokerReturn.IsCancellationRequested
        ? "the broker came back while it waited for a connection; tried again at once"
        : $"no broker confirm within {_timeout.TotalSeconds:0.#} s";

    public void Dispose() => _open.Dispose();
}
