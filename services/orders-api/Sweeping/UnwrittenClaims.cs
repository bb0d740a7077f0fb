using Dapper;
using Npgsql;

namespace OrdersMail.OrdersApi.Sweeping;

/// <summary>
/// How a <see cref="ClaimSweeper{TOptions}"/> takes the claims left unwritten in <paramref name="table"/> (keyed by
/// <paramref name="key"/>, with <c>claimed_at</c>, <c>written_at</c>, <c>attempts</c> and <c>given_up_at</c>): the
/// same statements for every table of claims, so every sweeper bounds its attempts the same way.
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

    private string Overdue(string attempts) =>
        $"""
        select {key} from {table}
        where written_at is null and given_up_at is null and claimed_at < now() - @After and {attempts}
        order by claimed_at
        limit @BatchSize
        for update skip locked
        """;
}
