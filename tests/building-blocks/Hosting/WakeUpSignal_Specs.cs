using System.Runtime.ExceptionServices;
using OrdersMail.BuildingBlocks.Outbox;

namespace OrdersMail.BuildingBlocks.Tests.Hosting;

/// <summary>Every poll of an idle loop is a wait that times out: it must cost no exception, thrown and caught anywhere.</summary>
[Collection(nameof(WakeUpSignal_Specs))]
public sealed class WakeUpSignal_Specs
{
    [Fact]
    public async Task When_waits_time_out_Should_answer_false_and_throw_nothing_anywhere_in_the_process()
    {
        var signal = new OutboxSignal();
        var cancellations = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is OperationCanceledException)
            {
                Interlocked.Increment(ref cancellations);
            }
        }

        // Process-wide, because a cancelled channel wait throws inside the runtime, on a pool thread, not in the caller's
        // flow; this class runs alone (its collection is not parallel), so nothing else is cancelling meanwhile.
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));
            }

            // A cancellation the last wait caused would reach the pool a moment later.
            await Task.Delay(200);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, cancellations);
        signal.Notify();
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    [Fact]
    public async Task When_two_loops_wait_on_one_signal_Should_wake_one_per_notification()
    {
        var signal = new OutboxSignal();
        var waits = new[] { signal.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None), signal.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None) };

        signal.Notify();
        var first = await Task.WhenAny(waits).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await first);

        // The other loop is not woken for a notification it cannot take (a loop woken for nothing looks for work anyway).
        var other = waits.Single(w => w != first);
        await Task.Delay(200);
        Assert.False(other.IsCompleted);
        signal.Notify();
        Assert.True(await other.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}

/// <summary>Runs <see cref="WakeUpSignal_Specs"/> alone, after the parallel classes.</summary>
[CollectionDefinition(nameof(WakeUpSignal_Specs), DisableParallelization = true)]
public sealed class WakeUpSignalsAlone;
