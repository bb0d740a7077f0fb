using MassTransit;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// Whether the bus has started and is not stopping: only then does <see cref="ReceiveEndpointRestart"/> touch its
/// endpoints. MassTransit's start waits for every endpoint it started to be ready, so an endpoint stopped and started
/// again while the bus starts could keep the bus from ever counting as started, and the service not ready for good. The
/// likely cause of one CI run's provisioner host answering 503 for 30 s, when a first connection that timed out under
/// load was also taken as the broker's return; not reproduced.
/// </summary>
internal sealed class RunningBus : IBusObserver
{
    private volatile bool _running;

    /// <summary>Started, and not stopping.</summary>
    public bool IsRunning => _running;

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        _running = busReady.IsCompletedSuccessfully;
        return Task.CompletedTask;
    }

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PreStop(IBus bus)
    {
        _running = false;
        return Task.CompletedTask;
    }

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}
