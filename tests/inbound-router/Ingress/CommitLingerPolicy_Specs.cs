using OrdersMail.InboundRouter.Ingress;

namespace OrdersMail.InboundRouter.Tests.Ingress;

/// <summary>
/// When a group-commit writer waits a moment for more events: only a small batch, only while events arrive steadily
/// (its last commit ended moments ago), never with the wait turned off. An event after a quiet spell is not held back.
/// </summary>
public sealed class CommitLingerPolicy_Specs
{
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(2);

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(7, 9.9)]
    public void Should_wait_for_more_when_a_small_batch_follows_a_commit_moments_ago(int gathered, double msSinceLastCommit) =>
        Assert.True(CommitLingerPolicy.ShouldWait(gathered, TimeSpan.FromMilliseconds(msSinceLastCommit), Linger));

    [Theory]
    [InlineData(1, 10)]
    [InlineData(1, 33)]
    [InlineData(3, 60_000)]
    public void Should_commit_at_once_when_events_do_not_arrive_steadily(int gathered, double msSinceLastCommit) =>
        Assert.False(CommitLingerPolicy.ShouldWait(gathered, TimeSpan.FromMilliseconds(msSinceLastCommit), Linger));

    [Fact]
    public void Should_commit_the_first_event_after_a_start_at_once() =>
        Assert.False(CommitLingerPolicy.ShouldWait(1, TimeSpan.MaxValue, Linger));

    [Fact]
    public void Should_commit_a_batch_that_is_not_small_at_once() =>
        Assert.False(CommitLingerPolicy.ShouldWait(CommitLingerPolicy.SmallBatch, TimeSpan.FromMilliseconds(0.5), Linger));

    [Fact]
    public void Should_never_wait_when_the_linger_is_off() =>
        Assert.False(CommitLingerPolicy.ShouldWait(1, TimeSpan.FromMilliseconds(0.5), TimeSpan.Zero));
}
