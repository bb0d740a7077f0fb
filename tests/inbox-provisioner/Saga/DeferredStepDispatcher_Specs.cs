using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Saga;

/// <summary>
/// The deferred-step dispatcher on the provisioner's database, publishing to a bus that does not answer (a broker away,
/// or a process about to be killed): a retry it claimed and could not publish is due again later, not forgotten, which
/// for a failed saga's final read-back no sweeper would make up for.
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

    private static DeferredStepDispatcher Dispatcher(NpgsqlDataSource dataSource, IBus bus) =>
        new(dataSource, bus, Options.Create(new ProvisioningOptions()), TimeProvider.System, NullLogger<DeferredStepDispatcher>.Instance);
}
