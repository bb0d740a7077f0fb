using OrdersMail.InboundRouter.Caching;
using OrdersMail.Testing;

namespace OrdersMail.InboundRouter.Tests.Caching;

/// <summary>
/// What the ingress remembers of inboxes is held for the inboxes seen lately, not for every inbox the process has ever
/// verified an event for: entries past their moment go once the map has grown, and live ones stay whatever its size.
/// </summary>
public sealed class ExpiringMap_Specs
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly ManualClock _clock = new();

    [Fact]
    public void Should_forget_the_entries_past_their_moment_once_the_map_has_grown()
    {
        var map = new ExpiringMap<string>(_clock, sweepAtLeast: 16);
        for (var i = 0; i < 10_000; i++)
        {
            map.Set($"inbox_{i}", "secret", _clock.GetUtcNow() + Minute);
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        // 10,000 inboxes over 100 s, each remembered for a minute: about 6,000 are still good, and the map holds at
        // most twice what the last sweep left, not all 10,000.
        Assert.InRange(map.Count, 6_000, 12_000);
        Assert.True(map.Count < 10_000, $"{map.Count} entries held");

        _clock.Advance(2 * Minute);
        var held = map.Count;
        for (var i = 0; i < 2 * held; i++)
        {
            map.Set($"later_{i}", "secret", _clock.GetUtcNow() + Minute);
        }

        Assert.False(map.TryGetAny("inbox_0", out _));
        Assert.False(map.TryGetAny("inbox_9999", out _));
        Assert.True(map.TryGetLive("later_0", out var kept));
        Assert.Equal("secret", kept);
    }

    [Fact]
    public void Should_keep_every_entry_still_good_however_many_there_are()
    {
        var map = new ExpiringMap<int>(_clock, sweepAtLeast: 16);
        for (var i = 0; i < 5_000; i++)
        {
            map.Set($"inbox_{i}", i, _clock.GetUtcNow() + Minute);
        }

        Assert.Equal(5_000, map.Count);
        Assert.All(Enumerable.Range(0, 5_000), i => Assert.True(map.TryGetLive($"inbox_{i}", out var value) && value == i));
    }

    [Fact]
    public void Should_answer_an_entry_past_its_moment_only_to_whoever_asks_for_any()
    {
        var map = new ExpiringMap<string>(_clock, sweepAtLeast: 16);
        map.Set("inbox_a", "whsec_a", _clock.GetUtcNow() + Minute);

        _clock.Advance(Minute);

        // Exactly at its moment it is no longer good: the ingress reads the secret again.
        Assert.False(map.TryGetLive("inbox_a", out _));
        Assert.True(map.TryGetAny("inbox_a", out var stale));
        Assert.Equal("whsec_a", stale);

        map.Set("inbox_a", stale, _clock.GetUtcNow() + Minute);
        Assert.True(map.TryGetLive("inbox_a", out _));

        map.Remove("inbox_a");
        Assert.False(map.TryGetAny("inbox_a", out _));
    }
}
