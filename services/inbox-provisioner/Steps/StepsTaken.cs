using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.InboxProvisioner.Saga;

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>
/// A step consumer's word to the stuck-saga sweeper that it took a saga's command: the saga's mark that its step waits
/// in the queue (<see cref="ProvisioningState.StepQueuedAt"/>) is cleared, and its <c>updated_at</c> moved, so the step
/// gets <see cref="ProvisioningOptions.StepTimeout"/> from now, when it starts running, not from when it was asked
/// (<see cref="StuckSagaSweeper"/> says why). One short statement of its own, before any AgentMail call; nothing when
/// the mark is already cleared (a command delivered again), or the saga is no longer in the step's state (a stale copy).
/// </summary>
public sealed class StepsTaken(NpgsqlDataSource dataSource)
{
    // Committed without waiting for the WAL flush, one statement per step on every order's path: a mark a database
    // crash loses only leaves the step under StepQueueTimeout instead of StepTimeout, which the sweeper bounds as well.
    private const string TakenSql =
        NoFlushWait.Statement + $$"""
        update provisioning_sagas set data = jsonb_set(data, '{{{ProvisioningState.StepQueuedAtField}}}', 'null'), updated_at = now()
        where correlation_id = @OrderId and current_state = @State and data ->> '{{ProvisioningState.StepQueuedAtField}}' is not null
        """;

    /// <summary>Records that the command of the saga of <paramref name="orderId"/>, in <paramref name="state"/>, was taken.</summary>
    public async Task RecordAsync(Guid orderId, string state, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TakenSql, new { OrderId = orderId, State = state }, cancellationToken: cancellationToken));
    }
}
