using MassTransit;

namespace OrdersMail.InboxProvisioner.Saga;

/// <summary>
/// A look's publish, waited for at most <see cref="ProvisioningOptions.PublishTimeout"/>. Looks of a scan run one at a
/// time, so a publish the broker never takes (away, or blocking publishers on an alarm) would hold every later look back.
/// </summary>
internal static class ScanPublish
{
    /// <summary>Publishes <paramref name="message"/>, or throws a <see cref="TimeoutException"/> once <paramref name="timeout"/> has passed.</summary>
    public static async Task PublishWithinAsync<T>(this IBus bus, T message, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(timeout);
        try
        {
            // The token lets MassTransit give up its wait for a connection; WaitAsync bounds the wait even where a
            // publish does not heed its token (one blocked by the broker's alarm waits for its confirm).
            await bus.Publish(message, window.Token).WaitAsync(window.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The broker did not take {typeof(T).Name} within {timeout.TotalSeconds:0.#} s (away, or blocking publishers)");
        }
    }
}
