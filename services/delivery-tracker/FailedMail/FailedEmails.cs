using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.FailedMail;

/// <summary>
/// Sends a failed email again once ops fixed its cause: a provider's key or sending domain, an outage that outlasted
/// the relay's attempts, a file corrected in place in <c>failed/</c>. The failed file stays where it is, the record
/// of what failed; a copy goes into <c>email/</c> as a new email whose id derives from the failed one's
/// (<see cref="EmailIdentity.SendAgainOf"/>), with <c>sent_again_of</c> naming it. A new email, not the same one
/// again: a failed email is final everywhere (its row, its <c>OutboundEmailFailed</c>, the order's view of it), and
/// its <c>Idempotency-Key</c> may be spent on the refusal. The copy's id being fixed, asking twice never sends twice:
/// the second ask finds the copy, and a second file of it would meet the copy's row and be sent nowhere.
/// </summary>
public sealed partial class FailedEmails(
    MailOutboxWriter writer, NpgsqlDataSource dataSource, IOptions<MailOutboxOptions> outbox, IOptions<RelayOptions> relay, ILogger<FailedEmails> logger)
{
    private readonly MailOutboxFolders _folders = new(outbox.Value.Directory);
    private readonly int _maxBodyBytes = relay.Value.MaxBodyBytes;

    /// <summary>
    /// A page of at most <paramref name="limit"/> files in <c>failed/</c>, newest first by their names (which start with
    /// the time they were written; no two are alike, so the order is total), each with what its reason file says: those
    /// after the name <paramref name="after"/> when given (the last of the page before, there still or not). Null when
    /// <paramref name="after"/> is not a name a failed file can have.
    /// </summary>
    public async Task<FailedFilesPage?> ListAsync(int limit, string? after, CancellationToken cancellationToken)
    {
        if (after is not null && !IsFailedFileName(after))
        {
            return null;
        }

        if (!Directory.Exists(_folders.Failed))
        {
            return new FailedFilesPage([], null);
        }

        // One name past the page tells whether another page follows; only the page's reason files are read.
        var names = Directory.EnumerateFiles(_folders.Failed, "*.json")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => IsFailedFileName(name) && (after is null || string.CompareOrdinal(name, after) < 0))
            .OrderDescending(StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        var views = new List<FailedFileView>(Math.Min(names.Count, limit));
        foreach (var name in names.Take(limit))
        {
            var note = await ReadNoteAsync(name, cancellationToken);
            views.Add(new FailedFileView(name, note?.FailedAt, note?.Field, note?.Rule, note?.Reason, note?.EmailId, note?.OrderId));
        }

        return new FailedFilesPage(views, names.Count > limit ? views[^1].File : null);
    }

    /// <summary>Sends the email in <c>failed/</c><paramref name="fileName"/> again, if it can and should be.</summary>
    public async Task<SendAgainOutcome> SendAgainAsync(string fileName, CancellationToken cancellationToken)
    {
        if (!IsFailedFileName(fileName))
        {
            return new SendAgainOutcome.NotAFileName();
        }

        var (found, content, length) = await ReadAsync(Path.Combine(_folders.Failed, fileName), cancellationToken);
        if (!found)
        {
            return new SendAgainOutcome.NotFound();
        }

        // A failed file is read whole to be copied; one longer than the relay would read would fail again anyway.
        if (content is null)
        {
            return new SendAgainOutcome.StillInvalid(OutboxFileSize.TooLarge(length, _maxBodyBytes));
        }

        Guid emailId;
        switch (OutboxFileParser.Parse(fileName, content, _maxBodyBytes))
        {
            case ParsedFile.Valid valid:
                emailId = valid.EmailId;
                break;
            case ParsedFile.Invalid invalid:
                return new SendAgainOutcome.StillInvalid(invalid.Problem);
            case ParsedFile.NotJson notJson:
                return new SendAgainOutcome.StillInvalid(notJson.Problem);
            default:
                throw new InvalidOperationException("Unknown parse result.");
        }

        var copyId = EmailIdentity.SendAgainOf(emailId);
        if (await RefusalAsync(emailId, copyId, cancellationToken) is { } conflict)
        {
            return new SendAgainOutcome.Refused(conflict);
        }

        var copy = JsonNode.Parse(content)!.AsObject();
        copy["email_id"] = copyId.ToString();
        copy["sent_again_of"] = emailId.ToString();
        var name = await writer.WriteAsync(copy, copyId, cancellationToken);
        LogSentAgain(logger, fileName, emailId, name, copyId);
        return new SendAgainOutcome.Written(new SentAgain(copyId, emailId, name));
    }

    // The email must have failed (an invalid file has no row: it never became an email), and have no copy yet. A copy
    // moves one way: written into email/, claimed by a relay into processing/<relay>/, recorded (its row: a new Resend
    // email's commits with its batch's membership, so well after the claim), then on to sent/ or failed/; the relay
    // commits an email's row before it moves its file out of processing/ (OutboxFileProcessor; only a file that never
    // became an email leaves for failed/ without one). Looked for in that order, a copy that moves on between two looks
    // is seen at the later one; the row, the furthest stage, is the one told.
    // Only a copy given back to email/ unrecorded (a stop, the database away, a dead relay's corner taken back) moves
    // the other way, and one written again then meets the first's row and is sent nowhere.
    private async Task<SendAgainConflict?> RefusalAsync(Guid emailId, Guid copyId, CancellationToken cancellationToken)
    {
        var pattern = $"*-{copyId:N}.json";
        var waiting = FirstIn(_folders.Pending, pattern);
        var claimed = waiting is null ? FirstInACorner(pattern) : null;
        var rows = await RowsAsync(emailId, copyId, cancellationToken);
        if (rows.Find(r => r.EmailId == emailId) is { SendState: not "failed" } original)
        {
            return new SendAgainConflict(emailId, $"The email did not fail: it is {original.SendState} (file {original.FileName}); nothing to send again.");
        }

        if (rows.Find(r => r.EmailId == copyId) is { } recorded)
        {
            return new SendAgainConflict(emailId, "The email was sent again already.", copyId, recorded.SendState, recorded.FileName);
        }

        if (waiting is not null)
        {
            return new SendAgainConflict(emailId, "The email was sent again already; its copy waits in email/.", copyId, "written", waiting);
        }

        return claimed is null ? null : new SendAgainConflict(emailId, "The email was sent again already; a relay is taking its copy.", copyId, "processing", claimed);
    }

    // The copy in a relay's corner of processing/, claimed and perhaps not recorded yet.
    private string? FirstInACorner(string pattern)
    {
        if (!Directory.Exists(_folders.Processing))
        {
            return null;
        }

        foreach (var corner in Directory.EnumerateDirectories(_folders.Processing))
        {
            try
            {
                if (FirstIn(corner, pattern) is { } claimed)
                {
                    return claimed;
                }
            }
            catch (Exception e) when (e is DirectoryNotFoundException or UnauthorizedAccessException)
            {
                // Removed while walked (its relay stopped, or a dead one's was taken back: its files went back to
                // email/), or unreadable (left by a relay that ran as another user, a stuck claim the relay reports):
                // passed over, not answered with a 500 for every send-again until ops clear it.
            }
        }

        return null;
    }

    private static string? FirstIn(string folder, string pattern) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, pattern).Select(Path.GetFileName).FirstOrDefault() : null;

    // A connection of its own, opened once the folders are walked, which takes as long as the backlog is large.
    private async Task<List<EmailRow>> RowsAsync(Guid emailId, Guid copyId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<EmailRow>(new CommandDefinition(
            "select email_id as EmailId, send_state as SendState, file_name as FileName from outbound_emails where email_id = any(@Ids)",
            new { Ids = new[] { emailId, copyId } },
            cancellationToken: cancellationToken))).ToList();
    }

    // Content null: too large to copy.
    private async Task<(bool Found, byte[]? Content, long Length)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var (content, length) = await OutboxFileSize.ReadAsync(path, _maxBodyBytes, cancellationToken);
            return (true, content, length);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return (false, null, 0);
        }
    }

    // Null when the reason file is gone or is not one the relay wrote (a person may have edited it).
    private async Task<FailureNote?> ReadNoteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = File.OpenRead(Path.Combine(_folders.Failed, FailureNote.NameFor(name)));
            return await JsonSerializer.DeserializeAsync<FailureNote>(file, FailureNote.Json, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    // A file the relay moved to failed/: a plain name ending in .json, not a reason file beside one, short enough for one.
    private static bool IsFailedFileName(string name) =>
        name.Length > 5
        && FailureNote.Fits(name)
        && name.EndsWith(".json", StringComparison.Ordinal)
        && !name.EndsWith(".error.json", StringComparison.Ordinal)
        && name.IndexOfAny(['/', '\\', '\0']) < 0
        && !name.StartsWith('.');

    private sealed record EmailRow(Guid EmailId, string SendState, string FileName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Failed outbox file {FileName} (email {EmailId}) sent again as {CopyFile} (email {CopyId})")]
    private static partial void LogSentAgain(ILogger logger, string fileName, Guid emailId, string copyFile, Guid copyId);
}
