using OrdersMail.MailSandbox.Resend;
using OrdersMail.Testing;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary>The token bucket behind Resend's rate limit, on a manual clock.</summary>
public sealed class TokenBucket_Specs
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void When_a_burst_of_rate_requests_arrives_Should_pass_them_and_refuse_the_next()
    {
        var bucket = new TokenBucket(5, _clock);

        var passed = Enumerable.Range(0, 5).Select(_ => bucket.Take()).ToList();
        var refused = bucket.Take();

        Assert.All(passed, d => Assert.True(d.Allowed));
        Assert.Equal([4, 3, 2, 1, 0], passed.Select(d => d.Remaining));
        Assert.All(passed, d => Assert.Equal(5, d.Limit));
        Assert.False(refused.Allowed);
        Assert.Equal(0, refused.Remaining);
        Assert.Equal(1, refused.RetryAfterSeconds);
        Assert.Equal(1, refused.ResetSeconds);
    }

    [Fact]
    public void When_time_passes_Should_refill_at_the_rate_up_to_the_limit()
    {
        var bucket = new TokenBucket(5, _clock);
        for (var i = 0; i < 5; i++)
        {
            bucket.Take();
        }

        _clock.Advance(TimeSpan.FromMilliseconds(200));
        var oneRefilled = bucket.Take();
        var stillEmpty = bucket.Take();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var full = bucket.Take();

        Assert.True(oneRefilled.Allowed);
        Assert.False(stillEmpty.Allowed);
        Assert.True(full.Allowed);
        Assert.Equal(4, full.Remaining);
    }
}
