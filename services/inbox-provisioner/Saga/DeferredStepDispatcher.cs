using Dapper;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.InboxProvisioner.Operations;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>
/// Asks a deferred step again once its retry is due: every <see cref="ProvisioningOptions.StepRetryPollInterval"/> it
/// claims the sagas whose <c>due_at</c> (the saga's <see cref="ProvisioningState.RetryAt"/>) has passed, moving it
/// <see cref="Redispatch"/> on in the same statement and skipping rows a consumer holds, so replicas looking at once
/// retry each saga once, and publishes <see cref="RetryDeferredStep"/> for each, in the order's trace. The saga clears <c>due_at</c> as it
/// takes the retry; one whose retry was never published is due again <see cref="Redispatch"/> later. A publish the
/// broker does not take within <see cref="ProvisioningOptions.PublishTimeout"/> fails the look, and the next poll
/// looks again.
/// </summary>
/// <remarks>
/// Why a poll of the saga table and not the bus: the broker has no delayed-message plugin, so MassTransit cannot
/// schedule the retry, and an in-memory retry (<c>UseMessageRetry</c> with intervals) would hold one of the step
/// endpoint's few consumer slots through each wait. The due time is in the saga's row, so a provisioner killed
/// meanwhile loses nothing: the next one (or another replica) finds it due, and so does this one a claimed retry whose
/// publish was lost (the process killed between the claim and the publish, or the broker away): no sweeper would take
/// it for a failed saga's final read-back. A retry published twice (its saga slow to take the first) asks nothing
/// twice: the saga takes the retry it waits for once. A step whose retries are used up is the sweeper's. The look itself
/// is one statement on an index that holds only the sagas waiting for a retry.
/// </remarks>
public sealed partial class DeferredStepDispatcher(
    NpgsqlDataSource dataSource,
    IBus bus,
    ProvisioningTelemetry telemetry,
    IOptions<ProvisioningOptions> options,
    TimeProvider time,
    ILogger<DeferredStepDispatcher> logger) : PeriodicScan(options.Value.StepRetryPollInterval, time, logger)
{
    /// <summary>How long a claimed retry waits before it is due again, should its saga not take it.</summary>
    public static readonly TimeSpan Redispatch = TimeSpan.FromMinutes(1);

    private const int BatchSize = 100;

    // Ready as a literal, like the sweeper's states; a ready saga has no due_at anyway. A failed one has while its final
    // read-back waits for a retry.
    private const string DueSql =
        $"""
        with due as (
            select correlation_id from provisioning_sagas
            where due_at <= now() and current_state <> '{ProvisioningStates.Ready}'
            order by due_at
            limit @BatchSize
            for update skip locked)
        update provisioning_sagas p set due_at = now() + @Redispatch
        from due where p.correlation_id = due.correlation_id
        returning p.correlation_id, (p.data ->> 'deferrals')::int, p.current_state,
                  p.data ->> 'orderRef', p.data ->> '{ProvisioningState.TraceParentField}'
        """;

    /// <summary>Asks every step whose retry is due now; returns how many were asked.</summary>
    protected override async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        List<(Guid OrderId, int Deferral, string State, string? OrderRef, string? TraceParent)> due;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            due = [.. await connection.QueryAsync<(Guid, int, string, string?, string?)>(new CommandDefinition(DueSql, new { BatchSize, Redispatch }, cancellationToken: cancellationToken))];
        }

        foreach (var (orderId, deferral, state, orderRef, traceParent) in due)
        {
            LogRetrying(logger, orderId, state, deferral);
            using var activity = telemetry.StartPublishInOrderTrace("step retry", orderId, orderRef, traceParent);
            await bus.PublishWithinAsync(new RetryDeferredStep(orderId, deferral), options.Value.PublishTimeout, cancellationToken);
        }

        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retry {Deferral} of the deferred step of order {OrderId} ({State}) is due; asking it again")]
    private static partial void LogRetrying(ILogger logger, Guid orderId, string state, int deferral);
}
