using System.Collections.Concurrent;
using MassTransit;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>Every InboxReady, InboxProvisioningFailed and InboxWebhookReplaced published on the test's vhost, as a downstream service would get them.</summary>
public sealed class ProvisioningOutcomes
{
    // Generous: a spec that kills a provisioner waits for a new process to start and take the requeued step, and CI
    // runs other test projects beside it (one publishes the whole system in Release for the load scenarios' spec).
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(150);
    private readonly ConcurrentQueue<InboxReady> _ready = new();
    private readonly ConcurrentQueue<InboxProvisioningFailed> _failed = new();
    private readonly ConcurrentQueue<InboxWebhookReplaced> _replaced = new();

    /// <summary>InboxReady messages received.</summary>
    public IReadOnlyList<InboxReady> Ready => [.. _ready];

    /// <summary>InboxProvisioningFailed messages received.</summary>
    public IReadOnlyList<InboxProvisioningFailed> Failed => [.. _failed];

    /// <summary>InboxWebhookReplaced messages received.</summary>
    public IReadOnlyList<InboxWebhookReplaced> Replaced => [.. _replaced];

    /// <summary>InboxReady for <paramref name="orderId"/>; fails the test when it failed or took too long.</summary>
    public async Task<InboxReady> ReadyAsync(Guid orderId)
    {
        await Eventually.Until(
            () => Task.FromResult(Ready.Any(r => r.OrderId == orderId) || Failed.Any(f => f.OrderId == orderId)),
            arrived => arrived,
            Timeout,
            $"InboxReady or InboxProvisioningFailed for order {orderId}");
        var failed = Failed.FirstOrDefault(f => f.OrderId == orderId);
        Assert.True(failed is null, $"provisioning of {orderId} failed: {failed?.Reason}");
        return Ready.First(r => r.OrderId == orderId);
    }

    /// <summary>InboxReady for <paramref name="orderId"/>, which failed before (and was retried).</summary>
    public async Task<InboxReady> ReadyAfterFailureAsync(Guid orderId)
    {
        await Eventually.Until(
            () => Task.FromResult(Ready.Any(r => r.OrderId == orderId)),
            arrived => arrived,
            Timeout,
            $"InboxReady for order {orderId}, after its retry");
        return Ready.First(r => r.OrderId == orderId);
    }

    /// <summary>InboxProvisioningFailed for <paramref name="orderId"/>; fails the test when it was ready instead.</summary>
    public async Task<InboxProvisioningFailed> FailedAsync(Guid orderId)
    {
        await Eventually.Until(
            () => Task.FromResult(Ready.Any(r => r.OrderId == orderId) || Failed.Any(f => f.OrderId == orderId)),
            arrived => arrived,
            Timeout,
            $"InboxReady or InboxProvisioningFailed for order {orderId}");
        Assert.DoesNotContain(Ready, r => r.OrderId == orderId);
        return Failed.First(f => f.OrderId == orderId);
    }

    /// <summary>The consumer feeding the lists.</summary>
    public sealed class Probe(ProvisioningOutcomes outcomes) : IConsumer<InboxReady>, IConsumer<InboxProvisioningFailed>, IConsumer<InboxWebhookReplaced>
    {
        /// <inheritdoc />
        public Task Consume(ConsumeContext<InboxWebhookReplaced> context)
        {
            ArgumentNullException.ThrowIfNull(context);
            outcomes._replaced.Enqueue(context.Message);
            return Task.CompletedTask;
        }

        /// <inheritdoc />
        public Task Consume(ConsumeContext<InboxReady> context)
        {
            ArgumentNullException.ThrowIfNull(context);
            outcomes._ready.Enqueue(context.Message);
            return Task.CompletedTask;
        }

        /// <inheritdoc />
        public Task Consume(ConsumeContext<InboxProvisioningFailed> context)
        {
            ArgumentNullException.ThrowIfNull(context);
            outcomes._failed.Enqueue(context.Message);
            return Task.CompletedTask;
        }
    }
}
