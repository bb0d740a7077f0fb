using Dapper;
using Npgsql;
using OrdersMail.InboundRouter.Ingress;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// Received emails routing set aside because it could never decide them (<see cref="UnroutedEmails.ClaimAsync"/>), and
/// verified events the ingress could not read (<see cref="UnreadableEvents"/>): the list for a person, giving one
/// back once its cause is fixed (a newer version that reads it, a database that failed its every attempt back), and
/// dismissing one a person has dealt with.
/// </summary>
public sealed class SetAsideEmails(NpgsqlDataSource dataSource, SetAsideGauge gauge, UnreadableEvents unreadable)
{
    /// <summary>
    /// Set-aside emails and events, oldest first (then by svix-id), with why each was set aside, after the event
    /// <paramref name="after"/> when given (the last of the page before, given back since or not); null when no event
    /// with that svix-id is recorded.
    /// </summary>
    public async Task<IReadOnlyList<SetAsideEmailView>?> ListAsync(int limit, string? after, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // A row given back keeps its place until retention sweeps it, so the event a page ended with still says where
        // the next one starts.
        var afterAt = after is null
            ? null
            : await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
                "select received_at from received_events where svix_id = @After", new { After = after }, cancellationToken: cancellationToken));
        if (after is not null && afterAt is null)
        {
            return null;
        }

        var rows = (await connection.QueryAsync<SetAsideEmailView>(new CommandDefinition(
            """
            select svix_id as SvixId, event_id as EventId, inbox_id as InboxId, event_type as EventType, received_at as ReceivedAt,
                   route_attempts as Attempts, coalesce(set_aside_reason, 'unknown') as Reason
            from received_events
            where claimed_until = 'infinity' and (not @Paged or (received_at, svix_id) > (@AfterAt, @After))
            order by received_at, svix_id limit @Limit
            """,
            new { Limit = limit, Paged = after is not null, AfterAt = afterAt ?? DateTime.UnixEpoch, After = after ?? "" },
            cancellationToken: cancellationToken))).ToList();
        await connection.CloseAsync();
        await gauge.RefreshAsync(cancellationToken);
        return rows;
    }

    /// <summary>
    /// Gives the set-aside email back to routing with its attempts counted from zero, claimable at once (one that still
    /// cannot be decided is set aside again); an event the ingress could not read is read again, and given back only if
    /// it reads now (<see cref="UnreadableEvents.ReadAgainAsync"/>).
    /// </summary>
    public async Task<SetAsideRetry> RetryAsync(string svixId, CancellationToken cancellationToken)
    {
        int released;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            released = await connection.ExecuteAsync(new CommandDefinition(
                """
                update received_events set claimed_until = null, route_attempts = 0, set_aside_reason = null
                where svix_id = @SvixId and claimed_until = 'infinity' and unreadable_event is null
                """,
                new { SvixId = svixId },
                cancellationToken: cancellationToken));
        }

        var retry = released == 1 ? SetAsideRetry.Back : await unreadable.ReadAgainAsync(svixId, cancellationToken);
        await gauge.RefreshAsync(cancellationToken);
        return retry;
    }

    /// <summary>
    /// Dismisses the set-aside row once a person has dealt with it (read the email in AgentMail, which keeps it, or
    /// judged the event worthless): it leaves the list, its email and body are cleared, and the retention sweep takes it
    /// as any event done with; true when it is dismissed, now or before.
    /// </summary>
    public async Task<bool> DismissAsync(string svixId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var dismissed = await connection.ExecuteAsync(new CommandDefinition(
            """
            update received_events set claimed_until = null, email = null, trace_parent = null, unreadable_event = null, dismissed_at = now()
            where svix_id = @SvixId and claimed_until = 'infinity'
            """,
            new { SvixId = svixId },
            cancellationToken: cancellationToken));
        if (dismissed == 1)
        {
            // The count takes a connection of its own: held meanwhile, a pool's worth of dismissals at once would each
            // wait for a connection none of them gives back.
            await connection.CloseAsync();
            await gauge.RefreshAsync(cancellationToken);
            return true;
        }

        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from received_events where svix_id = @SvixId and dismissed_at is not null)", new { SvixId = svixId }, cancellationToken: cancellationToken));
    }
}

/// <summary>A received email, or an event the ingress could not read, set aside for a person.</summary>
/// <param name="SvixId">Its webhook delivery's <c>svix-id</c>, the row's key.</param>
/// <param name="EventId">AgentMail's event id.</param>
/// <param name="InboxId">The inbox it was received in.</param>
/// <param name="EventType">AgentMail's <c>event_type</c>: <c>message.received</c>, or a delivery fact the ingress could not read.</param>
/// <param name="ReceivedAt">When the ingress recorded it.</param>
/// <param name="Attempts">Claims made before it was set aside, the last included (0 for an event the ingress could not read).</param>
/// <param name="Reason">Why routing cannot decide it, or why the ingress cannot read it.</param>
public sealed record SetAsideEmailView(string SvixId, string EventId, string InboxId, string EventType, DateTime ReceivedAt, int Attempts, string Reason);
