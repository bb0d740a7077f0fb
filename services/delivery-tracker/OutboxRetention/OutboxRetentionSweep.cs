using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.OutboxRetention;

/// <summary>
/// Removes the mail outbox's files that have done their job, last written longer than
/// <see cref="OutboxRetentionOptions.KeepFor"/> ago: in <c>sent/</c>, those whose email's row is recorded and no longer
/// pending (an email with no such row keeps its file); in <c>failed/</c>, those sent again whose copy was picked up that
/// long ago and is no longer pending, with their reason files (a failed email nobody sent again is ops' worklist, and
/// stays); in <c>.staging/</c>, what a writer that died before its rename left, which no one reads. At most
/// <see cref="OutboxRetentionOptions.BatchSize"/> files of each folder a sweep. Runs in every replica: a file another
/// replica removed first is passed over.
/// </summary>
public sealed partial class OutboxRetentionSweep(
    SettledEmails settled,
    IOptions<OutboxRetentionOptions> options,
    IOptions<MailOutboxOptions> outbox,
    IOptions<RelayOptions> relay,
    ServiceTelemetry telemetry,
    TimeProvider time,
    ILogger<OutboxRetentionSweep> logger) : PeriodicSweep<OutboxSwept>(time)
{
    /// <summary>Files the sweep removed, by <c>folder</c> (<c>sent</c>, <c>failed</c>, <c>staging</c>).</summary>
    public const string RemovedMetric = "ordersmail.relay.removed";

    // Files whose rows one query looks up.
    private const int LookupSize = 500;

    private readonly MailOutboxFolders _folders = new(outbox.Value.Directory);
    private readonly int _maxBodyBytes = relay.Value.MaxBodyBytes;
    private readonly Counter<long> _removed = telemetry.Meter.CreateCounter<long>(RemovedMetric, "{file}", "Mail outbox files removed past their keep period.");

    /// <summary>Removes what is past its keep period now; returns how many files went from each folder.</summary>
    protected override async Task<OutboxSwept> SweepAsync(CancellationToken cancellationToken)
    {
        var keep = options.Value;
        var before = Time.GetUtcNow() - keep.KeepFor;
        var swept = new OutboxSwept(
            await SweepSentAsync(before, keep.BatchSize, cancellationToken),
            await SweepFailedAsync(before, keep.BatchSize, cancellationToken),
            SweepStaging(before, keep.BatchSize));
        Count("sent", swept.Sent);
        Count("failed", swept.Failed);
        Count("staging", swept.Staged);
        if (swept.Sent + swept.Failed + swept.Staged > 0)
        {
            LogSwept(logger, swept.Sent, swept.Failed, swept.Staged, before);
        }

        return swept;
    }

    /// <inheritdoc />
    protected override TimeSpan Every => options.Value.Every;

    /// <inheritdoc />
    protected override void SweepFailed(Exception exception) => LogSweepFailed(logger, exception);

    private async Task<int> SweepSentAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var names in OlderThan(_folders.Sent, before).Chunk(LookupSize))
        {
            var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                // A file the format refuses now may have been sent under an older version's rules: its id is what counts.
                switch (await ParseAsync(_folders.Sent, name, cancellationToken))
                {
                    case ParsedFile.Valid valid:
                        ids[name] = valid.EmailId;
                        break;
                    case ParsedFile.Invalid { EmailId: { } emailId }:
                        ids[name] = emailId;
                        break;
                }
            }

            var done = await settled.SettledAsync([.. ids.Values.Distinct()], cancellationToken);
            foreach (var (name, _) in ids.Where(f => done.Contains(f.Value)))
            {
                if (removed == batchSize)
                {
                    return removed;
                }

                removed += TryDelete(Path.Combine(_folders.Sent, name)) ? 1 : 0;
            }
        }

        return removed;
    }

    // A failed file is read as send-again reads it (FailedEmails), so the copy looked for is the one it writes.
    private async Task<int> SweepFailedAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        var removed = 0;
        var failedFiles = OlderThan(_folders.Failed, before).Where(name => !name.EndsWith(FailureNote.NameFor(""), StringComparison.Ordinal));
        foreach (var names in failedFiles.Chunk(LookupSize))
        {
            var copies = new Dictionary<string, Guid>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (await ParseAsync(_folders.Failed, name, cancellationToken) is ParsedFile.Valid valid)
                {
                    copies[name] = EmailIdentity.SendAgainOf(valid.EmailId);
                }
            }

            var done = await settled.SettledCopiesAsync([.. copies.Values], before, cancellationToken);
            foreach (var (name, _) in copies.Where(f => done.Contains(f.Value)))
            {
                if (removed == batchSize)
                {
                    return removed;
                }

                // The reason file first: a kill between the two leaves a failed file without its reason, which the next
                // sweep removes, where the other order would leave a reason file nothing lists or sweeps.
                var path = Path.Combine(_folders.Failed, name);
                if (TryDelete(Path.Combine(_folders.Failed, FailureNote.NameFor(name))) && TryDelete(path))
                {
                    removed++;
                }
            }
        }

        return removed;
    }

    // A staged file is one write of a few milliseconds, renamed into email/ right after: one older than the keep period
    // belongs to a writer that died, which writes it again under the same name if it ever does.
    private int SweepStaging(DateTimeOffset before, int batchSize) =>
        OlderThan(_folders.Staging, before, "*").Take(batchSize).Count(name => TryDelete(Path.Combine(_folders.Staging, name)));

    // By the time each file was last written (a move keeps it): its writer's, or ops' who corrected it in place.
    private static IEnumerable<string> OlderThan(string folder, DateTimeOffset before, string pattern = "*.json") =>
        Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFiles(pattern).Where(f => f.LastWriteTimeUtc < before.UtcDateTime).Select(f => f.Name)
            : [];

    // Null when the file is gone (another replica's sweep) or too large to hold an email.
    private async Task<ParsedFile?> ParseAsync(string folder, string name, CancellationToken cancellationToken)
    {
        try
        {
            var (content, _) = await OutboxFileSize.ReadAsync(Path.Combine(folder, name), _maxBodyBytes, cancellationToken);
            return content is null ? null : OutboxFileParser.Parse(name, content, _maxBodyBytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    // A file another replica removed first is no error (File.Delete passes over a missing file); one that cannot be
    // removed (a permission) is logged and kept, and the sweep goes on with the rest.
    private bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogNotRemoved(logger, e, path);
            return false;
        }
    }

    private void Count(string folder, int files)
    {
        if (files > 0)
        {
            _removed.Add(files, new KeyValuePair<string, object?>("folder", folder));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox retention: removed {Sent} file(s) of sent/, {Failed} of failed/ (sent again) and {Staged} of .staging/ last written before {Before}")]
    private static partial void LogSwept(ILogger logger, int sent, int failed, int staged, DateTimeOffset before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox retention: {Path} could not be removed; it is tried again at the next sweep")]
    private static partial void LogNotRemoved(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox retention: the sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
