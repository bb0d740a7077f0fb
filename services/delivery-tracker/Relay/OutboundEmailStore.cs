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
    /// <summary>
    /// What a deferral (parameters <c>KeyUnused</c>, <c>OnlySendSince</c>) makes of <c>unsent</c>: see
    /// <see cref="RecordDeferredAsync"/>. The window's start compared is what this send knew it to be, so a start another
    /// relay's send moved meanwhile keeps that send's window.
    /// </summary>
    internal const string UnsentWhenHeld =
        "unsent = unsent or @KeyUnused or (@OnlySendSince::timestamptz is not null and coalesce(window_from, queued_at) = @OnlySendSince::timestamptz)";

    /// <summary>
    /// Whether a transient failure (parameters <c>MaxAttempts</c>, <c>Outage</c>, <c>OutagePatience</c>) fails the email:
    /// at its last attempt, unless the provider was unavailable and the email is younger than the patience, its age
    /// running from where its idempotency window does (<see cref="UnansweredSend.Since"/>). The attempt counts either
    /// way: the row's attempts are the sends made.
    /// </summary>
    internal const string GivesUp =
        "attempts + 1 >= @MaxAttempts and not (@Outage and coalesce(window_from, queued_at) > now() - @OutagePatience)";

    /// <summary>What a send of an unsent email records before it goes: see <see cref="RecordSendingAsync"/>.</summary>
    internal const string Sending = "unsent = false, window_from = now(), updated_at = now()";

    /// <summary>The columns of an <see cref="EmailRecord"/>.</summary>
    internal const string Columns =
        "email_id as EmailId, file_name as FileName, send_state as SendState, attempts as Attempts, next_attempt_at as NextAttemptAt, last_error as LastError, batch_id as BatchId, queued_at as QueuedAt, window_from as WindowFrom, unsent as Unsent";

    /// <summary>
    /// Records a transient failure: the email stays pending until <paramref name="nextAttemptAt"/>, unless this was
    /// attempt <paramref name="maxAttempts"/>, in which case it fails (with <c>OutboundEmailFailed</c>), or, when the
    /// provider was unavailable (<paramref name="outagePatience"/> set), once the email is older than that too (see
    /// <see cref="GivesUp"/>). Returns the row, and whether this recorded it: an email no longer pending (another file or
    /// relay had it accepted or failed meanwhile) is left as it is, so a late answer never moves a sent email back.
    /// </summary>
    public Task<(EmailRecord Row, bool Recorded)> RecordTransientAsync(
        Guid emailId, Guid? orderId, string fileName, string error, DateTimeOffset nextAttemptAt, int maxAttempts, TimeSpan? outagePatience, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<EmailRecord>(new CommandDefinition(
                $"""
                update outbound_emails
                set attempts = attempts + 1, last_error = @Error, updated_at = now(),
                    send_state = case when {GivesUp} then 'failed' else 'pending' end,
                    next_attempt_at = case when {GivesUp} then null else @NextAttemptAt end
                where email_id = @EmailId and send_state = 'pending'
                returning {Columns}, false as IsNew
                """,
                new
                {
                    EmailId = emailId,
                    Error = error,
                    NextAttemptAt = nextAttemptAt.UtcDateTime,
                    MaxAttempts = maxAttempts,
                    Outage = outagePatience is not null,
                    OutagePatience = outagePatience ?? TimeSpan.Zero,
                },
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
    /// Records a send put off with nothing sent (<paramref name="deferred"/>: Resend's quota used up, a pause for the
    /// account): the email stays pending until its retry time with its attempts as they were, its error the last. It
    /// becomes <see cref="EmailRecord.Unsent"/>, never failed as unanswered, when the provider answered that its key was
    /// not used, or when this send was its only one since <paramref name="onlySendSince"/> and that is still its window's
    /// start (a send held back here, or refused for the account, says nothing of the sends before it). Returns the row,
    /// and whether this recorded it, as <see cref="RecordTransientAsync"/> does.
    /// </summary>
    public Task<(EmailRecord Row, bool Recorded)> RecordDeferredAsync(Guid emailId, SendOutcome.Deferred deferred, DateTime? onlySendSince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        return InTransactionAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<EmailRecord>(new CommandDefinition(
                $"""
                update outbound_emails
                set last_error = @Error, next_attempt_at = @RetryAt, updated_at = now(), {UnsentWhenHeld}
                where email_id = @EmailId and send_state = 'pending'
                returning {Columns}, false as IsNew
                """,
                new { EmailId = emailId, deferred.Error, RetryAt = deferred.RetryAt.UtcDateTime, deferred.KeyUnused, OnlySendSince = onlySendSince },
                transaction,
                cancellationToken: cancellationToken));
            return row is null ? (await ReadAsync(transaction, emailId, cancellationToken), false) : (row, true);
        }, cancellationToken);
    }

    /// <summary>
    /// Before a send of an <see cref="EmailRecord.Unsent"/> email: from now on a send of it may be accepted, so its window
    /// starts now, written before the send as its pick-up is before its first. Returns that start, or null when the email
    /// was no longer unsent (another relay's send of it began first).
    /// </summary>
    public async Task<DateTime?> RecordSendingAsync(Guid emailId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
            $"update outbound_emails set {Sending} where email_id = @emailId and send_state = 'pending' and unsent returning window_from",
            new { emailId },
            cancellationToken: cancellationToken));
    }

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
