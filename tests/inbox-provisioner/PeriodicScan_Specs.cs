using Microsoft.Extensions.Logging.Abstractions;

namespace OrdersMail.InboxProvisioner.Tests;

/// <summary>
/// A scan's looks never overlap: asks that come while one runs (ops through the endpoint, the timer) share the next look,
/// which starts when the running one ends; an asker who gives up stops waiting without stopping the look.
/// </summary>
public sealed class PeriodicScan_Specs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Three asks during a look cost one look more, and an ask after that one began waits for a third.</summary>
    [Fact]
    public async Task Should_answer_the_asks_made_during_a_look_with_one_next_look()
    {
        using var scan = new GatedScan();
        var first = scan.LookAsync(CancellationToken.None);
        Assert.Equal(1, scan.Started);

        var during = new[] { scan.LookAsync(CancellationToken.None), scan.LookAsync(CancellationToken.None), scan.LookAsync(CancellationToken.None) };
        Assert.Equal(1, scan.Started);

        scan.Finish();
        Assert.Equal(1, await first.WaitAsync(Patience));
        await scan.WaitStartedAsync(2);
        var afterSecondBegan = scan.LookAsync(CancellationToken.None);

        scan.Finish();
        var answers = await Task.WhenAll(during).WaitAsync(Patience);
        Assert.All(answers, answer => Assert.Equal(2, answer));
        Assert.False(afterSecondBegan.IsCompleted);
        await scan.WaitStartedAsync(3);

        scan.Finish();
        Assert.Equal(3, await afterSecondBegan.WaitAsync(Patience));
        Assert.Equal(3, scan.Started);
    }

    /// <summary>One asker giving up does not cancel the look that another waits for.</summary>
    [Fact]
    public async Task Should_keep_the_look_going_for_the_others_when_one_asker_gives_up()
    {
        using var scan = new GatedScan();
        var running = scan.LookAsync(CancellationToken.None);
        using var impatient = new CancellationTokenSource();
        var gaveUp = scan.LookAsync(impatient.Token);
        var patient = scan.LookAsync(CancellationToken.None);

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);

        scan.Finish();
        Assert.Equal(1, await running.WaitAsync(Patience));
        scan.Finish();
        Assert.Equal(2, await patient.WaitAsync(Patience));
    }

    /// <summary>A look that fails fails each of its askers with its error, and the next ask gets a look of its own.</summary>
    [Fact]
    public async Task Should_fail_every_asker_of_a_failed_look_and_look_again_at_the_next_ask()
    {
        using var scan = new GatedScan { FailFirst = true };
        var first = scan.LookAsync(CancellationToken.None);
        scan.Finish();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => first.WaitAsync(Patience));
        Assert.Equal("look 1 failed", error.Message);

        var second = scan.LookAsync(CancellationToken.None);
        scan.Finish();
        Assert.Equal(2, await second.WaitAsync(Patience));
    }

    /// <summary>A host that stops again after its services were disposed (CI saw a test host do it) stops the scan without an error.</summary>
    [Fact]
    public async Task Should_stop_without_an_error_when_stopped_again_after_it_was_disposed()
    {
        var scan = new GatedScan();
        await scan.StartAsync(CancellationToken.None);
        await scan.StopAsync(CancellationToken.None);
        scan.Dispose();

        await scan.StopAsync(CancellationToken.None);
    }

    /// <summary>A look cancelled by something else than stopping (a call's own timeout) fails that look, not the scan's loop.</summary>
    [Fact]
    public async Task Should_look_again_at_the_next_tick_when_a_look_is_cancelled_without_the_host_stopping()
    {
        using var scan = new CancelledOnceScan();

        await scan.StartAsync(CancellationToken.None);
        await scan.LookedAgain.Task.WaitAsync(Patience);
        await scan.StopAsync(CancellationToken.None);

        Assert.False(scan.ExecuteTask!.IsFaulted, "the scan's loop ended with the cancellation, which stops the host");
    }

    // A scan ticking every 20 ms whose first look is cancelled from within, as a call timing out on its own token would be.
    private sealed class CancelledOnceScan() : PeriodicScan(TimeSpan.FromMilliseconds(20), TimeProvider.System, NullLogger.Instance)
    {
        private int _looks;

        public TaskCompletionSource LookedAgain { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task<int> ScanOnceAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _looks) == 1)
            {
                throw new TaskCanceledException("A call gave up on its own timeout.");
            }

            LookedAgain.TrySetResult();
            return Task.FromResult(0);
        }
    }

    // A scan whose looks each wait for the spec to let them finish, so what runs when is the spec's to say.
    private sealed class GatedScan() : PeriodicScan(TimeSpan.FromHours(1), TimeProvider.System, NullLogger.Instance)
    {
        private readonly SemaphoreSlim _finish = new(0);
        private int _started;

        public bool FailFirst { get; init; }

        public int Started => Volatile.Read(ref _started);

        public void Finish() => _finish.Release();

        public async Task WaitStartedAsync(int looks)
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (Started < looks)
            {
                await Task.Delay(10, timeout.Token);
            }
        }

        public override void Dispose()
        {
            _finish.Dispose();
            base.Dispose();
        }

        protected override async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
        {
            var look = Interlocked.Increment(ref _started);
            await _finish.WaitAsync(cancellationToken);
            return FailFirst && look == 1 ? throw new InvalidOperationException($"look {look} failed") : look;
        }
    }
}
