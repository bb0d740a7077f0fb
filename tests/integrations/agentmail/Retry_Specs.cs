using System.Diagnostics;
using OrdersMail.Testing.Http;

namespace OrdersMail.Integrations.AgentMail.Tests;

/// <summary>
/// What the client retries (408, 429, 5xx, hung attempts), how long it waits (Retry-After, capped, else backoff),
/// when it gives up, and what it never retries (any other 4xx). The sandbox's faults break the calls; the recorded
/// requests count the attempts that reached the wire. MaxRetries is 3 in these specs.
/// </summary>
public sealed class Retry_Specs : IAsyncLifetime
{
    private AgentMailHarness _agentMail = null!;

    public async Task InitializeAsync() => _agentMail = await AgentMailHarness.StartAsync();

    public async Task DisposeAsync() => await _agentMail.DisposeAsync();

    [Fact]
    public async Task Should_wait_as_long_as_Retry_After_asks_on_429_then_succeed()
    {
        await _agentMail.WarmUpAsync();
        await _agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.CreateInbox, error_status = 429, retry_after_seconds = 1, times = 2 });

        var clock = Stopwatch.StartNew();
        var inbox = await _agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);

        Assert.NotNull(inbox);
        Assert.Equal(3, _agentMail.Requests.To(HttpMethod.Post, "/v0/inboxes"));
        // Two waits of 1 s; waiting MaxRetryAfter's 5 s instead would be 10 s.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Should_wait_no_longer_than_MaxRetryAfter_when_Retry_After_asks_for_more()
    {
        await using var capped = await AgentMailHarness.StartAsync(new Dictionary<string, string> { ["MaxRetryAfter"] = "00:00:00.300" });
        await capped.WarmUpAsync();
        await capped.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.CreateInbox, error_status = 429, retry_after_seconds = 60, times = 1 });

        var clock = Stopwatch.StartNew();
        await capped.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);

        // Below the 60 s asked and the 5 s the harness's own cap would give.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.29), TimeSpan.FromSeconds(4));
        Assert.Equal(2, capped.Requests.To(HttpMethod.Post, "/v0/inboxes"));
    }

    [Fact]
    public async Task Should_wait_until_a_Retry_After_date_then_succeed()
    {
        // A cap of a minute, so a date misread as far off (a local time taken for UTC, say) is a minute's wait, well past
        // the bound, not the harness's 5 s, which a loaded machine comes close to.
        await using var dated = await AgentMailHarness.StartAsync(new Dictionary<string, string> { ["MaxRetryAfter"] = "00:01:00" }, () => new RetryAfterAsDate());
        await dated.WarmUpAsync();
        await dated.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.CreateInbox, error_status = 503, retry_after_seconds = 2, times = 1 });

        var clock = Stopwatch.StartNew();
        await dated.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);

        // An HTTP-date has whole seconds: "now + 2 s" is between 1 and 2 s away once truncated.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(10));
        Assert.Equal(2, dated.Requests.To(HttpMethod.Post, "/v0/inboxes"));
    }

    [Fact]
    public async Task Should_retry_503_twice_and_succeed_on_the_third_attempt()
    {
        await _agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.CreateInbox, error_status = 503, retry_after_seconds = 0, times = 2 });
        var create = AgentMailHarness.NewInbox();

        var inbox = await _agentMail.Client.CreateInboxAsync(create, default);

        Assert.Equal(create.ClientId, inbox.ClientId);
        Assert.Equal(3, _agentMail.Requests.To(HttpMethod.Post, "/v0/inboxes"));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Should_retry_each_transient_status(int status)
    {
        await _agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.GetInbox, error_status = status, retry_after_seconds = 0, times = 1 });

        Assert.Null(await _agentMail.Client.GetInboxAsync("nobody@agentmail.to", default));
        Assert.Equal(2, _agentMail.Requests.All.Count);
    }

    [Fact]
    public async Task Should_give_up_with_AgentMailUnavailableException_after_MaxRetries_plus_one_attempts()
    {
        // Exactly four failures: a fifth attempt would succeed, a third-and-last would leave the rule unspent.
        await _agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.CreateInbox, error_status = 503, retry_after_seconds = 0, times = 4 });

        var unavailable = await Assert.ThrowsAsync<AgentMailUnavailableException>(() => _agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default));

        Assert.Equal(AgentMailUnavailableReason.TransientStatus, unavailable.Reason);
        Assert.Equal(503, unavailable.StatusCode);
        Assert.Contains("503", unavailable.Message, StringComparison.Ordinal);
        Assert.Contains("4 attempt(s)", unavailable.Message, StringComparison.Ordinal);
        Assert.Equal(4, _agentMail.Requests.To(HttpMethod.Post, "/v0/inboxes"));
        Assert.Equal("{\"faults\":[]}", await _agentMail.Sandbox.Http.GetStringAsync("sandbox/faults"));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(422)]
    public async Task Should_not_retry_a_definitive_4xx(int status)
    {
        await _agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.CreateInbox, error_status = status });

        var refused = await Assert.ThrowsAsync<AgentMailException>(() => _agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default));

        Assert.Equal(status, refused.StatusCode);
        Assert.False(refused.IsTaken);
        Assert.Single(_agentMail.Requests.All);
    }

    [Fact]
    public async Task Should_not_retry_a_request_the_api_finds_invalid()
    {
        var invalid = await Assert.ThrowsAsync<AgentMailException>(() =>
            _agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(username: "no..dots"), default));

        Assert.Equal(400, invalid.StatusCode);
        Assert.Equal("ValidationError", invalid.Name);
        Assert.Single(_agentMail.Requests.All);
    }

    [Fact]
    public async Task Should_abandon_a_hung_attempt_after_AttemptTimeout_and_retry_it()
    {
        // Long enough that the retry, which does not hang, is answered within it on a busy CI machine (at 0.5 s the
        // retry itself once timed out there, and a third attempt was made).
        await using var impatient = await AgentMailHarness.StartAsync(new Dictionary<string, string> { ["AttemptTimeout"] = "00:00:02" });
        await impatient.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.GetInbox, hang = true, times = 1 });

        var clock = Stopwatch.StartNew();
        var inbox = await impatient.Client.GetInboxAsync("nobody@agentmail.to", default);

        Assert.Null(inbox);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.99), TimeSpan.FromSeconds(10));
        Assert.Equal(2, impatient.Requests.All.Count);
    }

    // HttpClient reads the body after the handlers return, under its own timeout, which the client turns off: a body
    // that stalled after the headers held the call, and whatever waited on it, for good.
    [Fact]
    public async Task Should_abandon_an_attempt_whose_answer_stalls_after_its_headers_and_retry_it()
    {
        await using var impatient = await AgentMailHarness.StartAsync(new Dictionary<string, string> { ["AttemptTimeout"] = "00:00:02" });
        var inboxId = await impatient.CreateInboxDirectlyAsync();
        await impatient.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.GetInbox, stall_body = true, times = 1 });

        var read = impatient.Client.GetInboxAsync(inboxId, default);

        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.Equal(inboxId, (await read)!.InboxId);
        Assert.Equal(2, impatient.Requests.All.Count);
    }

    [Fact]
    public async Task Should_report_a_timeout_when_every_attempt_hangs()
    {
        await using var impatient = await AgentMailHarness.StartAsync(new Dictionary<string, string> { ["AttemptTimeout"] = "00:00:00.200", ["MaxRetries"] = "1" });
        await impatient.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.GetInbox, hang = true });

        var unavailable = await Assert.ThrowsAsync<AgentMailUnavailableException>(() => impatient.Client.GetInboxAsync("nobody@agentmail.to", default));

        Assert.Equal(AgentMailUnavailableReason.Timeout, unavailable.Reason);
        Assert.Contains("no answer within", unavailable.Message, StringComparison.Ordinal);
        Assert.Equal(2, impatient.Requests.All.Count);
    }

    [Fact]
    public async Task Should_report_unreachable_when_nothing_answers_at_the_base_url()
    {
        await using var nowhere = await AgentMailHarness.StartAsync(new Dictionary<string, string> { ["BaseUrl"] = "http://127.0.0.1:1/agentmail" });

        var unavailable = await Assert.ThrowsAsync<AgentMailUnavailableException>(() => nowhere.Client.GetInboxAsync("nobody@agentmail.to", default));

        Assert.Equal(AgentMailUnavailableReason.Unreachable, unavailable.Reason);
        Assert.IsType<HttpRequestException>(unavailable.InnerException);
        Assert.Equal(4, nowhere.Requests.All.Count);
    }

    [Fact]
    public async Task Should_leave_the_callers_own_cancellation_as_a_cancellation()
    {
        await _agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.GetInbox, hang = true });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _agentMail.Client.GetInboxAsync("nobody@agentmail.to", cancellation.Token));

        Assert.Single(_agentMail.Requests.All);
    }

    [Fact]
    public async Task Should_log_each_retry_with_operation_status_attempt_and_delay_and_never_a_body()
    {
        var inbox = await _agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);
        await _agentMail.AddFaultAsync(new { api = "agentmail", operation = AgentMailOperations.CreateInboxWebhook, error_status = 503, retry_after_seconds = 0, times = 2 });

        await _agentMail.Client.CreateInboxWebhookAsync(inbox.InboxId, new CreateInboxWebhook("https://orders.example/hook", ["message.received"], "webhook-log-spec"), default);

        var retries = _agentMail.Logs.Lines.Where(l => l.Contains("retrying in", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, l => Assert.Contains("inbox_webhooks.create", l, StringComparison.Ordinal));
        Assert.All(retries, l => Assert.Contains("HTTP 503", l, StringComparison.Ordinal));
        Assert.Contains("attempt 1 failed", retries[0], StringComparison.Ordinal);
        Assert.Contains("attempt 2 failed", retries[1], StringComparison.Ordinal);
        Assert.Contains("retrying in 0 ms", retries[0], StringComparison.Ordinal);
        Assert.DoesNotContain(_agentMail.Logs.Lines, l => l.Contains("whsec_", StringComparison.Ordinal) || l.Contains("orders.example", StringComparison.Ordinal));
    }
}
