using System.Globalization;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary>
/// Resend's rate limit at its default of 5 requests per second per key (docs/resend.md §3).
/// Requests go out back to back until one is refused, so a slow machine (tokens refilling meanwhile) only makes
/// the burst longer, never the spec flaky.
/// </summary>
public sealed class RateLimit_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private const int MaxRequests = 100;

    [Fact]
    public async Task When_more_requests_than_the_rate_arrive_at_once_Should_answer_429_until_a_token_is_free()
    {
        using var client = factory.ResendWithOwnKey();

        var (passed, refused) = await BurstAsync(() => client.SendEmailAsync(ResendCalls.Email()));
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        await Task.Delay(retryAfter ?? TimeSpan.Zero);
        using var afterWaiting = await client.SendEmailAsync(ResendCalls.Email());

        Assert.InRange(passed.Count, 5, MaxRequests - 1);
        Assert.All(passed, r => Assert.Equal(200, (int)r.StatusCode));
        Assert.All(passed, r => Assert.Equal("5", Header(r, "ratelimit-limit")));
        Assert.Equal("4", Header(passed[0], "ratelimit-remaining"));
        Assert.Equal("0", Header(passed[^1], "ratelimit-remaining"));
        await refused.ShouldBeResendErrorAsync(429, "rate_limit_exceeded");
        Assert.NotNull(retryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter.Value);
        Assert.Equal("5", Header(refused, "ratelimit-limit"));
        Assert.Equal("0", Header(refused, "ratelimit-remaining"));
        Assert.Equal(1, int.Parse(Header(refused, "ratelimit-reset"), CultureInfo.InvariantCulture));
        Assert.Equal(200, (int)afterWaiting.StatusCode);
        passed.ForEach(r => r.Dispose());
        refused.Dispose();
    }

    [Fact]
    public async Task When_a_batch_of_100_is_sent_Should_count_as_one_request()
    {
        using var client = factory.ResendWithOwnKey();

        var (passed, refused) = await BurstAsync(() => client.SendBatchAsync(ResendCalls.Emails(100)));

        Assert.InRange(passed.Count, 5, MaxRequests - 1);
        Assert.All(passed, r => Assert.Equal(200, (int)r.StatusCode));
        Assert.Equal("4", Header(passed[0], "ratelimit-remaining"));
        foreach (var batch in passed)
        {
            Assert.Equal(100, (await batch.JsonAsync())["data"]!.AsArray().Count);
        }

        await refused.ShouldBeResendErrorAsync(429, "rate_limit_exceeded");
        passed.ForEach(r => r.Dispose());
        refused.Dispose();
    }

    [Fact]
    public async Task When_one_key_is_throttled_Should_leave_other_keys_alone()
    {
        using var busy = factory.ResendWithOwnKey();
        using var quiet = factory.ResendWithOwnKey();

        var (passed, throttled) = await BurstAsync(() => busy.GetAsync($"/resend/emails/{Guid.NewGuid()}"));
        using var other = await quiet.GetAsync($"/resend/emails/{Guid.NewGuid()}");

        Assert.Equal(429, (int)throttled.StatusCode);
        Assert.Equal(404, (int)other.StatusCode);
        Assert.Equal("4", Header(other, "ratelimit-remaining"));
        passed.ForEach(r => r.Dispose());
        throttled.Dispose();
    }

    private static async Task<(List<HttpResponseMessage> Passed, HttpResponseMessage Refused)> BurstAsync(Func<Task<HttpResponseMessage>> send)
    {
        var passed = new List<HttpResponseMessage>();
        for (var i = 0; i < MaxRequests; i++)
        {
            var response = await send();
            if ((int)response.StatusCode == 429)
            {
                return (passed, response);
            }

            passed.Add(response);
        }

        throw new InvalidOperationException($"No 429 after {MaxRequests} requests.");
    }

    private static string Header(HttpResponseMessage response, string name) => string.Join(",", response.Headers.GetValues(name));
}
