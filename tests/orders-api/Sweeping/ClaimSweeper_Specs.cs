using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Sweeping;

namespace OrdersMail.OrdersApi.Tests.Sweeping;

public sealed class ClaimSweeper_Specs
{
    [Fact]
    public async Task When_a_sweep_throws_what_nobody_foresaw_Should_sweep_again_and_leave_the_host_running()
    {
        using var sweeper = new FailingOnceSweeper();

        await sweeper.StartAsync(CancellationToken.None);
        var swept = await sweeper.SweptAgain.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await sweeper.StopAsync(CancellationToken.None);

        Assert.Equal(2, swept);
        Assert.False(sweeper.ExecuteTask!.IsFaulted, "the sweeper's loop ended with the exception, which stops the host");
    }

    private sealed class SpecSweepOptions : ClaimSweepOptions;

    // Its first sweep throws an exception of no kind the loop knows; its second says when it ran.
    private sealed class FailingOnceSweeper()
        : ClaimSweeper<SpecSweepOptions>(Options.Create(new SpecSweepOptions { SweepInterval = TimeSpan.FromMilliseconds(20) }), NullLogger.Instance)
    {
        private int _sweeps;

        public TaskCompletionSource<int> SweptAgain { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<bool> SweepAsync(CancellationToken cancellationToken)
        {
            var sweep = Interlocked.Increment(ref _sweeps);
            if (sweep == 1)
            {
                throw new InvalidOperationException("A fault nobody foresaw.");
            }

            SweptAgain.TrySetResult(sweep);
            return Task.FromResult(false);
        }
    }
}
