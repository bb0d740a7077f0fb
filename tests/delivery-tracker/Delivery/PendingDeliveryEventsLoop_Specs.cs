using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.DeliveryTracker.Delivery;
using OrdersMail.DeliveryTracker.Tests.Support;

namespace OrdersMail.DeliveryTracker.Tests.Delivery;

/// <summary>The loop that applies kept delivery facts, on the tracker's own database and services.</summary>
public sealed class PendingDeliveryEventsLoop_Specs(TrackerFixture fixture) : IClassFixture<TrackerFixture>
{
    [Fact]
    public async Task When_a_batch_throws_what_is_not_a_database_error_Should_look_again_after_the_interval_and_leave_the_host_running()
    {
        var options = new FailingOnceOptions();
        using var pending = ActivatorUtilities.CreateInstance<PendingDeliveryEvents>(fixture.Tracker.Services, options);

        await pending.StartAsync(CancellationToken.None);
        await options.ReadAgain.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await pending.StopAsync(CancellationToken.None);

        Assert.False(pending.ExecuteTask!.IsFaulted, "the loop ended with the exception, which stops the tracker");
    }

    // Its first reading, inside the batch's transaction, throws as a fault nobody foresaw would; the next says it was read again.
    private sealed class FailingOnceOptions : IOptions<PendingDeliveryOptions>
    {
        private readonly PendingDeliveryOptions _options = new() { PendingPollInterval = TimeSpan.FromMilliseconds(20) };
        private int _reads;

        public TaskCompletionSource ReadAgain { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PendingDeliveryOptions Value
        {
            get
            {
                if (Interlocked.Increment(ref _reads) == 1)
                {
                    throw new InvalidOperationException("A fault nobody foresaw.");
                }

                ReadAgain.TrySetResult();
                return _options;
            }
        }
    }
}
