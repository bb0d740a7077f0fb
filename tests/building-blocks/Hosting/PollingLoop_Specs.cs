using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.BuildingBlocks.Tests.Hosting;

public sealed class PollingLoop_Specs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task When_a_pass_throws_what_nobody_foresaw_Should_report_it_and_pass_again_after_the_interval()
    {
        using var stopping = new CancellationTokenSource();
        var passes = 0;
        var passedAgain = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = new List<Exception>();

        var loop = PollingLoop.RunAsync(
            _ =>
            {
                if (Interlocked.Increment(ref passes) == 1)
                {
                    throw new InvalidOperationException("A fault nobody foresaw.");
                }

                passedAgain.TrySetResult();
                return Task.FromResult(false);
            },
            () => TimeSpan.FromMilliseconds(20),
            failures.Add,
            stopping.Token);

        await passedAgain.Task.WaitAsync(Timeout);
        await stopping.CancelAsync();
        await loop.WaitAsync(Timeout);

        Assert.Equal("A fault nobody foresaw.", Assert.Single(failures).Message);
    }

    [Fact]
    public async Task When_passes_come_back_full_Should_pass_again_at_once_and_wait_the_interval_only_after_one_that_is_not()
    {
        using var stopping = new CancellationTokenSource();
        var passes = 0;
        var waitedAfter = -1;
        var settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var loop = PollingLoop.RunAsync(
            _ => Task.FromResult(Interlocked.Increment(ref passes) < 3),
            () =>
            {
                waitedAfter = Volatile.Read(ref passes);
                settled.TrySetResult();
                return TimeSpan.FromHours(1);
            },
            e => Assert.Fail($"No pass failed, yet {e.Message}"),
            stopping.Token);

        await settled.Task.WaitAsync(Timeout);
        await stopping.CancelAsync();
        await loop.WaitAsync(Timeout);

        Assert.Equal(3, waitedAfter);
        Assert.Equal(3, passes);
    }

    [Fact]
    public async Task When_stopped_during_a_pass_Should_end_without_reporting_the_cancellation_as_a_failure()
    {
        using var stopping = new CancellationTokenSource();
        var passing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = new List<Exception>();

        var loop = PollingLoop.RunAsync(
            async cancellationToken =>
            {
                passing.TrySetResult();
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
                return false;
            },
            () => TimeSpan.FromMilliseconds(20),
            failures.Add,
            stopping.Token);

        await passing.Task.WaitAsync(Timeout);
        await stopping.CancelAsync();
        await loop.WaitAsync(Timeout);

        Assert.Empty(failures);
    }
}
