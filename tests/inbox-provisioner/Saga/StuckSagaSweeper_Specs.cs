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
/// The stuck-saga sweeper on the provisioner's database, publishing to a bus that does not answer (a broker away): the
/// pool's connection is free again while the resumes wait to be published, so the saga and the steps get theirs.
/// </summary>
public sealed class StuckSagaSweeper_Specs(NoSweepFixture fixture) : IClassFixture<NoSweepFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>With a pool of one connection, another user opens it while the sweeper's publish of a resume waits.</summary>
    [Fact]
    public async Task Should_give_its_connection_back_before_publishing_the_resumes()
    {
        await StuckSagaAsync(resumes: 0);
        await using var dataSource = PoolOfOne();
        var (bus, gate) = BlockedPublishBus.Create();
        using var sweeper = Sweeper(dataSource, bus);

        var look = sweeper.LookAsync(CancellationToken.None);
        try
        {
            await gate.Publishing.WaitAsync(Patience);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var refused = await Record.ExceptionAsync(async () =>
            {
                await using var other = await dataSource.OpenConnectionAsync(wait.Token);
            });

            Assert.True(refused is null, $"the pool's one connection stayed with the sweeper while its publish waited: {refused?.Message}");
        }
        finally
        {
            gate.Release();
        }

        Assert.Equal(1, await look.WaitAsync(Patience));
    }

    /// <summary>The resume names the resumes the saga had counted, so the saga counts a resume delivered again once.</summary>
    [Fact]
    public async Task Should_name_the_resumes_the_saga_had_counted()
    {
        var orderId = await StuckSagaAsync(resumes: 2);
        await using var dataSource = PoolOfOne();
        var (bus, gate) = BlockedPublishBus.Create();
        gate.Release();
        using var sweeper = Sweeper(dataSource, bus);

        await sweeper.LookAsync(CancellationToken.None).WaitAsync(Patience);

        var resume = Assert.Single(gate.Published.OfType<ResumeProvisioning>(), r => r.OrderId == orderId);
        Assert.Equal(2, resume.Resumes);
    }

    // A saga that has not moved for an hour, past any StepTimeout; the sweeper reads only its state, time and resumes.
    private async Task<Guid> StuckSagaAsync(int resumes)
    {
        var id = Guid.NewGuid();
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            $"insert into provisioning.provisioning_sagas (correlation_id, current_state, version, data, updated_at) values (@id, '{ProvisioningStates.CreatingInbox}', 1, jsonb_build_object('resumes', @resumes), now() - interval '1 hour')",
            new { id, resumes });
        return id;
    }

    private NpgsqlDataSource PoolOfOne() =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(fixture.Infrastructure.Database.ConnectionString) { SearchPath = "provisioning", MaxPoolSize = 1 });

    private StuckSagaSweeper Sweeper(NpgsqlDataSource dataSource, IBus bus) =>
        new(
            dataSource,
            bus,
            fixture.Provisioner!.Services.GetRequiredService<ProvisioningTelemetry>(),
            Options.Create(new ProvisioningOptions()),
            TimeProvider.System,
            NullLogger<StuckSagaSweeper>.Instance);
}
