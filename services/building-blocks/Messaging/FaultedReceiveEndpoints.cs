using System.Collections.Concurrent;
using MassTransit;
using RabbitMQ.Client.Exceptions;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// The receive endpoints whose transport faulted (the broker went away, or refused them) and that have not been ready
/// since: what <see cref="ReceiveEndpointRestart"/> starts again when the broker comes back, or, for those that last
/// failed to reach it, while it answers.
/// </summary>
internal sealed class FaultedReceiveEndpoints : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<Uri, (IReceiveEndpoint Endpoint, bool Unreachable)> _faulted = new();

    /// <summary>The endpoints faulted now.</summary>
    public IReadOnlyCollection<IReceiveEndpoint> Now => [.. _faulted.Values.Select(f => f.Endpoint)];

    /// <summary>The endpoints faulted now because their last attempt could not reach the broker at all.</summary>
    public IReadOnlyCollection<IReceiveEndpoint> Unreachable => [.. _faulted.Values.Where(f => f.Unreachable).Select(f => f.Endpoint)];

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        _faulted[faulted.InputAddress] = (faulted.ReceiveEndpoint, CouldNotReach(faulted.Exception));
        return Task.CompletedTask;
    }

    public Task Ready(ReceiveEndpointReady ready) => Forget(ready);

    public Task Stopping(ReceiveEndpointStopping stopping) => Forget(stopping);

    public Task Completed(ReceiveEndpointCompleted completed) => Forget(completed);

    // No connection could be opened (MassTransit's "Broker unreachable", "Connect failed"). A broker that answers and
    // refuses (a queue declared with other arguments, say) closes a channel instead, and is not this.
    private static bool CouldNotReach(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BrokerUnreachableException or ConnectFailureException)
            {
                return true;
            }
        }

        return false;
    }

    private Task Forget(ReceiveEndpointEvent endpointEvent)
    {
        _faulted.TryRemove(endpointEvent.InputAddress, out _);
        return Task.CompletedTask;
    }
}
