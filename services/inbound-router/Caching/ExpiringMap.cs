using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace OrdersMail.InboundRouter.Caching;

/// <summary>
/// What the router remembers of an inbox for a while (its webhook's secret, that AgentMail does not know it, when its
/// secret was last read again, its order reference), each entry good until a moment of its own. An entry past its moment is of no use, so
/// the map sweeps them out as it grows: whenever it holds twice as many entries as the last sweep left (and at least
/// <c>sweepAtLeast</c>). What it holds then follows the inboxes seen within those moments, not every inbox the process
/// has ever verified an event for, and a write costs a sweep's share of constant time.
/// </summary>
/// <param name="clock">What "now" is.</param>
/// <param name="sweepAtLeast">The fewest entries at which a write sweeps.</param>
public sealed class ExpiringMap<TValue>(TimeProvider clock, int sweepAtLeast)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _sweepAtLeast = sweepAtLeast;
    private int _sweepAt = sweepAtLeast;

    /// <summary>How many entries are held, those past their moment but not swept yet included.</summary>
    public int Count => _entries.Count;

    /// <summary>The value for <paramref name="key"/> while it is still good.</summary>
    public bool TryGetLive(string key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Until > clock.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The value for <paramref name="key"/>, good or past its moment, as long as it is held.</summary>
    public bool TryGetAny(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var found = _entries.TryGetValue(key, out var entry);
        value = found ? entry!.Value : default;
        return found;
    }

    /// <summary>Holds <paramref name="value"/> for <paramref name="key"/> until <paramref name="until"/>, in place of what was there.</summary>
    public void Set(string key, TValue value, DateTimeOffset until)
    {
        _entries[key] = new Entry(value, until);
        if (_entries.Count >= Volatile.Read(ref _sweepAt))
        {
            Sweep();
        }
    }

    /// <summary>Forgets <paramref name="key"/>.</summary>
    public void Remove(string key) => _entries.TryRemove(key, out _);

    // Two writers sweeping at once is harmless: an entry is removed only if it is still the one found past its moment.
    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var pair in _entries)
        {
            if (pair.Value.Until <= now)
            {
                _entries.TryRemove(pair);
            }
        }

        Volatile.Write(ref _sweepAt, Math.Max(_sweepAtLeast, 2 * _entries.Count));
    }

    private sealed record Entry(TValue Value, DateTimeOffset Until);
}
