using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Saga;

/// <summary>
/// The stuck-saga sweeper on the provisioner's database, publishing to a bus that does not answer (a broker away): the
/// pool's connection is free again while the resumes wait to be published, so the saga and the steps get theirs, and a
/// resume not taken within PublishTimeout fails the look, not every look after it. A command no step consumer has taken
/// yet is given StepQueueTimeout, not StepTimeout.
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

    /// <summary>
    /// A broker that never takes the resume (away, or blocking publishers on a memory or disk alarm) fails the look within
    /// PublishTimeout; the next look runs, counts the sagas again and claims what came stuck meanwhile. The publish waited
    /// for ever, so no later look started and the per-state gauge froze at the count before the broker went.
    /// </summary>
    [Fact]
    public async Task When_the_broker_never_takes_a_resume_Should_fail_the_look_and_look_again()
    {
        var limits = new ProvisioningOptions { PublishTimeout = TimeSpan.FromSeconds(1) };
        var first = await StuckSagaAsync(resumes: 0);
        await using var dataSource = PoolOfOne();
        var (bus, gate) = BlockedPublishBus.Create();
        using var sweeper = Sweeper(dataSource, bus, limits);
        var telemetry = fixture.Provisioner!.Services.GetRequiredService<ProvisioningTelemetry>();
        try
        {
            var failed = await Record.ExceptionAsync(() => sweeper.LookAsync(CancellationToken.None).WaitAsync(limits.PublishTimeout + Patience));
            Assert.True(failed is TimeoutException { Message: var message } && message.StartsWith("The broker did not take", StringComparison.Ordinal), $"the look did not fail on its publish's timeout: {failed}");
            var countedBefore = telemetry.SagasByState[ProvisioningStates.CreatingInbox];
            var second = await StuckSagaAsync(resumes: 0);

            var next = await Record.ExceptionAsync(() => sweeper.LookAsync(CancellationToken.None).WaitAsync(limits.PublishTimeout + Patience));

            Assert.True(next is TimeoutException { Message: var again } && again.StartsWith("The broker did not take", StringComparison.Ordinal), $"the next look did not run: {next}");
            Assert.Equal(countedBefore + 1, telemetry.SagasByState[ProvisioningStates.CreatingInbox]);
            Assert.Contains(gate.Published.OfType<ResumeProvisioning>(), r => r.OrderId == second);
        }
        finally
        {
            gate.Release();
        }
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

    /// <summary>
    /// A command no step consumer has taken is waiting its turn: it is not asked again after StepTimeout, as a step that
    /// ran is, but only after StepQueueTimeout, the bound on a command lost before any consumer saw it.
    /// </summary>
    [Fact]
    public async Task Should_give_a_command_no_consumer_has_taken_StepQueueTimeout_not_StepTimeout()
    {
        var limits = new ProvisioningOptions();
        var waiting = limits.StepTimeout * 5;
        var queued = await StuckSagaAsync(resumes: 0, stuckFor: waiting, queued: true);
        var taken = await StuckSagaAsync(resumes: 0, stuckFor: waiting, queued: false);
        var lost = await StuckSagaAsync(resumes: 0, stuckFor: limits.StepQueueTimeout * 2, queued: true);
        await using var dataSource = PoolOfOne();
        var (bus, gate) = BlockedPublishBus.Create();
        gate.Release();
        using var sweeper = Sweeper(dataSource, bus);

        await sweeper.LookAsync(CancellationToken.None).WaitAsync(Patience);

        var resumed = gate.Published.OfType<ResumeProvisioning>().Select(r => r.OrderId).ToList();
        Assert.DoesNotContain(queued, resumed);
        Assert.Contains(taken, resumed);
        Assert.Contains(lost, resumed);
    }

    /// <summary>
    /// A step consumer taking the command clears the saga's mark and moves its time, so the step's StepTimeout counts
    /// from then; a stale copy of another step's command changes nothing.
    /// </summary>
    [Fact]
    public async Task Should_count_a_taken_step_from_when_its_consumer_took_it()
    {
        // The stale copy's saga waits within its StepQueueTimeout, so no other spec's look claims it.
        var taken = await StuckSagaAsync(resumes: 0, queued: true);
        var stale = await StuckSagaAsync(resumes: 0, stuckFor: new ProvisioningOptions().StepTimeout * 5, queued: true);
        var steps = fixture.Provisioner!.Services.GetRequiredService<StepsTaken>();

        await steps.RecordAsync(taken, ProvisioningStates.CreatingInbox, CancellationToken.None);
        await steps.RecordAsync(stale, ProvisioningStates.ReconcilingWebhook, CancellationToken.None);

        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(Guid Id, bool Queued, bool Moved)>(
            $"select correlation_id, data ->> '{ProvisioningState.StepQueuedAtField}' is not null, updated_at > now() - interval '1 minute' from provisioning.provisioning_sagas where correlation_id = any(@ids)",
            new { ids = new[] { taken, stale } })).ToDictionary(r => r.Id);
        Assert.Equal((false, true), (rows[taken].Queued, rows[taken].Moved));
        Assert.Equal((true, false), (rows[stale].Queued, rows[stale].Moved));
    }

    // A saga that has not moved for stuckFor (default an hour, past any timeout), its command queued (sent, taken by no
    // step consumer) or not; the sweeper reads only its state, time, mark and resumes.
    private async Task<Guid> StuckSagaAsync(int resumes, TimeSpan? stuckFor = null, bool queued = false)
    {
        var id = Guid.NewGuid();
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            $"""
            insert into provisioning.provisioning_sagas (correlation_id, current_state, version, data, updated_at)
            values (@id, '{ProvisioningStates.CreatingInbox}', 1,
                    jsonb_build_object('resumes', @resumes, '{ProvisioningState.StepQueuedAtField}', case when @queued then to_jsonb(now() - @stuckFor) end),
                    now() - @stuckFor)
            """,
            new { id, resumes, queued, stuckFor = stuckFor ?? TimeSpan.FromHours(1) });
        return id;
    }

    private NpgsqlDataSource PoolOfOne() =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(fixture.Infrastructure.Database.ConnectionString) { SearchPath = "provisioning", MaxPoolSize = 1 });

    private StuckSagaSweeper Sweeper(NpgsqlDataSource dataSource, IBus bus, ProvisioningOptions? options = null) =>
        new(
            dataSource,
            bus,
            fixture.Provisioner!.Services.GetRequiredService<ProvisioningTelemetry>(),
            Options.Create(options ?? new ProvisioningOptions()),
            TimeProvider.System,
            NullLogger<StuckSagaSweeper>.Instance);
}
