using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Messaging;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

/// <summary>The relay on a RabbitMQ of the spec's own, which goes away while a row waits to be published and comes back.</summary>
public sealed class OutboxBrokerReturn_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    // Counted from when the broker's start has finished (it answers AMQP a little before). The service's own connection
    // sees it back within 2 s, and the publish cut short then is made again at once: 0.1 and 0.9 s here. Left waiting
    // inside MassTransit until its next attempt to connect, the same publish came 4.0 and 7.7 s after.
    private static readonly TimeSpan PublishedAfterReturn = TimeSpan.FromSeconds(3);

    // Long enough that MassTransit's attempts to connect inside the waiting publish (3 s apart, then about 6, 12 and
    // 24 s) have drawn apart, so that its next one is seconds away when the broker is back.
    private static readonly TimeSpan BrokerDown = TimeSpan.FromSeconds(20);

    // A publish that waits for the broker longer than the whole outage: only the broker's return can end it early.
    private static readonly OutboxOptions LongPatience = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(200),
        PublishTimeout = TimeSpan.FromMinutes(2),
        ClaimLease = TimeSpan.FromMinutes(5),
    };

    [Fact]
    public async Task When_the_broker_comes_back_while_a_publish_waits_for_it_Should_publish_within_seconds_not_at_MassTransits_next_reconnect()
    {
        await using var rabbit = new PrivateRabbitMq();
        await rabbit.StartAsync();
        var deliveries = new MessageDeliveries<Parcel>();
        await using var host = await TestServiceHost.StartAsync(
            TestServiceHost.Identity("outbox-broker-return-specs", typeof(OutboxBrokerReturn_Specs).Assembly),
            infrastructure,
            bus => bus.AddConsumer<ParcelProbe>(),
            rabbit.Settings,
            s => s.AddSingleton(deliveries));
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure, "outbox_broker_return_specs");
        await using var relay = await RunningRelay.StartAsync(dataSource, host, LongPatience);

        await rabbit.StopAsync();
        var (ids, messages) = await OutboxTestHosts.WritePendingAsync(dataSource, 1);
        await Task.Delay(BrokerDown);
        Assert.Empty(deliveries.Of(ids[0]));
        var starting = Stopwatch.StartNew();
        await rabbit.StartAsync();
        var started = starting.Elapsed;

        await deliveries.WaitForAllAsync(ids, TimeSpan.FromMinutes(1));
        Assert.True(starting.Elapsed < started + PublishedAfterReturn, $"published {starting.Elapsed.TotalSeconds:0.0} s after the broker's start began, which took {started.TotalSeconds:0.0} s");
        Assert.Equal([messages[0]], deliveries.Of(ids[0]));
    }
}
