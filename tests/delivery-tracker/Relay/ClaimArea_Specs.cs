using System.Diagnostics;
using System.Runtime.Versioning;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// Corners of <c>processing/</c> between relays: only a dead relay's corner is taken back, at once when its process is
/// provably gone (each relay process here is a real process, a <c>sleep</c>), else once its lease runs out.
/// </summary>
public sealed class ClaimArea_Specs : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);
    private readonly MailOutboxFolders _folders = new(Path.Combine(Path.GetTempPath(), $"ordersmail-claims-{Guid.NewGuid():N}"));
    private int _claimed;

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

        Assert.Equal(0, scanning.TakeBackAbandoned(DateTimeOffset.UtcNow, Lease, NoneSkipped));

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

        Assert.Equal(1, alive.TakeBackAbandoned(DateTimeOffset.UtcNow, Lease, NoneSkipped));

        Assert.False(Directory.Exists(dead.Mine));
        Assert.True(File.Exists(Path.Combine(_folders.Pending, "a.json")));
    }

    /// <summary>
    /// A relay killed and started again: its old corner's process is gone, so its files go back to email/ at the next
    /// scan, long before its lease would run out (the chaos scenario waited 26-27 s for them).
    /// </summary>
    [Fact]
    public void Should_take_back_at_once_the_files_of_a_relay_whose_process_is_gone()
    {
        var (dead, alive) = (ClaimingOne(GoneProcess.Holder()), Opened(new ClaimArea(_folders)));

        Assert.Equal(1, alive.TakeBackAbandoned(DateTimeOffset.UtcNow, TimeSpan.FromHours(1), NoneSkipped));
        Assert.False(Directory.Exists(dead.Mine));
        Assert.True(File.Exists(Path.Combine(_folders.Pending, "a.json")));
    }

    /// <summary>
    /// A dead relay's corner whose files cannot be moved (immutable here, which stops root too, as a corner left by a
    /// relay that ran as another user stops this one) is skipped and told with why, and keeps its file; the other dead
    /// corner is taken back all the same. Its permission error had ended the scan, and stopped the host.
    /// </summary>
    [Fact]
    public void Should_skip_a_corner_it_cannot_take_back_and_take_back_the_others()
    {
        var process = GoneProcess.Holder();
        var (stuck, other) = (ClaimingOne(process), ClaimingOne(process));
        var skipped = new List<(string Corner, Exception Error)>();

        int taken;
        using (new Immutable(stuck.Mine))
        {
            taken = Opened(new ClaimArea(_folders)).TakeBackAbandoned(DateTimeOffset.UtcNow, TimeSpan.FromHours(1), (corner, e) => skipped.Add((corner, e)));
        }

        Assert.Equal(1, taken);
        var (corner, error) = Assert.Single(skipped);
        Assert.Equal(stuck.Mine, corner);
        Assert.IsType<UnauthorizedAccessException>(error);
        Assert.True(File.Exists(stuck.Claimed("a.json")));
        Assert.False(Directory.Exists(other.Mine));
        Assert.True(File.Exists(Path.Combine(_folders.Pending, "a2.json")));
    }

    /// <summary>A PID the kernel gave to a later process (another start time) is not the relay's: its files are taken back.</summary>
    [Fact]
    public void Should_take_back_the_files_of_a_relay_whose_pid_now_belongs_to_another_process()
    {
        using var later = Sleeper();
        var process = HolderProcess.Of(later.Id);
        ClaimingOne(process with { StartTicks = process.StartTicks - 1 });

        Assert.Equal(1, Opened(new ClaimArea(_folders)).TakeBackAbandoned(DateTimeOffset.UtcNow, TimeSpan.FromHours(1), NoneSkipped));
        later.Kill();
    }

    /// <summary>A relay whose process runs keeps its files while its lease holds, even if it is slow to renew it.</summary>
    [Fact]
    public void Should_leave_the_files_of_a_relay_whose_process_runs()
    {
        using var running = Sleeper();
        var owner = ClaimingOne(HolderProcess.Of(running.Id));

        Assert.Equal(0, Opened(new ClaimArea(_folders)).TakeBackAbandoned(DateTimeOffset.UtcNow, TimeSpan.FromHours(1), NoneSkipped));
        Assert.True(File.Exists(owner.Claimed("a.json")));
        running.Kill();
    }

    /// <summary>
    /// A process this relay cannot look up (another machine or container sharing the outbox, or a lease written before
    /// leases named their process) is never judged gone: its lease alone decides.
    /// </summary>
    [Fact]
    public void Should_judge_a_relay_it_cannot_look_up_by_its_lease_alone()
    {
        var process = GoneProcess.Holder();
        var elsewhere = ClaimingOne(process with { Host = "another-machine" });
        var otherContainer = ClaimingOne(process with { PidNamespace = "pid:[1]" });
        var older = ClaimingOne(process);
        File.WriteAllBytes(Path.Combine(older.Mine, ".lease"), []);

        Assert.Equal(0, Opened(new ClaimArea(_folders)).TakeBackAbandoned(DateTimeOffset.UtcNow, TimeSpan.FromHours(1), NoneSkipped));
        Assert.All([elsewhere, otherContainer, older], corner => Assert.True(Directory.Exists(corner.Mine)));
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

    // A corner a spec expects taken back or left alone, never skipped.
    /// <summary>
    /// A relay judged dead that is not (its clock ahead of the judge's here; a relay paused past its lease would do the
    /// same) goes on claiming files into its corner while another relay takes the corner back: every file ends in
    /// email/ or in that corner. Removing the corner with whatever it held had deleted files claimed after the listing.
    /// </summary>
    [Fact]
    public async Task Should_lose_no_file_a_relay_claims_into_its_corner_while_another_takes_the_corner_back()
    {
        var claiming = Opened(new ClaimArea(_folders));
        var judging = Opened(new ClaimArea(_folders));
        var names = new List<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var claimer = Task.Run(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var name = $"race-{i:D6}.json";
                File.WriteAllText(Path.Combine(_folders.Pending, name), "{}");
                names.Add(name);
                if (!claiming.TryClaim(name))
                {
                    RenewAsTheScanWould(claiming);
                }
            }
        });

        while (!claimer.IsCompleted)
        {
            judging.TakeBackAbandoned(DateTimeOffset.UtcNow + (2 * Lease), Lease, (_, _) => { });
        }

        await claimer;
        var lost = names.Where(n => !File.Exists(Path.Combine(_folders.Pending, n)) && !File.Exists(claiming.Claimed(n))).ToList();
        Assert.True(names.Count > 100, $"only {names.Count} files claimed");
        Assert.Empty(lost);
    }

    // The judge here removes the corner in a tight loop, so a renewal can lose its three tries in a row to it, which
    // the relay's scan logs and tries again two seconds later; what this spec asks is that no file is lost meanwhile.
    /// <summary>
    /// A relay's corner holds the customer mail it is sending: processing/ and the corner were 0755 and the lease 0644
    /// under the usual umask (022), where every account on the machine could list and read them.
    /// </summary>
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Should_create_processing_and_its_corner_and_lease_for_their_owner_only()
    {
        const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        var area = new ClaimArea(_folders);

        area.Open();

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(_folders.Processing));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(area.Mine));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(area.Mine, ".lease")));
    }

    private static void RenewAsTheScanWould(ClaimArea area)
    {
        try
        {
            area.RenewLease();
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static void NoneSkipped(string corner, Exception error) => throw new InvalidOperationException($"Corner {corner} was skipped.", error);

    private static Process Sleeper() => Process.Start(new ProcessStartInfo("sleep", "60")) ?? throw new InvalidOperationException("sleep did not start");

    private static ClaimArea Opened(ClaimArea area)
    {
        area.Open();
        return area;
    }

    // A relay in process, holding a file of its own (named after the corner, so several can hold one each).
    private ClaimArea ClaimingOne(HolderProcess process)
    {
        var area = Opened(new ClaimArea(_folders, process));
        var name = _claimed++ == 0 ? "a.json" : $"a{_claimed}.json";
        File.WriteAllText(Path.Combine(_folders.Pending, name), "{}");
        Assert.True(area.TryClaim(name));
        return area;
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_folders.Root, recursive: true);
}
