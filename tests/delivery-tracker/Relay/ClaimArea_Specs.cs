using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>Corners of <c>processing/</c> between relays: only a dead relay's corner is taken back.</summary>
public sealed class ClaimArea_Specs : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);
    private readonly MailOutboxFolders _folders = new(Path.Combine(Path.GetTempPath(), $"ordersmail-claims-{Guid.NewGuid():N}"));

    /// <summary>
    /// A relay starting creates its corner, then its lease: a relay scanning between the two must not take the
    /// corner for dead (it did, once, on a loaded machine, and the starting relay's host stopped on the missing path).
    /// </summary>
    [Fact]
    public void Should_leave_a_corner_whose_lease_is_not_written_yet()
    {
        var scanning = new ClaimArea(_folders);
        scanning.Open();
        var starting = new ClaimArea(_folders);
        Directory.CreateDirectory(starting.Mine);

        Assert.Equal(0, scanning.TakeBackAbandoned(DateTimeOffset.UtcNow, Lease));

        Assert.True(Directory.Exists(starting.Mine));
        starting.Open();
    }

    /// <summary>A corner whose lease and directory are both older than the lease belongs to a dead relay: its files go back to email/.</summary>
    [Fact]
    public void Should_take_back_the_files_of_a_corner_silent_for_longer_than_the_lease()
    {
        var dead = new ClaimArea(_folders);
        dead.Open();
        File.WriteAllText(Path.Combine(_folders.Pending, "a.json"), "{}");
        Assert.True(dead.TryClaim("a.json"));
        var longAgo = DateTime.UtcNow - (2 * Lease);
        File.SetLastWriteTimeUtc(Path.Combine(dead.Mine, ".lease"), longAgo);
        Directory.SetLastWriteTimeUtc(dead.Mine, longAgo);
        var alive = new ClaimArea(_folders);
        alive.Open();

        Assert.Equal(1, alive.TakeBackAbandoned(DateTimeOffset.UtcNow, Lease));

        Assert.False(Directory.Exists(dead.Mine));
        Assert.True(File.Exists(Path.Combine(_folders.Pending, "a.json")));
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_folders.Root, recursive: true);
}
