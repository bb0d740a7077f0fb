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

    /// <summary>A claimed file goes back to email/ as it was, to be tried again.</summary>
    [Fact]
    public void Should_give_a_released_file_back_to_email()
    {
        var relay = new ClaimArea(_folders);
        relay.Open();
        File.WriteAllText(Path.Combine(_folders.Pending, "a.json"), "{\"to\": [");
        Assert.True(relay.TryClaim("a.json"));

        relay.Release("a.json");

        Assert.Equal("{\"to\": [", File.ReadAllText(Path.Combine(_folders.Pending, "a.json")));
        Assert.False(File.Exists(relay.Claimed("a.json")));
    }

    /// <summary>
    /// A careless writer that writes its file again while the relay holds the unfinished first copy: releasing the
    /// held copy must not overwrite the new one.
    /// </summary>
    [Fact]
    public void Should_keep_the_copy_written_again_while_the_file_was_claimed()
    {
        var relay = new ClaimArea(_folders);
        relay.Open();
        var pending = Path.Combine(_folders.Pending, "a.json");
        File.WriteAllText(pending, "{\"to\": [");
        Assert.True(relay.TryClaim("a.json"));
        File.WriteAllText(pending, """{"to": ["jane@example.com"], "subject": "s", "body": "b", "status": "pending"}""");

        relay.Release("a.json");

        Assert.Contains("jane@example.com", File.ReadAllText(pending), StringComparison.Ordinal);
        Assert.False(File.Exists(relay.Claimed("a.json")));
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_folders.Root, recursive: true);
}
