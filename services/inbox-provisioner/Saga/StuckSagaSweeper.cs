using Dapper;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.InboxProvisioner.Operations;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>
/// Finds sagas that have sat in one step too long and asks the saga to resume: it sends its step again, or fails once
/// it has been asked enough. There is no delayed-message plugin on the broker, so this sweep is the saga's timeout.
/// Too long is <see cref="ProvisioningOptions.StepTimeout"/> without progress once a step consumer has taken the
/// step's command (a consumer that died, a command gone to an error queue, an AgentMail outage that outlasted the
/// retries), and <see cref="ProvisioningOptions.StepQueueTimeout"/> while none has. Each stuck saga is claimed (its
/// <c>updated_at</c> moved) in the same statement, skipping rows a consumer holds, so replicas sweeping at once resume
/// it once; each resume is published in the order's trace. Also refreshes the per-state gauge, which counts every state but <see cref="ProvisioningStates.Ready"/>.
/// </summary>
/// <remarks>
/// Why two timeouts: a command no consumer has taken yet (the saga's <see cref="ProvisioningState.StepQueuedAt"/> still
/// set; <see cref="Steps.StepsTaken"/> clears it and moves <c>updated_at</c> as a consumer takes it) is most likely
/// waiting its turn behind a backlog: a burst of orders, the step consumers down for a while, AgentMail slow. Counting
/// its wait as a stuck step resumed it, queueing another copy behind it, and failed the saga after
/// (MaxResumes + 1) × StepTimeout, 8 minutes of plain waiting, although its command would have run minutes later.
/// Waiting without bound would leave a command lost before any consumer saw it (a send lost with the broker) waiting
/// for ever, so an untaken command is asked again after StepQueueTimeout, and a step no consumer ever takes fails
/// after (MaxResumes + 1) × StepQueueTimeout (an hour at the defaults). Why not the step queue's depth: it says there is
/// a backlog, not that this saga's command is in it, and reading it takes the broker's management API; the saga's row
/// says for each saga whether its command was taken, at one short statement per step.
/// </remarks>
public sealed partial class StuckSagaSweeper(
    NpgsqlDataSource dataSource,
    IBus bus,
    ProvisioningTelemetry telemetry,
    IOptions<ProvisioningOptions> options,
    TimeProvider time,
    ILogger<StuckSagaSweeper> logger) : PeriodicScan(options.Value.SweepInterval, time, logger)
{
    private const int BatchSize = 100;

    // The finished states as literals, so the statement matches the partial index provisioning_sagas_in_progress.
    private const string StuckSql =
        $"""
        with stuck as (
            select correlation_id, updated_at from provisioning_sagas
            where current_state not in ('{ProvisioningStates.Ready}', '{ProvisioningStates.Failed}') and updated_at < now() - @StepTimeout
              and (data ->> '{ProvisioningState.StepQueuedAtField}' is null or updated_at < now() - @StepQueueTimeout)
            order by updated_at
            limit @BatchSize
            for update skip locked)
        update provisioning_sagas p set updated_at = now()
        from stuck where p.correlation_id = stuck.correlation_id
        returning p.correlation_id, stuck.updated_at, coalesce((p.data ->> 'resumes')::int, 0),
                  p.data ->> 'orderRef', p.data ->> '{ProvisioningState.TraceParentField}'
        """;

    // Each half reads one partial index (provisioning_sagas_in_progress, provisioning_sagas_failed), so the count costs
    // what is in progress or failed, not every saga ever run.
    private const string CountSql =
        $"""
        select current_state, count(*) from provisioning_sagas
        where current_state not in ('{ProvisioningStates.Ready}', '{ProvisioningStates.Failed}')
        group by current_state
        union all
        select '{ProvisioningStates.Failed}', count(*) from provisioning_sagas where current_state = '{ProvisioningStates.Failed}'
        """;

    /// <summary>Resumes what is stuck now; returns how many sagas were asked to resume. A claimed saga whose resume
    /// was not published (the broker did not take it within <see cref="ProvisioningOptions.PublishTimeout"/>, which
    /// fails the look) is found again a timeout later.</summary>
    protected override async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        // The connection goes back to the pool before the publishes: a broker that is away holds them for as long as it
        // is, and the pool's connections are the saga's and the steps' too.
        List<(Guid OrderId, DateTime StuckSince, int Resumes, string? OrderRef, string? TraceParent)> stuck;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            CountStates(await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(CountSql, cancellationToken: cancellationToken)));
            stuck = [.. await connection.QueryAsync<(Guid OrderId, DateTime StuckSince, int Resumes, string? OrderRef, string? TraceParent)>(new CommandDefinition(
                StuckSql,
                new { options.Value.StepTimeout, options.Value.StepQueueTimeout, BatchSize },
                cancellationToken: cancellationToken))];
        }

        foreach (var (orderId, stuckSince, resumes, orderRef, traceParent) in stuck)
        {
            LogResuming(logger, orderId, stuckSince);
            using var activity = telemetry.StartPublishInOrderTrace("saga resume", orderId, orderRef, traceParent);
            await bus.PublishWithinAsync(
                new ResumeProvisioning(orderId, new DateTimeOffset(stuckSince, TimeSpan.Zero), resumes), options.Value.PublishTimeout, cancellationToken);
        }

        return stuck.Count;
    }

    private void CountStates(IEnumerable<(string State, long Count)> counts)
    {
        var byState = ProvisioningStates.Counted.ToDictionary(state => state, _ => 0L);
        foreach (var (state, count) in counts)
        {
            byState[state] = count;
        }

        telemetry.SagasCounted(byState);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provisioning saga of order {OrderId} has not moved since {StuckSince}; asking it to resume")]
    private static partial void LogResuming(ILogger logger, Guid orderId, DateTime stuckSince);
}
