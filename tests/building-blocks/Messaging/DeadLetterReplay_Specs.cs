using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Messaging;

/// <summary>
/// The ops runbook for a dead-lettered message (docs/observability.md): once its cause is fixed, "Move messages" in
/// the management UI (a shovel) puts it back on its queue, fault headers and all, and the consumer takes it.
/// </summary>
public sealed class DeadLetterReplay_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly ServiceInfo Service = TestServiceHost.Identity("replay-specs", typeof(DeadLetterReplay_Specs).Assembly);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task When_ops_move_a_dead_lettered_message_back_after_the_fix_Should_consume_it_and_leave_the_error_queue_empty()
    {
        var outage = new DatabaseOutageConsumer.Outage(failedAttempts: 4);
        var retries = new Dictionary<string, string?>
        {
            ["Messaging:Retry:Limit"] = "2",
            ["Messaging:Retry:MinInterval"] = "00:00:00.010",
            ["Messaging:Retry:MaxInterval"] = "00:00:00.050",
            ["Messaging:Retry:OutageLimit"] = "3",
        };
        await using var host = await TestServiceHost.StartAsync(Service, infrastructure, bus => bus.AddConsumer<DatabaseOutageConsumer>(), retries, s => s.AddSingleton(outage));

        await host.Services.GetRequiredService<IBus>().Publish(new Outage(Guid.NewGuid()));
        await Eventually.Until(
            () => infrastructure.Management.GetQueueAsync(infrastructure.VirtualHost, "database-outage_error"),
            q => q?.Messages == 1,
            Timeout,
            "the message to reach database-outage_error once the outage's retries ran out");
        Assert.False(outage.Consumed.Task.IsCompleted);

        await infrastructure.Management.MoveMessagesAsync(infrastructure.VirtualHost, "database-outage_error", "database-outage");

        await outage.Consumed.Task.WaitAsync(Timeout);
        Assert.Equal(5, outage.Attempts);
        await Eventually.Until(
            () => infrastructure.Management.GetQueueAsync(infrastructure.VirtualHost, "database-outage_error"),
            q => q?.Messages == 0,
            Timeout,
            "database-outage_error to be empty");
    }
}
