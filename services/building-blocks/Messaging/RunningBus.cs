using MassTransit;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// Whether the bus has started and is not stopping: only then does <see cref="ReceiveEndpointRestart"/> touch its
/// endpoints. MassTransit's start waits for every endpoint it started to be ready, so an endpoint stopped and started
/// again while the bus starts would keep the bus from ever counting as started (not ready for good: seen in CI when the
/// broker was slow to answer the service's own connection at start).
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
