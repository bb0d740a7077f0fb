using OrdersMail.Contracts.Outbound;

namespace OrdersMail.OrdersApi.Emails;

/// <summary>What one delivery-tracker event says about an order's email; fields it does not carry are null.</summary>
/// <param name="EmailId">The outbound email.</param>
/// <param name="OrderId">The order, when the event names it.</param>
/// <param name="State">The state the event reports.</param>
/// <param name="At">When that happened.</param>
public sealed record OrderEmailUpdate(Guid EmailId, Guid? OrderId, DeliveryState State, DateTimeOffset At)
{
    /// <summary>What the email is (from <c>OutboundEmailQueued</c>).</summary>
    public string? Kind { get; init; }

    /// <summary>The subject line (from <c>OutboundEmailQueued</c>).</summary>
    public string? Subject { get; init; }

    /// <summary>The recipients (from <c>OutboundEmailQueued</c>).</summary>
    public IReadOnlyList<string>? Recipients { get; init; }

    /// <summary>The provider, when the event names it.</summary>
    public EmailProvider? Provider { get; init; }

    /// <summary>The reason given with the state (a bounce, a failure).</summary>
    public string? Detail { get; init; }

    /// <summary>The failed email this one is a copy of (from <c>OutboundEmailQueued</c>).</summary>
    public Guid? SentAgainOf { get; init; }

    /// <summary>When the email was queued (from <c>OutboundEmailQueued</c>).</summary>
    public DateTimeOffset? QueuedAt { get; init; }
}
