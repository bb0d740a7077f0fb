using System.Net;
using System.Net.Http.Json;
using OrdersMail.BuildingBlocks.Health;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// The relay as real processes, killed outright (SIGKILL) and run side by side: no file is sent twice or lost. The
/// sandbox's Resend counts what was really sent; its idempotency memory is what a repeated send meets.
/// </summary>
public sealed class RelayProcess_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Resend takes the email and holds its answer, so the relay is killed after the send and before the move; the
    /// next relay takes the dead one's claim back after the lease, sends again under the same Idempotency-Key, gets
    /// the first send's id back, and moves the file: one email.
    /// </summary>
    [Fact]
    public async Task Should_send_once_and_end_in_sent_when_killed_between_the_send_and_the_move()
    {
        await using var relays = new RelayProcesses(fixture);
        var patientClient = new Dictionary<string, string?> { ["Resend:AttemptTimeout"] = "00:02:00" };
        var first = await relays.StartAsync(patientClient);
        await AddFaultAsync(new { api = "resend", operation = "emails.*", answer_delay_ms = 120_000, times = 1 });
        var emailId = Guid.NewGuid();
        var subject = $"Killed mid-send {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        relays.Drop(name, RelayFixture.Email(subject, emailId));

        await Eventually.Until(() => fixture.SendsOfAsync(subject), sends => sends == 1, Patience, "Resend to have taken the email");
        Assert.False(relays.IsSent(name), "the relay has its answer only after 120 s, so it cannot have moved the file yet");
        await first.KillAsync();
        Assert.Single(relays.Unfinished());

        await relays.StartAsync(patientClient);
        await relays.UntilSentAsync(name, Patience, "the restarted relay to move the file to sent/");

        var sandboxIds = (await fixture.ResendEmailsAsync()).Where(e => e["subject"]?.GetValue<string>() == subject).Select(e => e["id"]!.GetValue<string>()).ToList();
        var row = Assert.Single(await fixture.QueryAsync<(string State, string ProviderId)>(
            "select send_state, provider_message_id from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal(("sent", Assert.Single(sandboxIds)), (row.State, row.ProviderId));
        Assert.Empty(relays.Unfinished());
    }

    /// <summary>
    /// A relay killed holding a claimed file, started again on the same machine: the dead process's corner is taken
    /// back at the restarted relay's first scan, not once its lease runs out (10 min here, longer than the spec waits),
    /// and the file is sent once.
    /// </summary>
    [Fact]
    public async Task Should_take_a_killed_relays_files_back_at_once_when_its_process_is_gone()
    {
        await using var relays = new RelayProcesses(fixture);
        var longLease = new Dictionary<string, string?> { ["Resend:AttemptTimeout"] = "00:02:00", ["DeliveryTracker:Relay:ClaimLease"] = "00:10:00" };
        var first = await relays.StartAsync(longLease);
        await AddFaultAsync(new { api = "resend", operation = "emails.*", answer_delay_ms = 120_000, times = 1 });
        var emailId = Guid.NewGuid();
        var subject = $"Killed holding its claim {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        relays.Drop(name, RelayFixture.Email(subject, emailId));
        await Eventually.Until(() => fixture.SendsOfAsync(subject), sends => sends == 1, Patience, "Resend to have taken the email");
        await first.KillAsync();

        await relays.StartAsync(longLease);

        await relays.UntilSentAsync(name, Patience, "the restarted relay to take the file back and move it to sent/");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        Assert.Empty(relays.Unfinished());
    }

    /// <summary>
    /// Killed after the batch's membership commit and before Resend ran it (the request held before it is handled):
    /// the next relay finds the member's row in that batch and sends the same batch (same body, same key) again; one email.
    /// </summary>
    [Fact]
    public async Task Should_send_the_same_batch_again_when_killed_between_its_membership_commit_and_the_send()
    {
        await using var relays = new RelayProcesses(fixture);
        // One request a second leaves no token spare, so even a lone email goes as a batch.
        var first = await relays.StartAsync(new Dictionary<string, string?> { ["Resend:AttemptTimeout"] = "00:02:00", ["Resend:RequestsPerSecond"] = "1" });
        await AddFaultAsync(new { api = "resend", operation = "emails.batch", latency_ms = 120_000, times = 1 });
        var emailId = Guid.NewGuid();
        var subject = $"Killed before the send {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        relays.Drop(name, RelayFixture.Email(subject, emailId));

        var batch = Assert.Single(await Eventually.Until(
            () => fixture.QueryAsync<Guid>("select batch_id from outbound_emails where email_id = @emailId and batch_id is not null", new { emailId }),
            rows => rows.Count == 1,
            Patience,
            "the batch's membership to be committed"));
        await first.KillAsync();
        Assert.Equal(0, await fixture.SendsOfAsync(subject));

        await relays.StartAsync();
        await relays.UntilSentAsync(name, Patience, "the restarted relay to move the file to sent/");

        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        var row = Assert.Single(await fixture.QueryAsync<(string State, Guid BatchId)>("select send_state, batch_id from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal(("sent", batch), row);
        Assert.Single(await fixture.QueryAsync<Guid>("select batch_id from resend_batches where @emailId = any(email_ids)", new { emailId }));
    }

    /// <summary>Two relays on one directory, 500 files dropped while both watch it: each file sent once, none lost, all in sent/.</summary>
    [Fact]
    public async Task Should_send_each_of_500_files_exactly_once_with_two_relay_processes_on_one_outbox()
    {
        await using var relays = new RelayProcesses(fixture);
        await relays.StartAsync();
        await relays.StartAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var names = Enumerable.Range(0, 500).Select(i => $"20250101T000000000Z-{run}-{i:D3}.json").ToList();
        foreach (var name in names)
        {
            relays.Drop(name, RelayFixture.Email($"Two relays {run} {name}"));
        }

        await Eventually.Until(() => Task.FromResult(names.Count(relays.IsSent)), sent => sent == names.Count, Patience, "all 500 files to reach sent/");

        var sends = (await fixture.ResendEmailsAsync())
            .Select(e => e["subject"]!.GetValue<string>())
            .Where(s => s.StartsWith($"Two relays {run} ", StringComparison.Ordinal))
            .CountBy(s => s)
            .ToList();
        Assert.Equal(names.Count, sends.Count);
        Assert.All(sends, s => Assert.Equal(1, s.Value));
        Assert.Empty(relays.Unfinished());
        Assert.Empty(Directory.EnumerateFiles(relays.Outbox.Failed));
        var states = await fixture.QueryAsync<(string State, long Count)>(
            "select send_state, count(*) from outbound_emails where file_name like @run group by send_state", new { run = $"%-{run}-%" });
        Assert.Equal(("sent", (long)names.Count), Assert.Single(states));
    }

    /// <summary>A file dropped while no relay runs (the last one killed): the next relay's start-up scan finds it and sends it once.</summary>
    [Fact]
    public async Task Should_send_a_file_dropped_while_the_relay_was_down_once_it_starts()
    {
        await using var relays = new RelayProcesses(fixture);
        await (await relays.StartAsync()).KillAsync();
        var emailId = Guid.NewGuid();
        var subject = $"Dropped while down {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        relays.Drop(name, RelayFixture.Email(subject, emailId));
        Assert.Equal(0, await fixture.SendsOfAsync(subject));

        await relays.StartAsync();

        await relays.UntilSentAsync(name, Patience, "the file to reach sent/ after the relay started");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        Assert.Empty(relays.Unfinished());
    }

    /// <summary>
    /// A dead relay's corner the relay cannot take back (its files cannot be moved: immutable here, which stops root too,
    /// as a corner left by a relay that ran as another user stops this one) is skipped at each scan and logged once with
    /// its folder, not at every scan: the relay stays up, takes another dead relay's file back and sends it, and sends
    /// what is dropped; once the corner can be moved, its file is taken back and sent, and that is logged. The
    /// permission error had left the scan loop and stopped the host, again at every restart; then it was logged at error
    /// at every scan, a line every 2 s that hid the rest of the log.
    /// </summary>
    [Fact]
    public async Task Should_skip_a_dead_relays_corner_it_cannot_take_back_and_go_on_relaying()
    {
        await using var relays = new RelayProcesses(fixture);
        var gone = GoneProcess.Holder();
        var (held, takenBack, dropped) = ($"20250101T000000000Z-{Guid.NewGuid():N}.json", $"20250101T000000000Z-{Guid.NewGuid():N}.json", $"20250101T000000000Z-{Guid.NewGuid():N}.json");
        var stuck = HeldByDeadRelay(relays, gone, held);
        HeldByDeadRelay(relays, gone, takenBack);
        ServiceProcess relay;
        using (new Immutable(stuck.Mine))
        {
            // The specs' services log warnings and up, and the corner's taking back is information; the category has no dot, as
            // a variable named with one does not pass the shell the service runs under.
            relay = await relays.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:OrdersMail"] = "Information" });
            relays.Drop(dropped, RelayFixture.Email($"Dropped beside a stuck corner {dropped}"));

            await Eventually.Until(() => Task.FromResult(relays.IsSent(takenBack) && relays.IsSent(dropped)), sent => sent, Patience, "the file taken back and the one dropped to reach sent/");
            using var ready = await relay.Client.GetAsync(new Uri(HealthEndpoints.ReadyPath, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.True(File.Exists(stuck.Claimed(held)));

            // Several more scans (every 0.5 s here), each refused the corner.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Single(LinesAbout(relay, stuck.Mine, "error"));
        }

        await Eventually.Until(() => Task.FromResult(relays.IsSent(held)), sent => sent, Patience, "the corner's file to be taken back and reach sent/ once it can be moved");
        var takenBackLine = Assert.Single(await Eventually.Until(() => Task.FromResult(LinesAbout(relay, stuck.Mine, "info")), lines => lines.Count > 0, TimeSpan.FromSeconds(30), "the corner's taking back to be logged"));
        Assert.Contains("was taken back", takenBackLine, StringComparison.Ordinal);
        Assert.Single(LinesAbout(relay, stuck.Mine, "error"));
    }

    /// <summary>
    /// Scans that fail whole for a while (the relay's own lease cannot be written: immutable here, as a full disk or a
    /// permission can refuse it) are each logged, and the next scan looks again: the lease is renewed once it can be, and
    /// the relay stays up. Any exception but an IOException had left the scan loop and stopped the host.
    /// </summary>
    [Fact]
    public async Task Should_scan_again_after_scans_that_failed()
    {
        await using var relays = new RelayProcesses(fixture);
        var relay = await relays.StartAsync();
        var lease = Path.Combine(Assert.Single(Directory.EnumerateDirectories(relays.Outbox.Processing)), ".lease");
        DateTime frozenAt;
        using (new Immutable(lease))
        {
            // Several scans (every 0.5 s here), each refused the lease.
            await Task.Delay(TimeSpan.FromSeconds(2));
            frozenAt = File.GetLastWriteTimeUtc(lease);
        }

        await Eventually.Until(() => Task.FromResult(File.GetLastWriteTimeUtc(lease)), at => at > frozenAt, TimeSpan.FromSeconds(30), "a scan to renew the lease again");
        using var ready = await relay.Client.GetAsync(new Uri(HealthEndpoints.ReadyPath, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("Outbox scan of", relay.OutputTail, StringComparison.Ordinal);
    }

    // A corner of a relay that died holding name.
    private static ClaimArea HeldByDeadRelay(RelayProcesses relays, HolderProcess gone, string name)
    {
        var corner = new ClaimArea(relays.Outbox, gone);
        corner.Open();
        relays.Drop(name, RelayFixture.Email($"Held by a dead relay {name}"));
        Assert.True(corner.TryClaim(name));
        return corner;
    }

    // The relay's log lines at level about folder.
    private static List<string> LinesAbout(ServiceProcess relay, string folder, string level) =>
        relay.OutputTail.Split('\n').Where(l => l.Contains($"\"level\":\"{level}\"", StringComparison.Ordinal) && l.Contains($"Claim folder {folder}", StringComparison.Ordinal)).ToList();

    private async Task AddFaultAsync(object rule)
    {
        using var response = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", rule);
        response.EnsureSuccessStatusCode();
    }
}
