using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Saga;

/// <summary>
/// The deferred-step dispatcher on the provisioner's database, publishing to a bus that does not answer (a broker away,
/// or a process about to be killed): a retry it claimed and could not publish is due again later, not forgotten, which
/// for a failed saga's final read-back no sweeper would make up for; one not taken within PublishTimeout fails the look,
/// not every look after it.
/// </summary>
public sealed class DeferredStepDispatcher_Specs(NoSweepFixture fixture) : IClassFixture<NoSweepFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Should_keep_a_claimed_retry_due_again_until_its_saga_takes_it()
    {
        var orderId = await FailedSagaWaitingForItsFinalReadBackAsync();
        await using var dataSource = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(fixture.Infrastructure.Database.ConnectionString) { SearchPath = "provisioning" }.ConnectionString);
        var (bus, gate) = BlockedPublishBus.Create();
        using var dispatcher = Dispatcher(dataSource, bus);

        var look = dispatcher.LookAsync(CancellationToken.None);
        TimeSpan? dueAgainIn;
        try
        {
            await gate.Publishing.WaitAsync(Patience);
            dueAgainIn = await DueInAsync(orderId);
        }
        finally
        {
            gate.Release();
        }

        await look.WaitAsync(Patience);
        Assert.Contains(gate.Published.OfType<RetryDeferredStep>(), r => r.OrderId == orderId && r.Deferral == 1);
        Assert.True(
            dueAgainIn > DeferredStepDispatcher.Redispatch / 2 && dueAgainIn <= DeferredStepDispatcher.Redispatch,
            $"the claimed retry is due again in {dueAgainIn?.ToString() ?? "never"}, not about {DeferredStepDispatcher.Redispatch} later");
    }

    /// <summary>
    /// A broker that never takes the retry (away, or blocking publishers on a memory or disk alarm) fails the look within
    /// PublishTimeout, and the next poll runs and asks the retries due since. The publish waited for ever, so no later
    /// poll started and no deferred step was asked again until the broker took it.
    /// </summary>
    [Fact]
    public async Task When_the_broker_never_takes_a_retry_Should_fail_the_look_and_look_again()
    {
        var limits = new ProvisioningOptions { PublishTimeout = TimeSpan.FromSeconds(1) };
        var first = await FailedSagaWaitingForItsFinalReadBackAsync();
        await using var dataSource = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(fixture.Infrastructure.Database.ConnectionString) { SearchPath = "provisioning" }.ConnectionString);
        var (bus, gate) = BlockedPublishBus.Create();
        using var dispatcher = Dispatcher(dataSource, bus, limits);
        try
        {
            var failed = await Record.ExceptionAsync(() => dispatcher.LookAsync(CancellationToken.None).WaitAsync(limits.PublishTimeout + Patience));
            Assert.True(failed is TimeoutException { Message: var message } && message.StartsWith("The broker did not take", StringComparison.Ordinal), $"the look did not fail on its publish's timeout: {failed}");
            var second = await FailedSagaWaitingForItsFinalReadBackAsync();

            var next = await Record.ExceptionAsync(() => dispatcher.LookAsync(CancellationToken.None).WaitAsync(limits.PublishTimeout + Patience));

            Assert.True(next is TimeoutException { Message: var again } && again.StartsWith("The broker did not take", StringComparison.Ordinal), $"the next look did not run: {next}");
            Assert.Contains(gate.Published.OfType<RetryDeferredStep>(), r => r.OrderId == second);
            var dueAgainIn = await DueInAsync(first);
            Assert.True(dueAgainIn > DeferredStepDispatcher.Redispatch / 2, $"the retry whose publish timed out is due again in {dueAgainIn?.ToString() ?? "never"}, not about {DeferredStepDispatcher.Redispatch} later");
        }
        finally
        {
            gate.Release();
        }
    }

    // A failed saga whose final read-back AgentMail was unavailable for: its retry was due a minute ago.
    private async Task<Guid> FailedSagaWaitingForItsFinalReadBackAsync()
    {
        var id = Guid.NewGuid();
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            $"""
            insert into provisioning.provisioning_sagas (correlation_id, current_state, version, data, updated_at, due_at)
            values (@id, '{ProvisioningStates.Failed}', 1, jsonb_build_object('deferrals', 1, 'inboxId', 'jane@agentmail.to'), now(), now() - interval '1 minute')
            """,
            new { id });
        return id;
    }

    private async Task<TimeSpan?> DueInAsync(Guid orderId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<TimeSpan?>(
            "select due_at - now() from provisioning.provisioning_sagas where correlation_id = @orderId", new { orderId });
    }

    private DeferredStepDispatcher Dispatcher(NpgsqlDataSource dataSource, IBus bus, ProvisioningOptions? options = null) =>
        new(
            dataSource,
            bus,
            fixture.Provisioner!.Services.GetRequiredService<ProvisioningTelemetry>(),
            Options.Create(options ?? new ProvisioningOptions()),
            TimeProvider.System,
            NullLogger<DeferredStepDispatcher>.Instance);
}
