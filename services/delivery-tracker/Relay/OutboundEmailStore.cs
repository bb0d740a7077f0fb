using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The relay's rows in <c>outbound_emails</c>, each change committed with the event it causes (through the
/// building blocks' outbox), in one short transaction that never spans a call to a provider. The two writes every
/// email makes (picked up, sent) go through <see cref="RelayJournal"/>, which commits many at once; the rare ones
/// (a transient failure, a refusal, a send left unanswered too long, an invalid file) commit here on their own.
/// </summary>
public sealed class OutboundEmailStore(NpgsqlDataSource dataSource, OutboxWriter outbox, TimeProvider time)
{
    /// <summary>The columns of an <see cref="EmailRecord"/>.</summary>
    internal const string Columns =
        "email_id as EmailId, file_name as FileName, send_state as SendState, attempts as Attempts, next_attempt_at as NextAttemptAt, last_error as LastError, batch_id as BatchId, queued_at as QueuedAt, refused_at as RefusedAt";

    /// <summary>
    /// Records a transient failure: the email stays pending until <paramref name="nextAttemptAt"/>, unless this was
    /// attempt <paramref name="maxAttempts"/>, in which case it fails (with <c>OutboundEmailFailed</c>). Returns the row,
    /// and whether this recorded it: an email no longer pending (another file or relay had it accepted or failed
    /// meanwhile) is left as it is, so a late answer never moves a sent email back.
    /// </summary>
    public Task<(EmailRecord Row, bool Recorded)> RecordTransientAsync(
        Guid emailId, Guid? orderId, string fileName, string error, DateTimeOffset nextAttemptAt, int maxAttempts, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<EmailRecord>(new CommandDefinition(
                $"""
                update outbound_emails
                set attempts = attempts + 1, last_error = @Error, updated_at = now(),
                    send_state = case when attempts + 1 >= @MaxAttempts then 'failed' else 'pending' end,
                    next_attempt_at = case when attempts + 1 >= @MaxAttempts then null else @NextAttemptAt end
                where email_id = @EmailId and send_state = 'pending'
                returning {Columns}, false as IsNew
                """,
                new { EmailId = emailId, Error = error, NextAttemptAt = nextAttemptAt.UtcDateTime, MaxAttempts = maxAttempts },
                transaction,
                cancellationToken: cancellationToken));
            if (row is null)
            {
                return (await ReadAsync(transaction, emailId, cancellationToken), false);
            }

            if (row.SendState == "failed")
            {
                await outbox.AddAsync(transaction, new OutboundEmailFailed(emailId, orderId, fileName, $"gave up after {row.Attempts} attempts: {error}", time.GetUtcNow()), cancellationToken);
            }

            return (row, true);
        }, cancellationToken);

    /// <summary>
    /// Records a send the provider put off with nothing sent (Resend's quota used up): the email stays pending until
    /// <paramref name="retryAt"/> with its attempts as they were, <paramref name="error"/> its last error. Returns the
    /// row, and whether this recorded it, as <see cref="RecordTransientAsync"/> does.
    /// </summary>
    public Task<(EmailRecord Row, bool Recorded)> RecordDeferredAsync(Guid emailId, string error, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<EmailRecord>(new CommandDefinition(
                $"""
                update outbound_emails
                set last_error = @Error, next_attempt_at = @RetryAt, refused_at = now(), updated_at = now()
                where email_id = @EmailId and send_state = 'pending'
                returning {Columns}, false as IsNew
                """,
                new { EmailId = emailId, Error = error, RetryAt = retryAt.UtcDateTime },
                transaction,
                cancellationToken: cancellationToken));
            return row is null ? (await ReadAsync(transaction, emailId, cancellationToken), false) : (row, true);
        }, cancellationToken);

    /// <summary>Records a permanent refusal, with <c>OutboundEmailFailed</c>.</summary>
    public Task RecordRefusedAsync(Guid emailId, Guid? orderId, string fileName, string error, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                update outbound_emails
                set send_state = 'failed', attempts = attempts + 1, last_error = @Error, next_attempt_at = null, updated_at = now()
                where email_id = @EmailId and send_state = 'pending'
                """,
                new { EmailId = emailId, Error = error },
                transaction,
                cancellationToken: cancellationToken));
            if (updated == 1)
            {
                await outbox.AddAsync(transaction, new OutboundEmailFailed(emailId, orderId, fileName, error, time.GetUtcNow()), cancellationToken);
            }

            return updated;
        }, cancellationToken);

    /// <summary>
    /// Fails an email whose send went unanswered for longer than the provider keeps its key, with
    /// <c>OutboundEmailFailed</c>, counting no attempt (none is made). Returns the row, and whether this recorded it:
    /// an email no longer pending (another file or relay had it accepted or failed meanwhile) is left as it is.
    /// </summary>
    public Task<(EmailRecord Row, bool Recorded)> RecordUnansweredAsync(Guid emailId, Guid? orderId, string fileName, string error, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<EmailRecord>(new CommandDefinition(
                $"""
                update outbound_emails
                set send_state = 'failed', last_error = @Error, next_attempt_at = null, updated_at = now()
                where email_id = @EmailId and send_state = 'pending'
                returning {Columns}, false as IsNew
                """,
                new { EmailId = emailId, Error = error },
                transaction,
                cancellationToken: cancellationToken));
            if (row is null)
            {
                return (await ReadAsync(transaction, emailId, cancellationToken), false);
            }

            await outbox.AddAsync(transaction, new OutboundEmailFailed(emailId, orderId, fileName, error, time.GetUtcNow()), cancellationToken);
            return (row, true);
        }, cancellationToken);

    /// <summary>Publishes <c>OutboundEmailFailed</c> for a file that breaks the format (no row: it never became an email).</summary>
    public Task RecordInvalidAsync(string fileName, FileProblem problem, Guid? emailId, Guid? orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return InTransactionAsync(
            (_, transaction) => outbox.AddAsync(transaction, new OutboundEmailFailed(emailId, orderId, fileName, problem.Reason, time.GetUtcNow()), cancellationToken),
            cancellationToken);
    }

    /// <summary>The name <c>outbound_emails.provider</c> stores.</summary>
    public static string ProviderName(EmailProvider provider) => provider == EmailProvider.AgentMail ? "agentmail" : "resend";

    private static Task<EmailRecord> ReadAsync(NpgsqlTransaction transaction, Guid emailId, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleAsync<EmailRecord>(new CommandDefinition(
            $"select {Columns}, false as IsNew from outbound_emails where email_id = @emailId", new { emailId }, transaction, cancellationToken: cancellationToken));

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        T result;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
        }

        outbox.Notify();
        return result;
    }
}
