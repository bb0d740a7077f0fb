using OrdersMail.Testing;

namespace OrdersMail.Integrations.Resend.Tests;

/// <summary>
/// The circuit breaker: after enough failed attempts it opens, and sends fail at once with
/// <see cref="ResendUnavailableException"/> without reaching Resend; after the break a send goes through again. A rate
/// limit (429) is Resend working as designed and never opens it.
/// </summary>
public sealed class CircuitBreaker_Specs
{
    private static readonly Dictionary<string, string> Breaker = new()
    {
        ["MaxRetries"] = "0",
        ["BreakerFailureRatio"] = "0.5",
        ["BreakerMinimumThroughput"] = "4",
        ["BreakerSamplingDuration"] = "00:00:10",
        ["BreakDuration"] = "00:00:30",
    };

    [Fact]
    public async Task Should_open_after_repeated_failures_and_then_fail_fast_without_calling_Resend()
    {
        await using var resend = await ResendHarness.StartAsync(Breaker);
        await resend.AddFaultAsync(new { api = "resend", operation = "*", error_status = 503, retry_after_seconds = 0 });
        for (var i = 0; i < 4; i++)
        {
            var failed = await Assert.ThrowsAsync<ResendUnavailableException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));
            Assert.Equal(503, failed.StatusCode);
        }

        await resend.ClearFaultsAsync();
        var email = ResendHarness.NewEmail();
        var open = await Assert.ThrowsAsync<ResendUnavailableException>(() => resend.Client.SendAsync(email, ResendHarness.NewKey(), default));

        Assert.Contains("circuit is open", open.Message, StringComparison.Ordinal);
        Assert.Equal(4, resend.Requests.All.Count);
        Assert.Equal(0, await resend.SendsOfAsync(email.Subject));
        await LoggedAsync(resend, "Resend circuit opened");
    }

    [Fact]
    public async Task Should_let_sends_through_again_once_the_break_is_over()
    {
        await using var resend = await ResendHarness.StartAsync(new Dictionary<string, string>(Breaker) { ["BreakDuration"] = "00:00:00.500" });
        await resend.AddFaultAsync(new { api = "resend", operation = "*", error_status = 500, times = 4 });
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<ResendUnavailableException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));
        }

        var email = ResendHarness.NewEmail();
        await Eventually.Until(
            async () =>
            {
                try
                {
                    return await resend.Client.SendAsync(email, ResendHarness.NewKey(), default);
                }
                catch (ResendUnavailableException)
                {
                    return null;
                }
            },
            id => id is not null,
            TimeSpan.FromSeconds(10),
            "a send to go through after the break",
            TimeSpan.FromMilliseconds(200));

        Assert.Equal(1, await resend.SendsOfAsync(email.Subject));
    }

    [Fact]
    public async Task Should_not_count_definitive_refusals_as_failures()
    {
        await using var resend = await ResendHarness.StartAsync(Breaker);
        for (var i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<ResendException>(() => resend.Client.SendAsync(ResendHarness.NewEmail() with { To = ["not an address"] }, ResendHarness.NewKey(), default));
        }

        await resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default);
        Assert.Equal(7, resend.Requests.All.Count);
    }

    [Fact]
    public async Task Should_not_count_rate_limits_as_failures()
    {
        await using var resend = await ResendHarness.StartAsync(Breaker);
        await resend.AddFaultAsync(new { api = "resend", operation = "*", error_status = 429, retry_after_seconds = 0, times = 6 });
        for (var i = 0; i < 6; i++)
        {
            var limited = await Assert.ThrowsAsync<ResendUnavailableException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));
            Assert.Equal(429, limited.StatusCode);
        }

        await resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default);
        Assert.Equal(7, resend.Requests.All.Count);
    }

    // Polly raises circuit events with eventual consistency, so their log lines may trail the call a little.
    private static async Task LoggedAsync(ResendHarness resend, string line) => await Eventually.Until(
        () => Task.FromResult(resend.Logs.Lines),
        lines => lines.Any(l => l.Contains(line, StringComparison.Ordinal)),
        TimeSpan.FromSeconds(5),
        $"the log line '{line}'");
}
