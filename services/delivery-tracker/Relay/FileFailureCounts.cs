using System.Collections.Concurrent;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// The failures of files whose email has no row to count them in (a file that cannot be read, or whose pick-up itself
/// fails), counted in memory by file name. A restart begins the counts again: each life of the relay gives such a file
/// at most <see cref="RelayOptions.MaxAttempts"/> attempts.
/// </summary>
public sealed class FileFailureCounts
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Counts one more failure of <paramref name="name"/>; returns how many there have been.</summary>
    public int Add(string name) => _counts.AddOrUpdate(name, 1, (_, count) => count + 1);

    /// <summary>Forgets the failures of <paramref name="name"/>: it was handled, or failed for good.</summary>
    public void Forget(string name) => _counts.TryRemove(name, out _);
}
