using Microsoft.Extensions.Options;
using OrdersMail.InboundRouter.Caching;
using OrdersMail.InboundRouter.Secrets;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// Each inbox's <c>metadata.order_ref</c> as AgentMail last said, kept for <see cref="RoutingOptions.OrderRefCacheFor"/>.
/// AgentMail stays authoritative (the provisioner re-stamps the inbox when the customer orders again, and what the card
/// names is what the customer sees), but reading it for every message of a busy inbox made that read most of routing's
/// cost. The value changes only when the customer places an order and the provisioner re-stamps the inbox, after which
/// it publishes <c>InboxReady</c>: that event forgets the inbox. (<c>OrderCreated</c> is not used: it comes before the
/// re-stamp, so a read it caused could only find the old value again.) A replica whose
/// queue-mate consumed the event keeps the old value at most for the short lifetime; the same holds for a message that
/// reaches the router before the event does, which is no worse than reading AgentMail just before the re-stamp.
/// Only an order reference is kept: a missing inbox or one without a reference is asked again every time (parked mail).
/// </summary>
public sealed class InboxOrderRefs(IAgentMailDirectory agentMail, IOptions<RoutingOptions> options, TimeProvider clock)
{
    private readonly TimeSpan _cacheFor = options.Value.OrderRefCacheFor;
    // Swept of what has run out as it grows, so it holds the inboxes that had mail lately, not every inbox since the start.
    private readonly ExpiringMap<string> _known = new(clock, sweepAtLeast: 1_024);
    private long _generation;

    /// <summary>The inbox's order reference: remembered, or read from AgentMail.</summary>
    public async Task<InboxOrderRef> GetAsync(string inboxId, CancellationToken cancellationToken)
    {
        if (_known.TryGetLive(inboxId, out var known))
        {
            return new InboxOrderRef(true, known);
        }

        // A read that began before a Forget may carry the old value: it is used for this message, never remembered.
        var generation = Interlocked.Read(ref _generation);
        var read = await agentMail.GetOrderRefAsync(inboxId, cancellationToken);
        if (read.OrderRef is { Length: > 0 } orderRef && _cacheFor > TimeSpan.Zero)
        {
            _known.Set(inboxId, orderRef, clock.GetUtcNow() + _cacheFor);
            if (Interlocked.Read(ref _generation) != generation)
            {
                _known.Remove(inboxId);
            }
        }

        return read;
    }

    /// <summary>The inbox's order may have changed: the next message of it reads AgentMail again.</summary>
    public void Forget(string inboxId)
    {
        Interlocked.Increment(ref _generation);
        _known.Remove(inboxId);
    }
}
