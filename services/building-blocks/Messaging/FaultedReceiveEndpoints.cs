using System.Collections.Concurrent;
using MassTransit;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// The receive endpoints whose transport faulted (the broker went away, or refused them) and that have not been ready
/// since: what <see cref="ReceiveEndpointRestart"/> starts again when the broker comes back.
/// </summary>
internal sealed class FaultedReceiveEndpoints : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<Uri, IReceiveEndpoint> _faulted = new();

    /// <summary>The endpoints faulted now.</summary>
    public IReadOnlyCollection<IReceiveEndpoint> Now => [.. _faulted.Values];

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        _faulted[faulted.InputAddress] = faulted.ReceiveEndpoint;
        return Task.CompletedTask;
    }

    public Task Ready(ReceiveEndpointReady ready) => Forget(ready);

    public Task Stopping(ReceiveEndpointStopping stopping) => Forget(stopping);

    public Task Completed(ReceiveEndpointCompleted completed) => Forget(completed);

    private Task Forget(ReceiveEndpointEvent endpointEvent)
    {
        _faulted.TryRemove(endpointEvent.InputAddress, out _);
        return Task.CompletedTask;
    }
}
