using System.Globalization;

namespace OrdersMail.Integrations.Resend.Tests;

/// <summary>
/// How long a quota refusal pauses every Resend call of the process (docs/resend.md §3): as long as its
/// <c>Retry-After</c> asks, seconds or an HTTP-date, within bounds, else <c>Resend:QuotaPause</c>; and the quota's
/// return, logged once when Resend first accepts a call after the pause. The sandbox's fault sends the header as given.
/// </summary>
public sealed class QuotaPause_Specs
{
    private const string Quota = "daily_quota_exceeded";

    /// <summary>
    /// Before, every pause lasted QuotaPause whatever Resend said: mail waited 10 min for a quota back in one, or asked
    /// again every 10 min through a day-long one. A header too short to be the quota's (the rate limit's retry-after)
    /// pauses at least a minute, or QuotaPause when that is shorter; one past a day, a day; one that is not a number of
    /// seconds nor a date, QuotaPause.
    /// </summary>
    [Theory]
    [InlineData("00:10:00", "90", "00:01:30")]
    [InlineData("00:00:01", "1200", "00:20:00")]
    [InlineData("00:10:00", "0", "00:01:00")]
    [InlineData("00:00:05", "0", "00:00:05")]
    [InlineData("00:10:00", "172800", "1.00:00:00")]
    [InlineData("00:10:00", "soon", "00:10:00")]
    [InlineData("00:10:00", "-5", "00:10:00")]
    public async Task Should_pause_as_long_as_a_quota_429s_Retry_After_asks_within_bounds(string quotaPause, string retryAfter, string expected)
    {
        var pause = TimeSpan.Parse(expected, CultureInfo.InvariantCulture);
        await using var resend = await ResendHarness.StartAsync(new Dictionary<string, string> { ["QuotaPause"] = quotaPause });
        await resend.AddFaultAsync(new { api = "resend", operation = "emails.*", error_status = 429, error_name = Quota, retry_after = retryAfter, times = 1 });

        var before = DateTimeOffset.UtcNow;
        var refused = await Assert.ThrowsAsync<ResendQuotaExceededException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));
        var after = DateTimeOffset.UtcNow;
        var during = await Assert.ThrowsAsync<ResendQuotaExceededException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));

        Assert.InRange(refused.PausedUntil, before + pause, after + pause);
        Assert.Equal(refused.PausedUntil, during.PausedUntil);
        Assert.Single(resend.Requests.All);
        Assert.Contains(resend.Logs.Lines, l => l.StartsWith("Error: ", StringComparison.Ordinal) && l.Contains($"unsent for {pause:c}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_pause_until_a_quota_429s_Retry_After_date()
    {
        await using var resend = await ResendHarness.StartAsync();
        var date = DateTimeOffset.UtcNow.AddHours(2).ToString("R", CultureInfo.InvariantCulture);
        var until = DateTimeOffset.Parse(date, CultureInfo.InvariantCulture);
        await resend.AddFaultAsync(new { api = "resend", operation = "emails.*", error_status = 429, error_name = Quota, retry_after = date, times = 1 });

        var refused = await Assert.ThrowsAsync<ResendQuotaExceededException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));

        Assert.Equal(until, refused.PausedUntil);
    }

    [Fact]
    public async Task Should_pause_the_shortest_pause_for_a_quota_429s_Retry_After_date_already_past()
    {
        await using var resend = await ResendHarness.StartAsync();
        await resend.AddFaultAsync(new { api = "resend", operation = "emails.*", error_status = 429, error_name = Quota, retry_after = "Wed, 21 Oct 2015 07:28:00 GMT", times = 1 });

        var before = DateTimeOffset.UtcNow;
        var refused = await Assert.ThrowsAsync<ResendQuotaExceededException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));

        Assert.InRange(refused.PausedUntil, before + ResendOptions.ShortestQuotaRetryAfter, DateTimeOffset.UtcNow + ResendOptions.ShortestQuotaRetryAfter);
    }

    /// <summary>
    /// Before, the quota's return went unlogged: ops saw the pause's error and nothing after it, and could not tell a
    /// quota back from one still used up without reading the sends. An ordinary acceptance logs nothing.
    /// </summary>
    [Fact]
    public async Task Should_log_once_at_Information_when_Resend_accepts_a_call_again_after_a_quota_pause()
    {
        await using var resend = await ResendHarness.StartAsync(new Dictionary<string, string> { ["QuotaPause"] = "00:00:01" });
        await resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default);
        await resend.AddFaultAsync(new { api = "resend", operation = "emails.*", error_status = 429, error_name = Quota, retry_after_seconds = 1, times = 1 });
        var refused = await Assert.ThrowsAsync<ResendQuotaExceededException>(() => resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default));
        Assert.DoesNotContain(resend.Logs.Lines, IsQuotaBack);

        var left = refused.PausedUntil - DateTimeOffset.UtcNow;
        await Task.Delay(left > TimeSpan.Zero ? left + TimeSpan.FromMilliseconds(50) : TimeSpan.Zero);
        await resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default);
        await resend.Client.SendAsync(ResendHarness.NewEmail(), ResendHarness.NewKey(), default);

        var back = Assert.Single(resend.Logs.Lines, IsQuotaBack);
        Assert.StartsWith("Information: ", back, StringComparison.Ordinal);
        Assert.Contains(Quota, back, StringComparison.Ordinal);
    }

    private static bool IsQuotaBack(string line) => line.Contains("the quota is back", StringComparison.Ordinal);
}
