using Dapper;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>
/// Asks a deferred step again once its retry is due: every <see cref="ProvisioningOptions.StepRetryPollInterval"/> it
/// claims the sagas whose <c>due_at</c> (the saga's <see cref="ProvisioningState.RetryAt"/>) has passed, clearing it in
/// the same statement and skipping rows a consumer holds, so replicas looking at once retry each saga once, and
/// publishes <see cref="RetryDeferredStep"/> for each.
/// </summary>
/// <remarks>
/// Why a poll of the saga table and not the bus: the broker has no delayed-message plugin, so MassTransit cannot
/// schedule the retry, and an in-memory retry (<c>UseMessageRetry</c> with intervals) would hold one of the step
/// endpoint's few consumer slots through each wait. The due time is in the saga's row, so a provisioner killed
/// meanwhile loses nothing: the next one (or another replica) finds it due. A claimed retry whose publish is lost is
/// the sweeper's, a <see cref="ProvisioningOptions.StepTimeout"/> after the deferral, as is a step whose retries are
/// used up. The look itself is one statement on an index that holds only the sagas waiting for a retry.
/// </remarks>
public sealed partial class DeferredStepDispatcher(
    NpgsqlDataSource dataSource,
    IBus bus,
    IOptions<ProvisioningOptions> options,
    TimeProvider time,
    ILogger<DeferredStepDispatcher> logger) : PeriodicScan(options.Value.StepRetryPollInterval, time, logger)
{
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
        update provisioning_sagas p set due_at = null
        from due where p.correlation_id = due.correlation_id
        returning p.correlation_id, (p.data ->> 'deferrals')::int, p.current_state
        """;

    /// <summary>Asks every step whose retry is due now; returns how many were asked.</summary>
    protected override async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        List<(Guid OrderId, int Deferral, string State)> due;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            due = [.. await connection.QueryAsync<(Guid, int, string)>(new CommandDefinition(DueSql, new { BatchSize }, cancellationToken: cancellationToken))];
        }

        foreach (var (orderId, deferral, state) in due)
        {
            LogRetrying(logger, orderId, state, deferral);
            await bus.Publish(new RetryDeferredStep(orderId, deferral), cancellationToken);
        }

        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retry {Deferral} of the deferred step of order {OrderId} ({State}) is due; asking it again")]
    private static partial void LogRetrying(ILogger logger, Guid orderId, string state, int deferral);
}
