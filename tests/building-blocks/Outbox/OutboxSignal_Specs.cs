using System.Diagnostics;
using OrdersMail.BuildingBlocks.Outbox;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

public sealed class OutboxSignal_Specs
{
    [Fact]
    public async Task When_notified_Should_wake_one_wait_at_once_however_many_commits_it_covers()
    {
        var signal = new OutboxSignal();

        signal.Notify();
        signal.Notify();
        signal.Notify();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));
    }

    [Fact]
    public async Task When_notified_while_waiting_Should_wake_the_waiter()
    {
        var signal = new OutboxSignal();
        var clock = Stopwatch.StartNew();

        var waiting = signal.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        signal.Notify();

        Assert.True(await waiting);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task When_stopping_Should_end_the_wait_with_a_cancellation()
    {
        var signal = new OutboxSignal();
        using var stopping = new CancellationTokenSource();

        var waiting = signal.WaitAsync(TimeSpan.FromMinutes(1), stopping.Token);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
