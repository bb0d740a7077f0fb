using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Messaging;

public sealed class MessageBus_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly ServiceInfo Service = TestServiceHost.Identity("bus-specs", typeof(MessageBus_Specs).Assembly);

    [Fact]
    public async Task When_a_message_is_published_Should_be_consumed_over_the_real_broker_in_the_publishers_trace()
    {
        var received = new PingConsumer.Received();
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, bus => bus.AddConsumer<PingConsumer>(), services: s => s.AddSingleton(received));
        var ping = new Ping(Guid.NewGuid());

        // As a request handler would: inside a span of the service's own, which the host's telemetry samples.
        using var publisher = host.Services.GetRequiredService<ServiceTelemetry>().ActivitySource.StartActivity("publish-spec");
        Assert.NotNull(publisher);
        await host.Services.GetRequiredService<IBus>().Publish(ping);
        publisher.Stop();

        var (consumed, traceId) = await received.First.WaitAsync(Timeout);
        Assert.Equal(ping, consumed);
        Assert.Equal(publisher.TraceId, traceId);
    }

    [Fact]
    public async Task Should_declare_each_consumers_queue_as_a_quorum_queue()
    {
        var received = new PingConsumer.Received();
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, bus => bus.AddConsumer<PingConsumer>(), services: s => s.AddSingleton(received));
        await host.Services.GetRequiredService<IBus>().Publish(new Ping(Guid.NewGuid()));
        await received.First.WaitAsync(Timeout);

        var queue = await infrastructure.Management.GetQueueAsync(infrastructure.VirtualHost, "ping");

        Assert.NotNull(queue);
        Assert.Equal("quorum", queue.Type);
    }

    [Fact]
    public async Task When_a_consumer_keeps_failing_Should_retry_a_bounded_number_of_times_then_park_the_message_in_its_error_queue()
    {
        var attempts = new AlwaysFailsConsumer.Attempts();
        var retry = new Dictionary<string, string?>
        {
            ["Messaging:Retry:Limit"] = "2",
            ["Messaging:Retry:MinInterval"] = "00:00:00.010",
            ["Messaging:Retry:MaxInterval"] = "00:00:00.050",
        };
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, bus => bus.AddConsumer<AlwaysFailsConsumer>(), retry, s => s.AddSingleton(attempts));

        await host.Services.GetRequiredService<IBus>().Publish(new Boom(Guid.NewGuid()));

        var errorQueue = await Eventually.Until(
            () => infrastructure.Management.GetQueueAsync(infrastructure.VirtualHost, "always-fails_error"),
            q => q?.Messages == 1,
            Timeout,
            "the failed message to reach always-fails_error");
        Assert.NotNull(errorQueue);
        Assert.Equal(3, attempts.Count);
    }

    [Fact]
    public async Task When_the_database_cannot_take_work_for_longer_than_the_short_retries_Should_wait_it_out_and_consume_the_message()
    {
        var outage = new DatabaseOutageConsumer.Outage(failedAttempts: 6);
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, bus => bus.AddConsumer<DatabaseOutageConsumer>(), Retries(outageLimit: 8), s => s.AddSingleton(outage));
        var deadLettered = await DeadLetteredAsync();

        await host.Services.GetRequiredService<IBus>().Publish(new Outage(Guid.NewGuid()));

        await outage.Consumed.Task.WaitAsync(Timeout);
        Assert.Equal(7, outage.Attempts);
        Assert.Equal(deadLettered, await DeadLetteredAsync());
    }

    /// <summary>
    /// The default OutageLimit at intervals of milliseconds: fifteen failed attempts were the first and the 14 retries of
    /// the old default, about 4 minutes, after which a PostgreSQL outage dead-lettered the message (an InboxReady left
    /// its order without a reply inbox until ops moved it back).
    /// </summary>
    [Fact]
    public async Task When_the_database_cannot_take_work_for_longer_than_the_old_outage_retries_Should_wait_it_out_by_default()
    {
        var outage = new DatabaseOutageConsumer.Outage(failedAttempts: 15);
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, bus => bus.AddConsumer<DatabaseOutageConsumer>(), Retries(outageLimit: null), s => s.AddSingleton(outage));
        var deadLettered = await DeadLetteredAsync();

        await host.Services.GetRequiredService<IBus>().Publish(new Outage(Guid.NewGuid()));

        await outage.Consumed.Task.WaitAsync(Timeout);
        Assert.Equal(16, outage.Attempts);
        Assert.Equal(deadLettered, await DeadLetteredAsync());
    }

    [Fact]
    public async Task When_the_database_outage_outlasts_its_retries_Should_park_the_message_in_its_error_queue()
    {
        var outage = new DatabaseOutageConsumer.Outage(failedAttempts: int.MaxValue);
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, bus => bus.AddConsumer<DatabaseOutageConsumer>(), Retries(outageLimit: 3), s => s.AddSingleton(outage));

        var deadLettered = await DeadLetteredAsync();

        await host.Services.GetRequiredService<IBus>().Publish(new Outage(Guid.NewGuid()));

        await Eventually.Until(
            () => infrastructure.Management.GetQueueAsync(infrastructure.VirtualHost, "database-outage_error"),
            q => q?.Messages == deadLettered + 1,
            Timeout,
            "the message to reach database-outage_error once the outage's retries ran out");
        Assert.Equal(4, outage.Attempts);
    }

    // Both outage specs share the consumer's queues in the class's vhost.
    private async Task<long> DeadLetteredAsync() =>
        (await infrastructure.Management.GetQueueAsync(infrastructure.VirtualHost, "database-outage_error"))?.Messages ?? 0;

    // Without an outage limit, the default's.
    private static Dictionary<string, string?> Retries(int? outageLimit)
    {
        var retries = new Dictionary<string, string?>
        {
            ["Messaging:Retry:Limit"] = "2",
            ["Messaging:Retry:MinInterval"] = "00:00:00.010",
            ["Messaging:Retry:MaxInterval"] = "00:00:00.050",
            ["Messaging:Retry:OutageMinInterval"] = "00:00:00.010",
            ["Messaging:Retry:OutageMaxInterval"] = "00:00:00.050",
        };
        if (outageLimit is { } limit)
        {
            retries["Messaging:Retry:OutageLimit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return retries;
    }
}
