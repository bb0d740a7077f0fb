using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Outbox;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The relay's database away (<see cref="TransientDatabaseFailure"/>: connections refused or dropped, a server starting
/// or restarting, no pooled connection free in time). Every file needs its row, so while it is away the relay claims
/// no file but one now and then, a probe, its waits doubling from <see cref="RelayOptions.RetryBaseDelay"/> up to
/// <see cref="LongestProbeWait"/>; the first probe the database answers ends the outage, and the relay takes every file
/// again. A probe whose file never asked the database (<see cref="DatabaseContact"/>) is handed back: the next file is
/// the probe, as due as this one was. Logged once as it begins (Warning) and once as it ends (Information), and shown by
/// <see cref="RelayMetrics.DatabaseAway"/>. Each file tried on its own every <c>RetryBaseDelay</c>, a backlog of a
/// thousand files was claimed, read, failed, logged at Error with its stack trace and given back every two seconds for
/// the whole outage, each one more connection attempt against a server coming back.
/// </summary>
public sealed partial class DatabaseOutage
{
    /// <summary>The longest wait between two probes: a database back is noticed within it.</summary>
    public static readonly TimeSpan LongestProbeWait = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly OutboxBackoff _backoff;
    private readonly RelayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<DatabaseOutage> _logger;
    private readonly string _database;
    private DateTimeOffset? _since;
    private DateTimeOffset _probeAt;
    private bool _probing;

    /// <summary>Creates the relay's outage state, none to begin with.</summary>
    public DatabaseOutage(NpgsqlDataSource dataSource, RelayMetrics metrics, IOptions<RelayOptions> options, TimeProvider time, ILogger<DatabaseOutage> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        var connection = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        _database = $"{connection.Database} on {connection.Host}:{connection.Port}";
        var first = options.Value.RetryBaseDelay;
        _backoff = new OutboxBackoff(first, first > LongestProbeWait ? first : LongestProbeWait);
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>What a worker may do with the file it dequeued.</summary>
    public enum Admission
    {
        /// <summary>The database is not known to be away: handle the file.</summary>
        Open,

        /// <summary>The database is away and a probe is due: handle the file, which tells whether it is back.</summary>
        Probe,

        /// <summary>The database is away: leave the file in <c>email/</c> unclaimed; it is queued again once the database is back.</summary>
        Hold,
    }

    /// <summary>True while the database is away and no probe is due: nothing is worth queueing.</summary>
    public bool Holding
    {
        get
        {
            lock (_lock)
            {
                return _since is not null && (_probing || _time.GetUtcNow() < _probeAt);
            }
        }
    }

    /// <summary>Whether the file a worker dequeued may be handled now; a <see cref="Admission.Probe"/> must be reported by <see cref="Failed"/>, <see cref="Answered"/> or <see cref="HandedBack"/>.</summary>
    public Admission Admit()
    {
        lock (_lock)
        {
            if (_since is null)
            {
                return Admission.Open;
            }

            if (_probing || _time.GetUtcNow() < _probeAt)
            {
                return Admission.Hold;
            }

            _probing = true;
            return Admission.Probe;
        }
    }

    /// <summary>
    /// Takes in the failure of the file <paramref name="fileName"/>, handled under <paramref name="admission"/>: true
    /// when it is the database away, which begins an outage (logged once) or, after a probe, waits longer for the next
    /// one; the file is then no fault of its own and owes no retry time of its own. False for any other failure, reported
    /// as <see cref="Answered"/> or <see cref="HandedBack"/> as the database answered the file or not.
    /// </summary>
    public bool Failed(Exception failure, Admission admission, string fileName)
    {
        if (!TransientDatabaseFailure.Is(failure))
        {
            return false;
        }

        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_since is null)
            {
                _since = now;
                var wait = _backoff.Next();
                _probeAt = now + wait;
                _metrics.RecordDatabaseAway(true);
                LogAway(_logger, failure, _database, wait, LongestProbeWait);
            }
            else if (admission == Admission.Probe)
            {
                _probing = false;
                var wait = _backoff.Next();
                _probeAt = now + wait;
                LogStillAway(_logger, _database, _since.Value, wait, failure.Message);
            }
            else
            {
                LogGivenBack(_logger, fileName);
            }
        }

        return true;
    }

    /// <summary>Takes in a file handled under <paramref name="admission"/> with the database answering: true when it was a probe, which ends the outage.</summary>
    public bool Answered(Admission admission)
    {
        if (admission != Admission.Probe)
        {
            return false;
        }

        lock (_lock)
        {
            var away = _time.GetUtcNow() - (_since ?? _time.GetUtcNow());
            _since = null;
            _probing = false;
            _backoff.Reset();
            _metrics.RecordDatabaseAway(false);
            LogBack(_logger, _database, away);
        }

        return true;
    }

    /// <summary>
    /// Takes in a file handled under <paramref name="admission"/> that never asked the database: a probe tells nothing,
    /// so the next file dequeued is the probe, the wait and the next one's length as they were.
    /// </summary>
    public void HandedBack(Admission admission)
    {
        if (admission != Admission.Probe)
        {
            return;
        }

        lock (_lock)
        {
            _probing = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The relay's database ({Database}) does not answer: the relay claims no outbox file while it is away, but one as a probe after {Wait}, then waiting twice as long each time up to {LongestWait}; the files wait in email/, no attempt counted (ordersmail.relay.database_away)")]
    private static partial void LogAway(ILogger logger, Exception exception, string database, TimeSpan wait, TimeSpan longestWait);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The relay's database ({Database}) is still away, as since {Since}: the next probe in {Wait} ({Error})")]
    private static partial void LogStillAway(ILogger logger, string database, DateTimeOffset since, TimeSpan wait, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox file {FileName} was given back: the relay's database is away")]
    private static partial void LogGivenBack(ILogger logger, string fileName);

    [LoggerMessage(Level = LogLevel.Information, Message = "The relay's database ({Database}) answers again after {Duration} away: the relay takes outbox files again")]
    private static partial void LogBack(ILogger logger, string database, TimeSpan duration);
}
