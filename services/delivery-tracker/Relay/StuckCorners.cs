namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The dead relays' corners the relay's scans could not take back (<see cref="ClaimArea.TakeBackAbandoned"/>), told to
/// ops once each, not at every scan (every 2 s, a log flooded with one line that hid everything else): at the first
/// failure, again when the error changes or after <see cref="RemindEvery"/>, and when the corner no longer fails.
/// Only the scan loop uses it, one scan at a time.
/// </summary>
public sealed partial class StuckCorners(ILogger logger)
{
    /// <summary>
    /// How often a corner that goes on failing the same way is told again: six lines an hour where every scan made 1,800,
    /// and one still within the last few minutes of log that whoever looks at the relay reads.
    /// </summary>
    public static readonly TimeSpan RemindEvery = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, Stuck> _stuck = new(StringComparer.Ordinal);

    /// <summary>How many corners the last scan could not take back.</summary>
    public int Count => _stuck.Count;

    /// <summary>Takes in a scan's <paramref name="failures"/> (corner and why), telling what is new since the last scan.</summary>
    public void Scanned(IReadOnlyList<(string Corner, Exception Error)> failures, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(failures);
        foreach (var (corner, error) in failures)
        {
            var cause = $"{error.GetType()}: {error.Message}";
            var known = _stuck.GetValueOrDefault(corner);
            if (known is null || known.Cause != cause || now - known.ToldAt >= RemindEvery)
            {
                known = new Stuck(known?.Since ?? now, cause, now);
                _stuck[corner] = known;
                LogCannotTakeBack(logger, error, corner, known.Since, RemindEvery);
            }
        }

        var failing = failures.Select(f => f.Corner).ToHashSet(StringComparer.Ordinal);
        foreach (var (corner, known) in _stuck.Where(s => !failing.Contains(s.Key)).ToList())
        {
            _stuck.Remove(corner);
            if (Directory.Exists(corner))
            {
                LogNoLongerFails(logger, corner, known.Since);
            }
            else
            {
                LogTakenBack(logger, corner, known.Since);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Claim folder {Folder} of a relay that died could not be taken back (failing since {Since}); what it still holds stays there and is tried again at each scan; told again when the error changes, or after {RemindEvery}")]
    private static partial void LogCannotTakeBack(ILogger logger, Exception exception, string folder, DateTimeOffset since, TimeSpan remindEvery);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claim folder {Folder}, which could not be taken back since {Since}, was taken back")]
    private static partial void LogTakenBack(ILogger logger, string folder, DateTimeOffset since);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claim folder {Folder}, which could not be taken back since {Since}, no longer fails: its relay renewed its lease, or what it held went back and something else stays in it")]
    private static partial void LogNoLongerFails(ILogger logger, string folder, DateTimeOffset since);

    private sealed record Stuck(DateTimeOffset Since, string Cause, DateTimeOffset ToldAt);
}
