using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Tests.Outbox;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Inbox;

/// <summary>The consumers' memory of applied messages, in a test service's own schema, over the real database and broker.</summary>
public sealed class ProcessedMessages_Specs(TestInfrastructure infrastructure) : IClassFixture<TestInfrastructure>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Longer than a redelivery takes to arrive: a second application would have happened by then.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task When_a_message_id_is_recorded_again_Should_refuse_it_for_that_consumer_only()
    {
        await using var dataSource = await OutboxTestHosts.OutboxSchemaAsync(infrastructure, "processed_specs");
        var id = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        Assert.True(await ProcessedMessages.TryRecordAsync(transaction, "first", id, CancellationToken.None));
        Assert.False(await ProcessedMessages.TryRecordAsync(transaction, "first", id, CancellationToken.None));
        Assert.True(await ProcessedMessages.TryRecordAsync(transaction, "second", id, CancellationToken.None));
        Assert.True(await ProcessedMessages.TryRecordAsync(transaction, "first", null, CancellationToken.None));
        Assert.True(await ProcessedMessages.TryRecordAsync(transaction, "first", null, CancellationToken.None));
    }

    [Fact]
    public async Task When_a_message_is_delivered_twice_Should_apply_it_once_and_when_its_change_fails_apply_it_on_the_retry()
    {
        var seen = new ApplyOnceConsumer.Seen();
        var service = TestServiceHost.Identity("apply-once-specs", typeof(ProcessedMessages_Specs).Assembly);
        await using var host = await TestServiceHost.StartAsync(
            service,
            infrastructure,
            bus => bus.AddConsumer<ApplyOnceConsumer>(),
            services: services =>
            {
                services.AddSingleton(seen);
                services.AddProcessedMessages();
            });
        var bus = host.Services.GetRequiredService<IBus>();
        var (twice, failing) = (new Parcel(Guid.NewGuid(), "twice", DateTimeOffset.UtcNow), new Parcel(Guid.NewGuid(), "failing", DateTimeOffset.UtcNow));
        seen.FailOnce[failing.Id] = true;
        var messageId = Guid.NewGuid();

        await bus.Publish(twice, c => c.MessageId = messageId);
        await bus.Publish(twice, c => c.MessageId = messageId);
        await bus.Publish(failing);

        await Eventually.Until(() => Task.FromResult(seen.DeliveriesOf(twice.Id)), n => n == 2, Timeout, "both deliveries to be consumed");
        await Eventually.Until(() => Task.FromResult(seen.DeliveriesOf(failing.Id)), n => n >= 2, Timeout, "the failing message to be retried");
        await Task.Delay(Settle);
        Assert.Equal(1, seen.ApplicationsOf(twice.Id));
        Assert.Equal(1, seen.ApplicationsOf(failing.Id));
        await using var connection = await infrastructure.Database.OpenConnectionAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>(
            $"select count(*) from {service.Schema}.processed_messages where consumer = @Name", new { ApplyOnceConsumer.Name }));
    }
}
