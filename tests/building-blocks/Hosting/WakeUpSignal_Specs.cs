using System.Runtime.ExceptionServices;
using OrdersMail.BuildingBlocks.Outbox;

namespace OrdersMail.BuildingBlocks.Tests.Hosting;

/// <summary>Every poll of an idle loop is a wait that times out: it must cost no exception, thrown and caught anywhere.</summary>
[Collection(nameof(WakeUpSignal_Specs))]
public sealed class WakeUpSignal_Specs
{
    private const int Waits = 20;

    [Fact]
    public async Task When_waits_time_out_Should_answer_false_without_a_cancellation_each()
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

        // Counted process-wide, because a cancelled channel wait throws inside the runtime, on a pool thread, rethrown
        // from where it was stored (no stack tells it apart), not in the caller's flow. This class runs alone (its
        // collection is not parallel), and a cancellation each wait would be 20; fewer than half leaves room for ones
        // this spec does not own, such as a finished spec's host still unwinding on a busy machine.
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (var i = 0; i < Waits; i++)
            {
                Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None));
            }

            // A cancellation the last wait caused would reach the pool a moment later.
            await Task.Delay(200);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.True(cancellations < Waits / 2, $"{cancellations} cancellations thrown during {Waits} waits that timed out");
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
