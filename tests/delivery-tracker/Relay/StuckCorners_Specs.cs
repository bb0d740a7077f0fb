using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.Testing.Logging;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// A dead relay's corner that scan after scan cannot be taken back is told once, not at every scan: again only when its
/// error changes or <see cref="StuckCorners.RemindEvery"/> has passed, and once more when it no longer fails.
/// </summary>
public sealed class StuckCorners_Specs : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _corner = Path.Combine(Path.GetTempPath(), $"ordersmail-stuck-{Guid.NewGuid():N}");
    private readonly CapturedLogs _logs = new();

    /// <inheritdoc />
    public void Dispose() => _logs.Dispose();

    /// <summary>The same error at every scan: one line, then one more after the reminder interval, and one when it is taken back.</summary>
    [Fact]
    public void Should_tell_a_corner_failing_the_same_way_once_per_reminder_interval_and_when_it_is_taken_back()
    {
        var stuck = new StuckCorners(_logs.CreateLogger("relay"));
        var denied = new UnauthorizedAccessException("Access to the path is denied.");

        for (var scan = TimeSpan.Zero; scan < StuckCorners.RemindEvery; scan += TimeSpan.FromSeconds(2))
        {
            stuck.Scanned([(_corner, denied)], Start + scan);
        }

        Assert.Single(_logs.Lines);
        stuck.Scanned([(_corner, denied)], Start + StuckCorners.RemindEvery);
        Assert.Equal(2, _logs.Lines.Count);
        Assert.Equal(1, stuck.Count);

        stuck.Scanned([], Start + StuckCorners.RemindEvery + TimeSpan.FromSeconds(2));

        Assert.Equal(0, stuck.Count);
        Assert.All(_logs.Lines.Take(2), line => Assert.StartsWith($"Error: Claim folder {_corner} of a relay that died could not be taken back", line, StringComparison.Ordinal));
        Assert.StartsWith($"Information: Claim folder {_corner}, which could not be taken back since", _logs.Lines[2], StringComparison.Ordinal);
        Assert.EndsWith("was taken back", _logs.Lines[2], StringComparison.Ordinal);
    }

    /// <summary>A corner whose error changes is told again at once, with the new cause.</summary>
    [Fact]
    public void Should_tell_a_corner_again_when_its_error_changes()
    {
        var stuck = new StuckCorners(_logs.CreateLogger("relay"));

        stuck.Scanned([(_corner, new UnauthorizedAccessException("Access to the path is denied."))], Start);
        stuck.Scanned([(_corner, new UnauthorizedAccessException("Access to the path is denied."))], Start.AddSeconds(2));
        stuck.Scanned([(_corner, new IOException("Is a directory"))], Start.AddSeconds(4));

        Assert.Equal(2, _logs.Lines.Count);
    }
}
