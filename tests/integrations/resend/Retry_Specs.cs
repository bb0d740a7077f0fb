using System.Diagnostics;
using OrdersMail.Testing.Http;

namespace OrdersMail.Integrations.Resend.Tests;

/// <summary>
/// What the client retries (408, 429, 5xx, hung attempts), how long it waits (Retry-After, capped, else backoff), when
/// it gives up, and what it never retries (any other 4xx, and a 429 naming the team's quota). The sandbox's faults break the sends; the recorded requests
/// count the attempts that reached the wire; the sandbox's own list says what was really sent. MaxRetries is 3 here.
/// </summary>
public sealed class Retry_Specs : IAsyncLifetime
{
    // A retry carries the same Idempotency-Key, which the sandbox holds in flight until it sees the hung attempt's
    // connection closed; a retry that came first is answered 409 concurrent_idempotent_requests instead (once in CI,
    // with the harness's 10 ms between attempts). A second between them leaves the sandbox ample time.
    private const string RetryAfterAHungAttempt = "00:00:01";

    private const string Send = "emails.send";
    private ResendHarness _resend = null!;

    public async Task InitializeAsync() => _resend = await ResendHarness.StartAsync();

    public async Task DisposeAsync() => await _resend.DisposeAsync();

    [Fact]
    public async Task Should_wait_as_long_as_Retry_After_asks_on_429_then_send_once()
    {
        await _resend.WarmUpAsync();
        await _resend.AddFaultAsync(new { api = "resend", operation = Send, error_status = 429, retry_after_seconds = 1, times = 2 });
        var email = ResendHarness.NewEmail();

        var clock = Stopwatch.StartNew();
        await _resend.Client.SendAsync(email, ResendHarness.NewKey(), default);

        // Two waits of 1 s; waiting MaxRetryAfter's 5 s instead would be 10 s.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(7));
        Assert.Equal(3, _resend.Requests.To(HttpMethod.Post, "/emails"));
        Assert.Equal(1, await _resend.SendsOfAsync(email.Subject));
    }

    [Fact]
    public async Task Should_wait_no_longer_than_MaxRetryAfter_when_Retry_After_asks_for_more()
    {
        await using var capped = await ResendHarness.StartAsync(new Dictionary<string, string> { ["MaxRetryAfter"] = "00:00:00.300" });
        await capped.WarmUpAsync();
        await capped.AddFaultAsync(new { api = "resend", operation = Send, error_status = 429, retry_after_seconds = 60, times = 1 });

        var clock = Stopwatch.StartNew();
        await capped.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default);

