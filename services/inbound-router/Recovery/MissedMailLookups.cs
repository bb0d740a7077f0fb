using Dapper;
using Npgsql;

namespace OrdersMail.InboundRouter.Recovery;

/// <summary>
/// The <c>missed_mail_lookups</c> table: the inboxes whose missed mail is still to be looked for. A pump claims due rows
/// (<c>for update skip locked</c>, its claim a <c>due_at</c> in the future, so replicas never look at one inbox at once
/// and a pump that dies only delays the look), and a look done deletes its row unless it was asked for again meanwhile.
/// </summary>
public sealed class MissedMailLookups(NpgsqlDataSource dataSource)
{
    /// <summary>The statement that asks for a look at <c>@InboxId</c> now, for a command of the caller's.</summary>
    public const string RequestSql = "insert into missed_mail_lookups (inbox_id) values (@InboxId) " + AskedAgainSql + ";";

    /// <summary>
    /// The end of an insert into <c>missed_mail_lookups</c> of the caller's: a look asked for again is due now and lists
    /// from the start of the window the insert gives (its <c>listed_after</c>, by default none: the look's own), however
    /// far the one before it had got.
    /// </summary>
    public const string AskedAgainSql =
        "on conflict (inbox_id) do update set requested_at = now(), attempts = 0, due_at = now(), resume_after = null, listed_after = excluded.listed_after";

    /// <summary>
    /// Asks again for a look at <paramref name="inboxId"/>, an inbox whose webhook the router has learnt, listing the
    /// mail received after <paramref name="listedAfter"/> (null: <paramref name="window"/> before now); where that
    /// look lists from, or null when the router knows no such inbox.
    /// </summary>
    public async Task<DateTimeOffset?> AskAgainAsync(string inboxId, DateTimeOffset? listedAfter, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var from = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            $"""
            insert into missed_mail_lookups (inbox_id, listed_after)
            select @InboxId, @ListedAfter where exists (select 1 from inbox_webhooks where inbox_id = @InboxId)
            {AskedAgainSql}
            returning coalesce(listed_after, requested_at - @Window)
            """,
            new { InboxId = inboxId, ListedAfter = listedAfter, Window = window },
            cancellationToken: cancellationToken));
        return from is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    /// <summary>Claims up to <paramref name="limit"/> due looks for <paramref name="lease"/>, counting an attempt for each.</summary>
    public async Task<IReadOnlyList<MissedMailLookup>> ClaimAsync(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string InboxId, DateTime RequestedAt, int Attempts, DateTime? ResumeAfter, DateTime? ListedAfter)>(new CommandDefinition(
            """
            update missed_mail_lookups l set due_at = now() + @Lease, attempts = l.attempts + 1
            from (select inbox_id from missed_mail_lookups where due_at <= now() order by due_at limit @Limit for update skip locked) as c
            where l.inbox_id = c.inbox_id
            returning l.inbox_id, l.requested_at, l.attempts, l.resume_after, l.listed_after
            """,
            new { Limit = limit, Lease = lease },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new MissedMailLookup(r.InboxId, new DateTimeOffset(r.RequestedAt, TimeSpan.Zero), r.Attempts, Utc(r.ResumeAfter), Utc(r.ListedAfter)))];
    }

    /// <summary>
    /// How long until the soonest look is due (a claimed one when its claim ends), by the database's clock, the one
    /// <see cref="ClaimAsync"/> compares with: zero for one due already, null when no look waits.
    /// </summary>
    public async Task<TimeSpan?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var seconds = await connection.ExecuteScalarAsync<double?>(new CommandDefinition(
            "select extract(epoch from min(due_at) - now())::float8 from missed_mail_lookups", cancellationToken: cancellationToken));
        return seconds is { } due ? TimeSpan.FromSeconds(Math.Max(due, 0)) : null;
    }

    /// <summary>The look is done (or given up): its row goes, unless a newer request came meanwhile.</summary>
    public async Task FinishAsync(MissedMailLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from missed_mail_lookups where inbox_id = @InboxId and requested_at = @RequestedAt",
            new { lookup.InboxId, lookup.RequestedAt },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A pass of the look stopped with more to list: it is due again at once, to list after <paramref name="resumeAfter"/>,
    /// its attempts from zero (a pass that moved on is no failure), unless a newer request came meanwhile.
    /// </summary>
    public Task ResumeAsync(MissedMailLookup lookup, DateTimeOffset resumeAfter, CancellationToken cancellationToken) =>
        UpdateAsync(lookup, "resume_after = @ResumeAfter, attempts = 0, due_at = now()", new { ResumeAfter = resumeAfter }, cancellationToken);

    /// <summary>The look failed for now: it is due again after <paramref name="wait"/>.</summary>
    public Task PostponeAsync(MissedMailLookup lookup, TimeSpan wait, CancellationToken cancellationToken) =>
        UpdateAsync(lookup, "due_at = now() + @Wait", new { Wait = wait }, cancellationToken);

    private static DateTimeOffset? Utc(DateTime? at) => at is { } value ? new DateTimeOffset(value, TimeSpan.Zero) : null;

    // Sets what the look's pass came to, on its row as claimed: a newer request meanwhile keeps its own.
    private async Task UpdateAsync(MissedMailLookup lookup, string set, object values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var parameters = new DynamicParameters(values);
        parameters.AddDynamicParams(new { lookup.InboxId, lookup.RequestedAt });
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"update missed_mail_lookups set {set} where inbox_id = @InboxId and requested_at = @RequestedAt", parameters, cancellationToken: cancellationToken));
    }
}

/// <summary>A claimed look for an inbox's missed mail.</summary>
/// <param name="InboxId">The inbox.</param>
/// <param name="RequestedAt">When its webhook was replaced (the latest time, if more than once).</param>
/// <param name="Attempts">Claims so far, this one included (since its last pass that moved on).</param>
/// <param name="ResumeAfter">Where its last pass stopped, cut short at <c>Routing:MissedMailPages</c>; null before.</param>
/// <param name="ListedAfter">Where ops asked it to list from (<c>POST /routing/missed-mail/{inboxId}</c>); null for its own window.</param>
public sealed record MissedMailLookup(string InboxId, DateTimeOffset RequestedAt, int Attempts, DateTimeOffset? ResumeAfter, DateTimeOffset? ListedAfter)
{
    /// <summary>Where its window starts: <see cref="ListedAfter"/>, else <paramref name="window"/> before <see cref="RequestedAt"/>.</summary>
    public DateTimeOffset From(TimeSpan window) => ListedAfter ?? RequestedAt - window;
}
