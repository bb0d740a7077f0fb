using System.Diagnostics;
using System.Globalization;
using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Messaging;

/// <summary>
/// A service whose receive endpoints cannot connect while the broker answers its own connection, as when an endpoint's
/// attempt races the broker's start: the service reaches the broker through a <see cref="TcpGate"/>, which drops every
/// new connection for a while after MassTransit's connection was closed.
/// </summary>
public sealed class UnreachableEndpoint_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    // The faulted endpoints are looked at every 2 s: ready again 0.5 s after the gate opened here; the rest is for a busy
    // machine. Left to MassTransit, whose attempts to connect had drawn apart by then, the same service was ready again
    // 4.3, 6.8 and 22.3 s after the gate opened at no particular moment; it opens now just after an attempt was dropped,
    // when MassTransit's next is a whole back-off away (24 s, then 30).
    private static readonly TimeSpan ReadyAfterAllowed = TimeSpan.FromSeconds(7);

    // Long enough for MassTransit's own attempts to connect to draw apart.
    private static readonly TimeSpan Refused = TimeSpan.FromSeconds(30);

    private static readonly ServiceInfo Service = TestServiceHost.Identity("unreachable-endpoint-specs", typeof(UnreachableEndpoint_Specs).Assembly);

    [Fact]
    public async Task When_its_endpoints_could_not_connect_while_the_broker_answers_Should_start_them_again_within_seconds_once_they_can()
    {
        await using var gate = new TcpGate(infrastructure.RabbitMq.Port);
        var received = new PingConsumer.Received();
        await using var host = await TestServiceHost.StartAsync(
            Service,
            infrastructure,
            bus => bus.AddConsumer<PingConsumer>(),
            new Dictionary<string, string?> { ["RabbitMq:Host"] = "127.0.0.1", ["RabbitMq:Port"] = gate.Port.ToString(CultureInfo.InvariantCulture) },
            s => s.AddSingleton(received));

        // The service's own connection stays open; MassTransit's, closed, cannot open again until the gate opens.
        gate.Close();
        await Eventually.Until(
            () => infrastructure.Management.CloseConnectionsAsync(infrastructure.VirtualHost, Service.Name),
            closed => closed > 0,
            TimeSpan.FromSeconds(30),
            "MassTransit's connection to be listed by the management API, and closed");
        (await host.ReadinessAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "while its endpoints cannot connect")).Dispose();
        await Task.Delay(Refused);
        var dropped = gate.Dropped;
        await Eventually.Until(() => Task.FromResult(gate.Dropped), now => now > dropped, TimeSpan.FromMinutes(1), "the service to try to connect again");
        gate.Open();

        var allowed = Stopwatch.StartNew();
        (await host.ReadinessAsync(HttpStatusCode.OK, TimeSpan.FromMinutes(1), "once it may connect")).Dispose();
        Assert.True(allowed.Elapsed < ReadyAfterAllowed, $"ready {allowed.Elapsed.TotalSeconds:0.0} s after the broker let it connect");

        var ping = new Ping(Guid.NewGuid());
        await host.Services.GetRequiredService<IBus>().Publish(ping);
        var (consumed, _) = await received.First.WaitAsync(ReadyAfterAllowed);
        Assert.Equal(ping, consumed);
    }
}
