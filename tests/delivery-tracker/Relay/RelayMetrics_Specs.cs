using System.Net.Http.Json;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>The relay's instruments on the service's meter: files waiting, emails sent and failed by channel and kind, and its latencies.</summary>
public sealed class RelayMetrics_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Should_count_sent_and_failed_files_by_channel_and_kind_and_time_their_pickup_and_acceptance()
    {
        using var host = new RelayHost(fixture);
        using var instruments = new RelayInstruments(host.Services);
        var emailId = Guid.NewGuid();
        var sent = $"20250101T000000000Z-{emailId:N}.json";
        var invalid = $"20250101T000000000Z-invalid-{emailId:N}.json";
        fixture.Drop(sent, RelayFixture.Email($"Metrics {emailId:N}", emailId));
        fixture.Drop(invalid, """{"to":"jane@example.com","subject":"x","body":"y","status":"pending"}""");

        await Eventually.Until(
            () => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, sent)) && File.Exists(Path.Combine(fixture.Outbox.Failed, invalid))),
            done => done,
            Patience,
            "both files to be done with");

        Assert.Equal(1, instruments.Counted(RelayMetrics.Sent, "channel=resend,kind=order_confirmation"));
        Assert.Equal(1, instruments.Counted(RelayMetrics.Failed, "channel=none,kind=unknown,reason=invalid"));
        Assert.Equal(2, instruments.Recorded(RelayMetrics.PickupLatency).Count);
        var accepted = Assert.Single(instruments.Recorded(RelayMetrics.AcceptLatency));
        Assert.Equal("channel=resend", accepted.Tags);
        Assert.InRange(accepted.Value, 0, Patience.TotalMilliseconds);
    }

    /// <summary>
    /// An email Resend answers 503 twice is claimed three times, its file given back between with its write time: each
    /// claim recorded a pick-up, so a retried email counted once an attempt and a held one its whole wait each time.
    /// </summary>
    [Fact]
    public async Task Should_time_the_pickup_of_an_email_retried_after_transient_failures_once()
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:MaxRetries"] = "0" });
        using var instruments = new RelayInstruments(host.Services);
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";

        await fixture.WithFaultAsync(new { api = "resend", operation = "emails.*", error_status = 503, retry_after_seconds = 0, times = 2 }, async () =>
        {
            fixture.Drop(name, RelayFixture.Email($"Retried {emailId:N}", emailId));
            Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
        });

        var attempts = Assert.Single(await fixture.QueryAsync<int>("select attempts from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal(3, attempts);
        Assert.Single(instruments.Recorded(RelayMetrics.PickupLatency));
    }

    /// <summary>A batch member the relay gives up on after its attempts is counted under its own kind, like a file sent alone.</summary>
    [Fact]
    public async Task Should_count_a_batch_member_given_up_after_its_attempts_under_its_kind()
    {
        using var fault = await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/faults", new { api = "resend", operation = "emails.batch", error_status = 503, retry_after_seconds = 0, times = 50 });
        fault.EnsureSuccessStatusCode();
        try
        {
            // One request a second leaves no token spare, so even a lone email goes as a batch.
            using var host = new RelayHost(fixture, new Dictionary<string, string?>
            {
                ["Resend:RequestsPerSecond"] = "1",
                ["Resend:MaxRetries"] = "0",
                ["DeliveryTracker:Relay:MaxAttempts"] = "2",
                ["DeliveryTracker:Relay:RetryBaseDelay"] = "00:00:00.200",
                ["DeliveryTracker:Relay:OutagePatience"] = "00:00:00",
            });
            using var instruments = new RelayInstruments(host.Services);
            var emailId = Guid.NewGuid();
            var name = $"20250101T000000000Z-{emailId:N}.json";
            fixture.Drop(name, RelayFixture.Email($"Given up {emailId:N}", emailId));

            await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Failed, name))), failed => failed, Patience, "the file to reach failed/");
            Assert.Equal(1, instruments.Counted(RelayMetrics.Failed, "channel=resend,kind=order_confirmation,reason=gave_up"));
        }
        finally
        {
            await fixture.Sandbox.Http.DeleteAsync(new Uri("sandbox/faults", UriKind.Relative));
        }
    }

    /// <summary>A file that is not JSON yet and younger than the settle time stays in email/: the scan counts it as pending.</summary>
    [Fact]
    public async Task Should_report_the_files_waiting_in_email_as_pending()
    {
        using var host = Settling("00:10:00");
        using var instruments = new RelayInstruments(host.Services);
        var waiting = DropUnfinished("being-written");

        await UntilObservedAsync(instruments, RelayMetrics.Pending, 1, "the pending gauge to count the waiting file");

        // The relay claims the file as it appears, finds it unfinished and puts it back, not to look again before the
        // settle time (held back). Only then is it the spec's alone to delete: deleted while claimed (a slow worker on
        // busy cores), nothing would be at its path and the relay would put it back afterwards.
        var path = Path.Combine(fixture.Outbox.Pending, waiting);
        await UntilObservedAsync(instruments, RelayMetrics.HeldBack, 1, "the relay to look at the file once and put it back");
        Assert.True(File.Exists(path), "the unfinished file is back in email/");
        File.Delete(path);
        await UntilObservedAsync(instruments, RelayMetrics.Pending, 0, "the pending gauge to drop to 0");
    }

    /// <summary>
    /// With replicas, a file one relay holds back until a retry time may be sent by another, and the first never sees
    /// its name again: it held the entry until a restart, one per email retried while replicas ran. Its next listing
    /// of <c>email/</c> lets it go.
    /// </summary>
    [Fact]
    public async Task When_another_relay_sends_a_file_this_one_holds_back_Should_hold_none_after_its_next_listing()
    {
        using var holding = Settling("00:10:00");
        using var instruments = new RelayInstruments(holding.Services);
        var name = DropUnfinished("held-back");
        await UntilObservedAsync(instruments, RelayMetrics.HeldBack, 1, "the relay to hold the unfinished file back");

        // Its writer finishes it in place, and a relay that waits no settle time sends it.
        await File.WriteAllTextAsync(Path.Combine(fixture.Outbox.Pending, name), RelayFixture.Email($"Held back {name}"));
        using var sending = Settling("00:00:00");
        _ = sending.Server;
        Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));

        await UntilObservedAsync(instruments, RelayMetrics.HeldBack, 0, "the relay to let the file another sent go");
    }

    private static Task<long> UntilObservedAsync(RelayInstruments instruments, string gauge, long value, string what) =>
        Eventually.Until(() => Task.FromResult(instruments.Observe(gauge)), observed => observed == value, Patience, what);

    private RelayHost Settling(string settleTime) => new(fixture, new Dictionary<string, string?> { ["DeliveryTracker:Relay:SettleTime"] = settleTime });

    // A file whose writer has not finished it: not JSON yet.
    private string DropUnfinished(string label)
    {
        var name = $"20250101T000000000Z-{label}-{Guid.NewGuid():N}.json";
        fixture.Drop(name, """{"to": ["jane@exam""");
        return name;
    }
}
