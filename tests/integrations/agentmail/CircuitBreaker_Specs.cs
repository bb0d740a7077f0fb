using OrdersMail.Testing;

namespace OrdersMail.Integrations.AgentMail.Tests;

/// <summary>
/// The circuit breaker: after enough failed attempts it opens, and calls fail at once with
/// <see cref="AgentMailUnavailableException"/> without reaching AgentMail; after the break a call goes through again.
/// </summary>
public sealed class CircuitBreaker_Specs
{
    private const string Nobody = "nobody@agentmail.to";

    private static readonly Dictionary<string, string> Breaker = new()
    {
        ["MaxRetries"] = "0",
        ["BreakerFailureRatio"] = "0.5",
        ["BreakerMinimumThroughput"] = "4",
        ["BreakerSamplingDuration"] = "00:00:10",
        ["BreakDuration"] = "00:00:30",
    };

    [Fact]
    public async Task Should_open_after_repeated_failures_and_then_fail_fast_without_calling_AgentMail()
    {
        await using var agentMail = await AgentMailHarness.StartAsync(Breaker);
        await agentMail.AddFaultAsync(new { api = "agentmail", operation = "*", error_status = 503, retry_after_seconds = 0 });
        for (var i = 0; i < 4; i++)
        {
            var failed = await Assert.ThrowsAsync<AgentMailUnavailableException>(() => agentMail.Client.GetInboxAsync(Nobody, default));
            Assert.Equal(AgentMailUnavailableReason.TransientStatus, failed.Reason);
        }

        await agentMail.ClearFaultsAsync();
        var open = await Assert.ThrowsAsync<AgentMailUnavailableException>(() => agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default));

        Assert.Equal(AgentMailUnavailableReason.CircuitOpen, open.Reason);
        Assert.Contains("circuit is open", open.Message, StringComparison.Ordinal);
        Assert.Equal(4, agentMail.Requests.All.Count);
        await LoggedAsync(agentMail, "AgentMail circuit opened");
    }

    [Fact]
    public async Task Should_let_calls_through_again_once_the_break_is_over()
    {
        await using var agentMail = await AgentMailHarness.StartAsync(new Dictionary<string, string>(Breaker) { ["BreakDuration"] = "00:00:00.500" });
        await agentMail.AddFaultAsync(new { api = "agentmail", operation = "*", error_status = 500, times = 4 });
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<AgentMailUnavailableException>(() => agentMail.Client.GetInboxAsync(Nobody, default));
        }

        await Task.Delay(TimeSpan.FromMilliseconds(600));

        Assert.Null(await agentMail.Client.GetInboxAsync(Nobody, default));
        await LoggedAsync(agentMail, "AgentMail circuit closed");
    }

    [Fact]
    public async Task Should_not_count_definitive_answers_as_failures()
    {
        await using var agentMail = await AgentMailHarness.StartAsync(Breaker);
        for (var i = 0; i < 6; i++)
        {
            Assert.Null(await agentMail.Client.GetInboxAsync(Nobody, default));
        }

        Assert.NotNull(await agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default));
        Assert.Equal(7, agentMail.Requests.All.Count);
    }

    [Fact]
    public async Task Should_not_count_rate_limits_as_failures()
    {
        await using var agentMail = await AgentMailHarness.StartAsync(Breaker);
        await agentMail.AddFaultAsync(new { api = "agentmail", operation = "*", error_status = 429, retry_after_seconds = 0, times = 6 });
        for (var i = 0; i < 6; i++)
        {
            var limited = await Assert.ThrowsAsync<AgentMailUnavailableException>(() => agentMail.Client.GetInboxAsync(Nobody, default));
            Assert.Equal(AgentMailUnavailableReason.TransientStatus, limited.Reason);
        }

        Assert.NotNull(await agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default));
        Assert.Equal(7, agentMail.Requests.All.Count);
    }

    // Polly raises circuit events with eventual consistency, so their log lines may trail the call a little.
    private static async Task LoggedAsync(AgentMailHarness agentMail, string line) => await Eventually.Until(
        () => Task.FromResult(agentMail.Logs.Lines),
        lines => lines.Any(l => l.Contains(line, StringComparison.Ordinal)),
        TimeSpan.FromSeconds(5),
        $"the log line '{line}'");
}
