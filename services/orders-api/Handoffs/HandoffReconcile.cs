using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.OrdersApi.Handoffs;

/// <summary>
/// Hands off the inbound messages an older build labelled <c>needs-review</c> or <c>needs-action</c> without a hand-off:
/// during a rolling upgrade a replica from before hand-offs keeps consuming, labels a request and tells the customer it
/// was passed on, and nothing else ever hands it off (a redelivery finds the message recorded, the reply sweeper only
/// answers). Looks at the messages recorded within <see cref="HandoffReconcileOptions.ReconcileLookBack"/> only, through
/// migration 0017's index of such messages, so its cost follows them and not the table; every replica runs it, and a
/// message handed off already, done or not, is left as it is.
/// </summary>
public sealed partial class HandoffReconcile(
    NpgsqlDataSource dataSource,
    AgentHandoffs handoffs,
    IOptions<HandoffReconcileOptions> options,
    TimeProvider time,
    ILogger<HandoffReconcile> logger) : PeriodicSweep<int>(time)
{
    /// <inheritdoc />
    protected override TimeSpan Every => options.Value.ReconcileEvery;

    /// <summary>Hands off what an older build labelled lately and nobody handed off; returns how many it handed off.</summary>
    protected override async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // The where clause repeats the index's predicate word for word, so the planner can use it. A message handed off
        // before is skipped, and one handed off meanwhile by another replica's reconcile is not inserted again (on
        // conflict). handed_at is now, not when the message came: ops paging through the list meanwhile find it on a
        // later page, not before their cursor.
        var handed = await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into agent_handoffs (message, label, reason, intent)
            select m.id,
                   case when 'needs-review' = any (m.labels) then 'needs-review' else 'needs-action' end,
                   @Reason,
                   coalesce(r.intent, 'other')
            from order_messages m
            left join agent_replies r on r.order_id = m.order_id and r.message_id = m.message_id
            where m.direction = 'inbound' and not m.recorded_with_handoffs and m.labels && array['needs-review', 'needs-action']::text[]
              and m.created_at > now() - @LookBack
              and not exists (select 1 from agent_handoffs h where h.message = m.id)
            on conflict (message) do nothing
            """,
            new { Reason = HandoffReasons.LabelledByOlderBuild, LookBack = options.Value.ReconcileLookBack },
            cancellationToken: cancellationToken));
        if (handed > 0)
        {
            LogHanded(logger, handed);
            handoffs.Changed();
        }

        return handed;
    }

    /// <inheritdoc />
    protected override void SweepFailed(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hand-offs: handed off {Count} message(s) an older build labelled for a person without handing them off")]
    private static partial void LogHanded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hand-offs: the reconcile of older builds' labels failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
