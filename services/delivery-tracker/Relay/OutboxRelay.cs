using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The mail outbox relay: file-system notifications on <c>email/</c> queue each <c>*.json</c> file within
/// milliseconds; a periodic scan (<see cref="RelayOptions.ScanInterval"/>) queues what a notification missed, what was
/// there at start and what is due again, renews this relay's lease and takes back the files of relays that died.
/// <see cref="RelayOptions.Workers"/> workers take queued files through <see cref="OutboxFileProcessor"/>. While the
/// database is away (<see cref="DatabaseOutage"/>) files are neither queued nor claimed, but for a probe now and then.
/// </summary>
public sealed partial class OutboxRelay(
    ClaimArea claims,
    OutboxFileProcessor processor,
    DatabaseOutage outage,
    RelayMetrics metrics,
    IOptions<RelayOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly RelayOptions _options = options.Value;
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _notBefore = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _scanNow = new(0, 1);
    private readonly StuckCorners _stuck = new(logger);
    private readonly UndecodableNames _undecodable = new(logger);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await OpenWhenAbleAsync(stoppingToken))
        {
            return;
        }

        using var watcher = new FileSystemWatcher(claims.Folders.Pending, "*.json")
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, e) => Enqueue(e.Name);
        watcher.Renamed += (_, e) => Enqueue(e.Name);
        watcher.Error += (_, e) =>
        {
            LogWatcherError(logger, e.GetException().Message);
            RequestScan();
        };
        watcher.EnableRaisingEvents = true;

        // A stop takes no new file, but gives the sends in flight StopGrace to be answered and recorded: cancelled, an
        // answer is lost, and the email is sent again by a relay that may build its request otherwise (RelayOptions.StopGrace).
        using var sending = new CancellationTokenSource();
        using var graceOnStop = stoppingToken.Register(() => sending.CancelAfter(_options.StopGrace));
        var workers = Enumerable.Range(0, _options.Workers).Select(_ => WorkAsync(stoppingToken, sending.Token)).ToList();
        try
        {
            await ScanLoopAsync(stoppingToken);
        }
        finally
        {
            _queue.Writer.TryComplete();
            await Task.WhenAll(workers);
            ReleaseAll();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _scanNow.Dispose();
        base.Dispose();
    }

    // The outbox's disk may be away as the relay starts (not mounted yet, full, read-only): the relay waits for it, as
    // it waits out an outage later. Thrown, the failure stopped the whole host, and Resend's webhooks and the ops routes
    // with it, for mail that can wait.
    private async Task<bool> OpenWhenAbleAsync(CancellationToken stoppingToken)
    {
        var away = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                claims.Open();
                if (away)
                {
                    LogOutboxBack(logger, claims.Folders.Root);
                }

                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (!away)
                {
                    LogOutboxAway(logger, e, claims.Folders.Root, _options.ScanInterval);
                    away = true;
                }
            }

            try
            {
                await Task.Delay(_options.ScanInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
        }

        return false;
    }

    private async Task ScanLoopAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Min(_options.ScanInterval.Ticks, _options.ClaimLease.Ticks / 3));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Scan();
            }
            catch (Exception e)
            {
                // Whatever the scan meets (the disk, a permission, a fault nobody foresaw), an exception leaving
                // ExecuteAsync would stop the whole host, and again after every restart: the next scan looks again.
                LogScanFailed(logger, e, claims.Folders.Root);
            }

            try
            {
                await _scanNow.WaitAsync(period, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Scan()
    {
        var now = claims.RenewLease();
        var failures = new List<(string Corner, Exception Error)>();
        var taken = claims.TakeBackAbandoned(now, _options.ClaimLease, (corner, e) => failures.Add((corner, e)));
        _stuck.Scanned(failures, time.GetUtcNow());
        metrics.RecordStuckClaims(_stuck.Count);
        if (taken > 0)
        {
            LogTakenBack(logger, taken);
        }

        // Taken before the listing: an entry set while it runs is for a file given back meanwhile, which it may miss.
        var held = _notBefore.ToArray();
        var unseen = held.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var pending = 0;
        var undecodable = new List<string>();
        foreach (var path in Directory.EnumerateFiles(claims.Folders.Pending, "*.json"))
        {
            pending++;
            var name = Path.GetFileName(path);
            unseen.Remove(name);
            if (UndecodableNames.Is(path))
            {
                undecodable.Add(name);
            }
            else
            {
                Enqueue(name);
            }
        }

        // Counted pending all the same: it is in email/ and never sent, which the gauge staying above 0 shows.
        _undecodable.Scanned(undecodable, claims.Folders.Pending);
        metrics.RecordPending(pending);
        ForgetGone(held, unseen);
        metrics.RecordHeldBack(_notBefore.Count);
    }

    // A file held back that is no longer in email/ was sent or failed by another relay, which this one never hears
    // of: its entry would stay until a restart, one per email retried while replicas run. Removed only unchanged, so
    // a retry time set since the snapshot (the file back in email/ after the listing passed it) stands.
    private void ForgetGone(KeyValuePair<string, DateTimeOffset>[] held, HashSet<string> unseen)
    {
        foreach (var entry in held)
        {
            if (unseen.Contains(entry.Key))
            {
                _notBefore.TryRemove(entry);
            }
        }
    }

    private void Enqueue(string? name)
    {
        if (name is null || !name.EndsWith(".json", StringComparison.Ordinal)
            || (_notBefore.TryGetValue(name, out var due) && due > time.GetUtcNow()) || outage.Holding
            || UndecodableNames.Is(Path.Combine(claims.Folders.Pending, name)))
        {
            return;
        }

        if (_queued.TryAdd(name, 0))
        {
            _queue.Writer.TryWrite(name);
        }
    }

    private void RequestScan()
    {
        if (_scanNow.CurrentCount == 0)
        {
            try
            {
                _scanNow.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another notification asked first; one scan covers both.
            }
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken, CancellationToken sendingToken)
    {
        await foreach (var name in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (stoppingToken.IsCancellationRequested)
            {
                _queued.TryRemove(name, out _);
                continue;
            }

            var admission = outage.Admit();
            if (admission == DatabaseOutage.Admission.Hold)
            {
                // Unclaimed, it stays in email/: the scan after the database is back queues it again.
                _queued.TryRemove(name, out _);
                continue;
            }

            _notBefore.TryRemove(name, out _);
            var contact = new DatabaseContact();
            try
            {
                if (await processor.ProcessAsync(name, contact, sendingToken) is { } retryAt)
                {
                    _notBefore[name] = retryAt;
                }

                Reported(admission, contact);
            }
            catch (Exception e) when (e is not OperationCanceledException || !sendingToken.IsCancellationRequested)
            {
                // The machine failed under this file (the database, a stop: see MachineFailure), or counting the file's
                // own failure did: no fault of the file, so it is given back, its attempts untouched. The database away
                // holds every file until it is back; any other failure brings this one again after a pause.
                if (!outage.Failed(e, admission, name))
                {
                    LogFileFailed(logger, e, name);
                    _notBefore[name] = time.GetUtcNow() + _options.RetryBaseDelay;
                    Reported(admission, contact);
                }

                TryRelease(name);
            }
            catch (OperationCanceledException)
            {
                TryRelease(name);
            }
            finally
            {
                _queued.TryRemove(name, out _);
            }
        }
    }

    // Only a file the database answered ends an outage: one claimed first by another relay, released unread or failed
    // before its first question said nothing of it. The database back, the files it held are queued at once, not at
    // the next scan.
    private void Reported(DatabaseOutage.Admission admission, DatabaseContact contact)
    {
        if (!contact.Answered)
        {
            outage.HandedBack(admission);
        }
        else if (outage.Answered(admission))
        {
            RequestScan();
        }
    }

    private void TryRelease(string name)
    {
        if (File.Exists(claims.Claimed(name)))
        {
            claims.Release(name);
        }
    }

    // On a graceful stop whatever this relay still holds goes back to email/ at once, not after the lease.
    private void ReleaseAll()
    {
        foreach (var path in Directory.EnumerateFiles(claims.Mine, "*.json"))
        {
            claims.Release(Path.GetFileName(path));
        }

        Directory.Delete(claims.Mine, recursive: true);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The mail outbox {Outbox} cannot be opened (its disk away, full or read-only); the relay sends nothing and tries again every {Interval}")]
    private static partial void LogOutboxAway(ILogger logger, Exception exception, string outbox, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "The mail outbox {Outbox} is open again; the relay sends")]
    private static partial void LogOutboxBack(ILogger logger, string outbox);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox notifications failed ({Error}); scanning instead")]
    private static partial void LogWatcherError(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox scan of {Outbox} failed; the next scan looks again")]
    private static partial void LogScanFailed(ILogger logger, Exception exception, string outbox);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took back {Count} outbox file(s) claimed by a relay whose lease expired")]
    private static partial void LogTakenBack(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox file {FileName} could not be handled for a failure of the machine; it is given back and retried")]
    private static partial void LogFileFailed(ILogger logger, Exception exception, string fileName);
}
