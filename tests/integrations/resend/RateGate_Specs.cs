using System.Diagnostics;
using System.Text;
using OrdersMail.Testing;

namespace OrdersMail.Integrations.Resend.Tests;

/// <summary>
/// The client paces itself to Resend's rate limit (docs/resend.md §3) instead of learning it from 429s, and a batch is
/// one request carrying up to 100 emails under one key.
/// </summary>
public sealed class RateGate_Specs
{
    private static readonly Dictionary<string, string> NoRetries = new() { ["MaxRetries"] = "0", ["RequestsPerSecond"] = "5" };

    /// <summary>
    /// 15 sends at once against Resend's default 5 per second. Unpaced, 10 of them would be refused at once and 5 of
    /// those again a second later: 30 requests. Paced, 4 go at once (one token is kept spare, for the client's and
    /// Resend's buckets refilling out of step) and the rest at 5 a second; a 429 stays possible when requests arrive
    /// late and bunched, which a loaded machine does (CI at a load average over 20 saw 4, then 8 retries): fewer
    /// requests than unpaced, and every send succeeds.
    /// </summary>
    [Fact]
    public async Task Should_pace_sends_to_the_rate_limit_so_that_a_429_is_rare()
    {
        await using var resend = await ResendHarness.StartAsync(new Dictionary<string, string> { ["RequestsPerSecond"] = "5" }, sandboxRequestsPerSecond: 5);
        var clock = Stopwatch.StartNew();

        var ids = await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default)));

        Assert.Equal(15, ids.Distinct().Count());
        Assert.InRange(resend.Requests.All.Count, 15, 29);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"15 sends at 5 a second after a burst of 4 took {clock.Elapsed}");
    }

    /// <summary>A 429's retry-after holds the next request back, so it is not refused in turn.</summary>
    [Fact]
    public async Task Should_hold_the_next_request_back_for_a_429s_retry_after()
    {
        await using var resend = await ResendHarness.StartAsync(NoRetries);
        await resend.AddFaultAsync(new { api = "resend", operation = "emails.send", error_status = 429, retry_after_seconds = 2, times = 1 });
        await Assert.ThrowsAsync<ResendUnavailableException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));
        var clock = Stopwatch.StartNew();

        await resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"the request after a 429 with retry-after 2 went after {clock.Elapsed}");
    }

    /// <summary>
    /// 25 sends made while a 429's pause holds the gate, the pause longer than an attempt may take: each waits its turn
    /// outside its attempt, so none times out before it reached Resend (which, counted by the breaker, opened the
    /// circuit on a provider that had answered every request it saw), and after the pause they go at the paced rate, not
    /// all at once into a second round of 429s (a 429 stays possible on a loaded machine, as above).
    /// </summary>
    [Fact]
    public async Task Should_send_every_request_made_during_a_pause_longer_than_an_attempt_without_timing_it_out_or_bursting()
    {
        await using var resend = await ResendHarness.StartAsync(
            new Dictionary<string, string> { ["RequestsPerSecond"] = "5", ["MaxRetryAfter"] = "00:00:04", ["AttemptTimeout"] = "00:00:03" },
            sandboxRequestsPerSecond: 5);
        await resend.AddFaultAsync(new { api = "resend", operation = "emails.send", error_status = 429, retry_after_seconds = 4, times = 1 });
        var refused = resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default);
        await Eventually.Until(() => Task.FromResult(resend.Requests.All.Count), n => n == 1, TimeSpan.FromSeconds(10), "the 429 to be answered");

        var ids = await Task.WhenAll([refused, .. Enumerable.Range(0, 25).Select(_ => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default))]);

        Assert.Equal(26, ids.Distinct().Count());
        Assert.DoesNotContain(resend.Logs.Lines, line => line.Contains(nameof(Polly.Timeout.TimeoutRejectedException), StringComparison.Ordinal) || line.Contains("circuit opened", StringComparison.Ordinal));
        Assert.InRange(resend.Requests.All.Count, 27, 35);
    }

    /// <summary>A batch answers each email's id in order; sent again with the same key and bytes it replays them and sends nothing.</summary>
    [Fact]
    public async Task Should_send_a_batch_in_one_request_and_replay_it_under_the_same_key()
    {
        await using var resend = await ResendHarness.StartAsync();
        var emails = Enumerable.Range(0, 3).Select(i => ResendHarness.NewEmail($"Batch {Guid.NewGuid():N} {i}")).ToList();
        var body = ResendClient.BatchBody(emails);
        var key = $"ordersmail-batch-{Guid.NewGuid():N}";

        var ids = await resend.Client.SendBatchAsync(body, emails.Count, key, default);
        var again = await resend.Client.SendBatchAsync(body, emails.Count, key, default);

        Assert.Equal(ids, again);
        Assert.Equal(3, ids.Distinct().Count());
        foreach (var email in emails)
        {
            Assert.Equal(1, await resend.SendsOfAsync(email.Subject));
        }

        Assert.All(resend.Requests.All, r => Assert.Equal("/resend/emails/batch", r.Uri.AbsolutePath));
        Assert.Contains("\"subject\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }
}
