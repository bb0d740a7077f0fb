using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Messaging;

public sealed class BrokerReturn_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    // The service's own connection sees the broker back within 2 s, and the endpoints started again connect at once:
    // 0.8–1.3 s here. Left to MassTransit's reconnect back-off, whose count of attempts goes on from one outage to the
    // next, the same three outages took 1.3, 12.9 and 23.8 s.
    private static readonly TimeSpan ReadyAfterReturn = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan BrokerDown = TimeSpan.FromSeconds(5);
    private static readonly ServiceInfo Service = TestServiceHost.Identity("broker-return-specs", typeof(BrokerReturn_Specs).Assembly);

    [Fact]
    public async Task When_the_broker_comes_back_again_and_again_Should_consume_again_within_seconds_each_time()
    {
        await using var rabbit = new PrivateRabbitMq();
        await rabbit.StartAsync();
        var received = new PingConsumer.Received();
        await using var host = await TestServiceHost.StartAsync(
            Service, infrastructure, bus => bus.AddConsumer<PingConsumer>(), rabbit.Settings, s => s.AddSingleton(received));
        (await host.ReadinessAsync(HttpStatusCode.OK, ReadyAfterReturn, "after start")).Dispose();

        for (var outage = 1; outage <= 3; outage++)
        {
            await rabbit.StopAsync();
            (await host.ReadinessAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "once the broker is gone")).Dispose();
            await Task.Delay(BrokerDown);
            await rabbit.StartAsync();
            (await host.ReadinessAsync(HttpStatusCode.OK, ReadyAfterReturn, $"after the broker's return number {outage}")).Dispose();
        }

        var ping = new Ping(Guid.NewGuid());
        await host.Services.GetRequiredService<IBus>().Publish(ping);
        var (consumed, _) = await received.First.WaitAsync(ReadyAfterReturn);
        Assert.Equal(ping, consumed);
    }
}
