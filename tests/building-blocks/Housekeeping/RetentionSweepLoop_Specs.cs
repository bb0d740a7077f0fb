using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Housekeeping;

namespace OrdersMail.BuildingBlocks.Tests.Housekeeping;

/// <summary>The sweep's loop alone: no database is reached, the sweep having nothing to sweep.</summary>
public sealed class RetentionSweepLoop_Specs
{
    [Fact]
    public async Task When_a_sweep_throws_what_is_not_a_database_error_Should_sweep_again_at_the_next_tick_and_leave_the_host_running()
    {
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");
        var clock = new FailingOnceClock();
        using var sweep = new RetentionSweep(
            dataSource, [], Options.Create(new RetentionOptions { Every = TimeSpan.FromMilliseconds(20) }), clock, NullLogger<RetentionSweep>.Instance);

        await sweep.StartAsync(CancellationToken.None);
        await clock.ReadAgain.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await sweep.StopAsync(CancellationToken.None);

        Assert.False(sweep.ExecuteTask!.IsFaulted, "the sweep's loop ended with the exception, which stops the host");
    }

    // Its first reading of the time throws, as a fault nobody foresaw would; the next says it was read again.
    private sealed class FailingOnceClock : TimeProvider
    {
        private int _reads;

        public TaskCompletionSource ReadAgain { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override DateTimeOffset GetUtcNow()
        {
            if (Interlocked.Increment(ref _reads) == 1)
            {
                throw new InvalidOperationException("A fault nobody foresaw.");
            }

            ReadAgain.TrySetResult();
            return base.GetUtcNow();
        }
    }
}
