using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.FailedMail;

/// <summary>
/// Moves the files of emails the provider reported failed after accepting them, or soft-bounced (a full mailbox:
/// <c>failed_file_due</c>, set by <see cref="Delivery.DeliveryStateStore"/>) from <c>sent/</c> to <c>failed/</c> with their reason file, where
/// <c>GET /outbox/failed</c> lists them and send-again takes them, then clears the mark and counts each in
/// <c>ordersmail.relay.failed</c> (reason <c>provider_failed</c>). A pass every relay scan interval, outside any
/// transaction: a process that dies between the failure's commit and the move, or between the move and the clear, leaves
/// the mark, and the next pass (of any replica) finds the file in <c>sent/</c> or already in <c>failed/</c>. The mark is
/// cleared only once the move is on disk (<see cref="FailedFolder"/>), so a power cut never leaves the file back in
/// <c>sent/</c> unmarked. The clear counts: of two replicas clearing one email, one counts it.
/// </summary>
public sealed partial class ProviderFailedFiles(
    NpgsqlDataSource dataSource,
    RelayMetrics metrics,
    IOptions<MailOutboxOptions> outbox,
    IOptions<RelayOptions> relay,
    FailedFolder failedFolder,
    TimeProvider time,
    ILogger<ProviderFailedFiles> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private readonly MailOutboxFolders _folders = new(outbox.Value.Directory);

    /// <summary>Moves the files of one batch of marked emails; returns how many were marked.</summary>
    public async Task<int> MoveDueAsync(CancellationToken cancellationToken)
    {
        List<DueFile> due;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            due = [.. await connection.QueryAsync<DueFile>(new CommandDefinition(
                """
                select email_id as EmailId, order_id as OrderId, file_name as FileName, last_error as LastError
                from outbound_emails where failed_file_due is not null
                order by failed_file_due limit @BatchSize
                """,
                new { BatchSize },
                cancellationToken: cancellationToken))];
        }

        var done = due.Where(Moved).Select(d => d.EmailId).ToArray();
        if (done.Length > 0)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var cleared = await connection.QueryAsync<(string Provider, string? Kind, string FileName)>(new CommandDefinition(
                """
                update outbound_emails set failed_file_due = null, updated_at = now()
                where email_id = any(@Ids) and failed_file_due is not null
                returning provider, kind, file_name
                """,
                new { Ids = done },
                cancellationToken: cancellationToken));
            foreach (var (provider, kind, fileName) in cleared)
            {
                metrics.RecordFailed(provider, kind, RelayMetrics.ProviderFailed);
                LogMoved(logger, fileName);
            }
        }

        return due.Count;
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PollingLoop.RunAsync(
            async cancellationToken => await MoveDueAsync(cancellationToken) == BatchSize,
            () => relay.Value.ScanInterval,
            e => LogFailed(logger, e),
            stoppingToken);

    // Looked for in the order a file moves (email/, processing/, sent/, failed/), so one moving on between two looks is
    // seen at the later one. One still with a relay stays marked: the relay moves it to failed/ itself, as its row now
    // says (OutboxFileProcessor.Settled), or to sent/ if it was accepting it just now, and the next pass moves it from there.
    private bool Moved(DueFile email)
    {
        if (File.Exists(Path.Combine(_folders.Pending, email.FileName)) || IsClaimed(email.FileName))
        {
            return false;
        }

        var failedName = FailureNote.FailedNameFor(email.FileName);
        var failed = Path.Combine(_folders.Failed, failedName);
        var sent = Path.Combine(_folders.Sent, email.FileName);
        if (File.Exists(sent))
        {
            // The reason file first, as the relay writes it (ClaimArea.MoveToFailed): a file is never in failed/ without
            // one. Both renames on disk before the mark is cleared: undone by a power cut after it, the file would sit
            // in sent/ unmarked, where the retention sweep deletes the only copy.
            var note = new FailureNote(email.FileName, time.GetUtcNow(), "(provider)", "the provider must deliver the email", email.LastError ?? "failed", email.EmailId, email.OrderId);
            try
            {
                failedFolder.MoveIn(sent, failedName, note);
            }
            catch (FileNotFoundException)
            {
                // Another replica's pass moved it first, and may not have flushed the move yet.
                failedFolder.Flush(_folders.Sent);
            }
        }
        else if (File.Exists(failed))
        {
            // Moved by a pass that died before clearing the mark, perhaps before flushing the move.
            failedFolder.Flush(_folders.Sent);
        }
        else
        {
            // Gone from the outbox (removed by hand): nothing to list, and nothing a later pass could find.
            LogGone(logger, email.FileName, email.EmailId);
        }

        return true;
    }

    private bool IsClaimed(string fileName) =>
        Directory.Exists(_folders.Processing)
        && Directory.EnumerateDirectories(_folders.Processing).Any(corner => File.Exists(Path.Combine(corner, fileName)));

    private sealed record DueFile(Guid EmailId, Guid? OrderId, string FileName, string? LastError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox file {FileName}: its email was accepted, then reported failed or soft-bounced by the provider; it is in failed/, to be sent again once its cause is fixed")]
    private static partial void LogMoved(ILogger logger, string fileName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox file {FileName} of email {EmailId}, reported failed by the provider, is in neither sent/ nor failed/: it cannot be listed or sent again")]
    private static partial void LogGone(ILogger logger, string fileName, Guid emailId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moving the files of emails the provider reported failed to failed/ failed; trying again after the scan interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
