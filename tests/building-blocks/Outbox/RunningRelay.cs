using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Messaging;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>A relay as a service runs it, on a probe host's bus and meter, started by a spec; stopped and disposed with this handle.</summary>
internal sealed class RunningRelay : IAsyncDisposable
{
    private readonly OutboxRelay _relay;

    private RunningRelay(OutboxRelay relay) => _relay = relay;

    /// <summary>Starts a relay on <paramref name="dataSource"/>'s outbox, carrying <paramref name="messages"/> (the parcel alone unless given).</summary>
    public static async Task<RunningRelay> StartAsync(
        NpgsqlDataSource dataSource, TestServiceHost host, OutboxOptions options, OutboxSignal? signal = null, OutboxMessageTypes? messages = null)
    {
        var telemetry = host.Services.GetRequiredService<ServiceTelemetry>();
        var relay = new OutboxRelay(
            dataSource,
            host.Services.GetRequiredService<IBus>(),
            messages ?? OutboxTestHosts.Messages,
            signal ?? new OutboxSignal(),
            host.Services.GetRequiredService<BrokerReturns>(),
            new OutboxMetrics(telemetry),
            telemetry,
            Options.Create(options),
            NullLogger<OutboxRelay>.Instance);
        await relay.StartAsync(CancellationToken.None);
        return new RunningRelay(relay);
    }

    public async ValueTask DisposeAsync()
    {
        await _relay.StopAsync(CancellationToken.None);
        _relay.Dispose();
    }
}
