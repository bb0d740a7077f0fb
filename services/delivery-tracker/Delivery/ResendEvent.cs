using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>What one Resend webhook body turned out to be.</summary>
public enum ResendEventKind
{
    /// <summary>A delivery event the tracker applies.</summary>
    Tracked,

    /// <summary>An email event Resend documents that says nothing about delivery (opened, clicked...): acknowledged, not applied.</summary>
    Ignored,

    /// <summary>Not a Resend email event the tracker can read: an unknown type, or a field missing or malformed.</summary>
    Invalid,
}

/// <summary>A parsed Resend webhook body (docs/resend.md §5).</summary>
/// <param name="Kind">Tracked, ignored or invalid.</param>
/// <param name="Type">The event's <c>type</c>, when it has one.</param>
/// <param name="EmailId">Resend's email id (<c>data.email_id</c>), for a tracked event.</param>
/// <param name="State">The state the event means, for a tracked event.</param>
/// <param name="Detail">The bounce's or failure's reason, if any.</param>
/// <param name="OccurredAt">When Resend says it happened, for a tracked event.</param>
/// <param name="Problem">Why it is invalid.</param>
/// <param name="SentByRelay">Whether the email carries the relay's tag (<see cref="Relay.RelayTag"/>) with this deployment's value: ours, not another sender's.</param>
/// <param name="InternetMessageId">The Message-ID the email went out with (<c>data.message_id</c>, in <c>&lt;...&gt;</c> form), when the event names one.</param>
/// <param name="Bounce">An <c>email.bounced</c>'s <c>bounce.type</c> and <c>bounce.subType</c>, when it has a type.</param>
public sealed record ResendEvent(
    ResendEventKind Kind,
    string? Type,
    string? EmailId = null,
    DeliveryState State = DeliveryState.Queued,
    string? Detail = null,
    DateTimeOffset OccurredAt = default,
    string? Problem = null,
    bool SentByRelay = false,
    string? InternetMessageId = null,
    BounceKind? Bounce = null);
