using Dapper;
using Npgsql;

namespace OrdersMail.DeliveryTracker.OutboxRetention;

/// <summary>
/// Which emails the outbox sweep may forget the files of, by their rows in <c>outbound_emails</c>: an email whose row
/// is no longer pending was sent or failed for good, and its row, which stays, keeps a file of it written again (a
/// reply rewritten by a run that found none) from being sent a second time.
/// </summary>
public sealed class SettledEmails(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Those of <paramref name="emailIds"/> whose row is recorded and no longer pending, and whose file is not owed to
    /// <c>failed/</c> (an email the provider reported failed after accepting it, its file not moved yet).
    /// </summary>
    public Task<HashSet<Guid>> SettledAsync(IReadOnlyCollection<Guid> emailIds, CancellationToken cancellationToken) =>
        QueryAsync(
            "select email_id from outbound_emails where email_id = any(@Ids) and send_state <> 'pending' and failed_file_due is null",
            new { Ids = emailIds.ToArray() },
            cancellationToken);

    /// <summary>
    /// Those of <paramref name="copyIds"/>, the ids of sent-again copies, whose copy was picked up before
    /// <paramref name="before"/> and is no longer pending: the failed email was dealt with that long ago.
    /// </summary>
    public Task<HashSet<Guid>> SettledCopiesAsync(IReadOnlyCollection<Guid> copyIds, DateTimeOffset before, CancellationToken cancellationToken) =>
        QueryAsync(
            "select email_id from outbound_emails where email_id = any(@Ids) and send_state <> 'pending' and queued_at < @Before",
            new { Ids = copyIds.ToArray(), Before = before },
            cancellationToken);

    private async Task<HashSet<Guid>> QueryAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Guid>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))];
    }
}
