using Dapper;
using Npgsql;

namespace OrdersMail.OrdersApi.Sweeping;

/// <summary>
/// How a <see cref="ClaimSweeper{TOptions}"/> takes the claims left unwritten in <paramref name="table"/> (keyed by
/// <paramref name="key"/>, with <c>claimed_at</c>, <c>written_at</c>, <c>attempts</c> and <c>given_up_at</c>): the
/// same statements for every table of claims, so every sweeper bounds its attempts the same way, and ops put back one
/// given up the same way (<see cref="WriteAgainRoutes"/>).
/// </summary>
/// <param name="table">The claims' table.</param>
/// <param name="key">Its key columns, comma separated.</param>
/// <param name="keyParameters">The parameters naming one claim's key, in the order of <paramref name="key"/>.</param>
internal sealed class UnwrittenClaims(string table, string key, string keyParameters)
{
    /// <summary>
    /// In <paramref name="transaction"/>, gives up the claims unwritten for longer than <paramref name="after"/> whose
    /// <paramref name="maxAttempts"/> are spent (each read as <typeparamref name="TGivenUp"/> from
    /// <paramref name="givenUpColumns"/>), and takes the others, each stamped now with one more attempt so that no other
    /// replica takes it at the same time (their keys, read as <typeparamref name="TKey"/>); at most
    /// <paramref name="batchSize"/> of each, skipping claims another transaction holds (a writer writing it, another
    /// replica's sweep).
    /// </summary>
    public async Task<(IReadOnlyList<TGivenUp> GivenUp, TKey[] Taken)> TakeAsync<TGivenUp, TKey>(
        NpgsqlTransaction transaction, string givenUpColumns, TimeSpan after, int maxAttempts, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection!;
        var parameters = new { After = after, MaxAttempts = maxAttempts, BatchSize = batchSize };
        var givenUp = (await connection.QueryAsync<TGivenUp>(new CommandDefinition(
            $"""
            update {table} set given_up_at = now()
            where ({key}) in ({Overdue("attempts >= @MaxAttempts")})
            returning {givenUpColumns}
            """,
            parameters,
            transaction,
            cancellationToken: cancellationToken))).ToList();
        var taken = (await connection.QueryAsync<TKey>(new CommandDefinition(
            $"""
            update {table} set claimed_at = now(), attempts = attempts + 1
            where ({key}) in ({Overdue("attempts < @MaxAttempts")})
            returning {key}
            """,
            parameters,
            transaction,
            cancellationToken: cancellationToken))).ToArray();
        return (givenUp, taken);
    }

    /// <summary>
    /// Gives back the attempt a sweep stamped on each claim named in <paramref name="claimKeys"/> (objects with the key's
    /// parameters) whose write failed, or was cut short by a stop, for no fault of its own (the outbox or the database
    /// away, the service stopping): such a failure must not bring the claim nearer to being given up, or an outage of a
    /// few minutes, or a few deploys, would give up every claim it met. A claim written or given up meanwhile keeps its
    /// attempts. The claim is taken again after the usual wait.
    /// </summary>
    public async Task GiveBackAttemptsAsync(NpgsqlDataSource dataSource, IReadOnlyCollection<object> claimKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(claimKeys);
        if (claimKeys.Count == 0)
        {
            return;
        }

        // Dapper runs the statement once per key, on the one connection.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            update {table} set attempts = attempts - 1
            where ({key}) = ({keyParameters}) and written_at is null and given_up_at is null and attempts > 0
            """,
            claimKeys,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Puts the claim named by <paramref name="claimKey"/> (an object with the key's parameters, the order's id among
    /// them as <c>OrderId</c>) back in the sweeper's hands if the sweeper gave it up unwritten (ops fixed what failed its
    /// writes): no longer given up, its attempts anew, all else as claimed, its email id with it. Its <c>claimed_at</c>
    /// stays that of its last attempt, already older than <c>RewriteAfter</c> when it was given up, so the next sweep
    /// takes it. Otherwise says why not, changing nothing. The claim put back is read as <typeparamref name="TClaim"/>
    /// from <paramref name="claimColumns"/>, which name the claim <c>c</c> and its order <c>o</c>, and begin with the
    /// claim's <c>c.order_id as OrderId</c>.
    /// </summary>
    public async Task<WriteAgainOutcome<TClaim>> PutBackAsync<TClaim>(
        NpgsqlDataSource dataSource, string claimColumns, object claimKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Every part of one statement reads the claim as it was before the update, so the select says why one was not
        // put back. The claim's columns are all null when the order has no such claim: Dapper reads it as null then.
        var found = (await connection.QueryAsync<PutBackState, TClaim, (PutBackState State, TClaim Claim)>(
            new CommandDefinition(
                $"""
                with put_back as (
                    update {table} set given_up_at = null, attempts = 0
                    where ({key}) = ({keyParameters}) and written_at is null and given_up_at is not null
                    returning 1)
                select exists (select 1 from put_back) as PutBack, c.written_at as WrittenAt, c.attempts as Attempts, {claimColumns}
                from orders o left join lateral (select * from {table} where ({key}) = ({keyParameters})) c on true
                where o.id = @OrderId
                """,
                claimKey,
                cancellationToken: cancellationToken),
            (state, claim) => (state, claim),
            splitOn: "OrderId")).ToList();
        if (found.Count == 0)
        {
            return new WriteAgainOutcome<TClaim>.NoOrder();
        }

        var (state, claim) = found.Single();
        return state switch
        {
            { Attempts: null } => new WriteAgainOutcome<TClaim>.NotClaimed(),
            { PutBack: true } => new WriteAgainOutcome<TClaim>.PutBack(claim),
            { WrittenAt: { } writtenAt } => new WriteAgainOutcome<TClaim>.Written(writtenAt),
            _ => new WriteAgainOutcome<TClaim>.BeingTried(state.Attempts.Value),
        };
    }

    private string Overdue(string attempts) =>
        $"""
        select {key} from {table}
        where written_at is null and given_up_at is null and claimed_at < now() - @After and {attempts}
        order by claimed_at
        limit @BatchSize
        for update skip locked
        """;

    // A class with setters: Dapper reads the first part of a split row into it by name.
    private sealed class PutBackState
    {
        public bool PutBack { get; set; }

        public DateTime? WrittenAt { get; set; }

        public int? Attempts { get; set; }
    }
}