        // Below the 60 s asked and the 5 s the harness's own cap would give.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.29), TimeSpan.FromSeconds(4));
        Assert.Equal(2, capped.Requests.To(HttpMethod.Post, "/emails"));
    }

    [Fact]
    public async Task Should_wait_until_a_Retry_After_date_then_send()
    {
        // A cap of a minute, so a date misread as far off (a local time taken for UTC, say) is a minute's wait, well past
        // the bound, not the harness's 5 s, which a loaded machine comes close to.
        await using var dated = await ResendHarness.StartAsync(new Dictionary<string, string> { ["MaxRetryAfter"] = "00:01:00" }, () => new RetryAfterAsDate());
        await dated.WarmUpAsync();
        await dated.AddFaultAsync(new { api = "resend", operation = Send, error_status = 503, retry_after_seconds = 2, times = 1 });

        var clock = Stopwatch.StartNew();
        await dated.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default);

        // An HTTP-date has whole seconds: "now + 2 s" is between 1 and 2 s away once truncated.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(10));
        Assert.Equal(2, dated.Requests.To(HttpMethod.Post, "/emails"));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Should_retry_each_transient_status_under_the_same_key(int status)
    {
        await _resend.AddFaultAsync(new { api = "resend", operation = Send, error_status = status, retry_after_seconds = 0, times = 1 });
        var key = ResendHarness.NewKey();

        await _resend.Client.SendAsync(ResendHarness.NewEmail(), key, default);

        Assert.Equal(2, _resend.Requests.All.Count);
        Assert.All(_resend.Requests.All, r => Assert.Equal(key, r.Headers["Idempotency-Key"]));
    }

    [Fact]
    public async Task Should_give_up_with_ResendUnavailableException_after_MaxRetries_plus_one_attempts()
    {
        // Exactly four failures: a fifth attempt would succeed, fewer attempts would leave the rule unspent.
        await _resend.AddFaultAsync(new { api = "resend", operation = Send, error_status = 503, retry_after_seconds = 0, times = 4 });
        var email = ResendHarness.NewEmail();

        var unavailable = await Assert.ThrowsAsync<ResendUnavailableException>(() => _resend.Client.SendAsync(email, ResendHarness.NewKey(), default));

        Assert.Equal(503, unavailable.StatusCode);
        Assert.Contains("503", unavailable.Message, StringComparison.Ordinal);
        Assert.Equal(4, _resend.Requests.All.Count);
        Assert.Equal("{\"faults\":[]}", await _resend.Sandbox.Http.GetStringAsync("sandbox/faults"));
        Assert.Equal(0, await _resend.SendsOfAsync(email.Subject));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task Should_not_retry_a_definitive_4xx(int status)
    {
        await _resend.AddFaultAsync(new { api = "resend", operation = Send, error_status = status });

        var refused = await Assert.ThrowsAsync<ResendException>(() => _resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));

        Assert.Equal(status, refused.StatusCode);
        Assert.NotNull(refused.Name);
        Assert.Single(_resend.Requests.All);
    }

    /// <summary>
    /// The team's quota used up is not the rate limit (docs/resend.md §3): retried as one, every email was tried four
    /// times within seconds, and the relay's own attempts ran out in minutes, failing mail for good that could have waited.
    /// </summary>
    [Theory]
    [InlineData("daily_quota_exceeded")]
    [InlineData("monthly_quota_exceeded")]
    public async Task Should_not_retry_a_quota_429_and_refuse_the_send_for_the_quota(string name)
    {
        await _resend.AddFaultAsync(new { api = "resend", operation = Send, error_status = 429, error_name = name, retry_after_seconds = 0, times = 4 });
        var email = ResendHarness.NewEmail();

        var refused = await Assert.ThrowsAsync<ResendQuotaExceededException>(() => _resend.Client.SendAsync(email, ResendHarness.NewKey(), default));

        Assert.Equal(name, refused.Name);
        Assert.Contains(name, refused.Message, StringComparison.Ordinal);
        Assert.Single(_resend.Requests.All);
        Assert.Equal(0, await _resend.SendsOfAsync(email.Subject));
    }

    /// <summary>
    /// After a quota refusal every Resend call of the process is refused at once, unsent, until the pause ends, and the
    /// pause is logged at Error once, not per send; then a send asks Resend again.
    /// </summary>
    [Fact]
    public async Task Should_refuse_every_send_unsent_during_a_quota_pause_logging_it_once_then_ask_again()
    {
        // Five seconds, not the shortest pause allowed: the batch below must come inside it, on busy cores too.
        await using var paused = await ResendHarness.StartAsync(new Dictionary<string, string> { ["QuotaPause"] = "00:00:05" });
        await paused.AddFaultAsync(new { api = "resend", operation = "emails.*", error_status = 429, error_name = "daily_quota_exceeded", retry_after_seconds = 0, times = 1 });

        var refused = await Assert.ThrowsAsync<ResendQuotaExceededException>(() => paused.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));
        var batch = ResendClient.BatchBody([ResendHarness.NewEmail(), ResendHarness.NewEmail()]);
        var during = await Assert.ThrowsAsync<ResendQuotaExceededException>(() => paused.Client.SendBatchAsync(batch, 2, ResendHarness.NewKey(), default));

        Assert.Equal(("daily_quota_exceeded", refused.PausedUntil), (during.Name, during.PausedUntil));
        Assert.Single(paused.Requests.All);
        Assert.Single(paused.Logs.Lines, l => l.StartsWith("Error: ", StringComparison.Ordinal) && l.Contains("daily_quota_exceeded", StringComparison.Ordinal));

        var left = refused.PausedUntil - DateTimeOffset.UtcNow;
        await Task.Delay(left > TimeSpan.Zero ? left + TimeSpan.FromMilliseconds(50) : TimeSpan.Zero);
        var email = ResendHarness.NewEmail();
        await paused.Client.SendAsync(email, ResendHarness.NewKey(), default);

        Assert.Equal(2, paused.Requests.All.Count);
        Assert.Equal(1, await paused.SendsOfAsync(email.Subject));
    }

    [Fact]
    public async Task Should_abandon_a_hung_attempt_after_AttemptTimeout_and_retry_it()
    {
        // Long enough that the retry, which does not hang, is answered within it on a busy CI machine (the AgentMail
        // client's twin of this spec once saw its retry time out too at 0.5 s, and a third attempt).
        await using var impatient = await ResendHarness.StartAsync(new Dictionary<string, string>
        {
            ["AttemptTimeout"] = "00:00:02",
            ["RetryBaseDelay"] = RetryAfterAHungAttempt,
        });
        await impatient.WarmUpAsync();
        await impatient.AddFaultAsync(new { api = "resend", operation = Send, hang = true, times = 1 });
        var email = ResendHarness.NewEmail();

        var clock = Stopwatch.StartNew();
        await impatient.Client.SendAsync(email, ResendHarness.NewKey(), default);

        // The 2 s attempt, a backoff of at most 1.4 s (1 s jittered) and the retry; the default attempt timeout of 10 s
        // would be past the bound alone.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.99), TimeSpan.FromSeconds(8));
        Assert.Equal(2, impatient.Requests.To(HttpMethod.Post, "/emails"));
        Assert.Equal(1, await impatient.SendsOfAsync(email.Subject));
    }

    // HttpClient reads the body after the handlers return, under its own timeout, which the client turns off: a body
    // that stalled after the headers held the send, and the relay's slot with it, for good.
    [Fact]
    public async Task Should_abandon_an_attempt_whose_answer_stalls_after_its_headers_and_retry_it()
    {
        await using var impatient = await ResendHarness.StartAsync(new Dictionary<string, string>
        {
            ["AttemptTimeout"] = "00:00:02",
            ["RetryBaseDelay"] = RetryAfterAHungAttempt,
        });
        await impatient.AddFaultAsync(new { api = "resend", operation = Send, stall_body = true, times = 1 });
        var email = ResendHarness.NewEmail();

        var send = impatient.Client.SendAsync(email, ResendHarness.NewKey(), default);

        Assert.Same(send, await Task.WhenAny(send, Task.Delay(TimeSpan.FromSeconds(30))));
        await send;
        Assert.Equal(2, impatient.Requests.All.Count);
        Assert.Equal(1, await impatient.SendsOfAsync(email.Subject));
    }

    [Fact]
    public async Task Should_report_a_timeout_when_every_attempt_hangs()
    {
        await using var impatient = await ResendHarness.StartAsync(new Dictionary<string, string>
        {
            ["AttemptTimeout"] = "00:00:00.200",
            ["MaxRetries"] = "1",
            ["RetryBaseDelay"] = RetryAfterAHungAttempt,
        });
        await impatient.AddFaultAsync(new { api = "resend", operation = Send, hang = true });

        var unavailable = await Assert.ThrowsAsync<ResendUnavailableException>(() => impatient.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));

        Assert.Contains("no answer within", unavailable.Message, StringComparison.Ordinal);
        Assert.Null(unavailable.StatusCode);
        Assert.Equal(2, impatient.Requests.All.Count);
    }

    [Fact]
    public async Task Should_report_unreachable_when_nothing_answers_at_the_base_url()
    {
        await using var nowhere = await ResendHarness.StartAsync(new Dictionary<string, string> { ["BaseUrl"] = "http://127.0.0.1:1/resend" });

        var unavailable = await Assert.ThrowsAsync<ResendUnavailableException>(() => nowhere.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));

        Assert.Contains("unreachable", unavailable.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(unavailable.InnerException);
        Assert.Equal(4, nowhere.Requests.All.Count);
    }

    [Fact]
    public async Task Should_leave_the_callers_own_cancellation_as_a_cancellation()
    {
        // Warmed up, so the 300 ms are the hung attempt's, not the client's first resolution, which on a loaded machine
        // could outlast them before the attempt reached the wire.
        await _resend.WarmUpAsync();
        await _resend.AddFaultAsync(new { api = "resend", operation = Send, hang = true });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), cancellation.Token));

        Assert.Equal(1, _resend.Requests.To(HttpMethod.Post, "/emails"));
    }

    [Fact]
    public async Task Should_log_each_retry_with_its_status_attempt_and_delay_and_never_the_email()
    {
        await _resend.AddFaultAsync(new { api = "resend", operation = Send, error_status = 503, retry_after_seconds = 0, times = 2 });
        var email = ResendHarness.NewEmail();

        await _resend.Client.SendAsync(email, ResendHarness.NewKey(), default);

        var retries = _resend.Logs.Lines.Where(l => l.Contains("retrying in", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, l => Assert.Contains("HTTP 503", l, StringComparison.Ordinal));
        Assert.Contains("attempt 1 failed", retries[0], StringComparison.Ordinal);
        Assert.Contains("attempt 2 failed", retries[1], StringComparison.Ordinal);
        Assert.Contains("retrying in 0 ms", retries[0], StringComparison.Ordinal);
        Assert.DoesNotContain(_resend.Logs.Lines, l => l.Contains(email.Subject, StringComparison.Ordinal) || l.Contains("jane@example.com", StringComparison.Ordinal));
    }
}
