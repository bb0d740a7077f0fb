namespace OrdersMail.Contracts.Outbound;

/// <summary>
/// AgentMail reported, through a verified inbox webhook, what happened to a message sent from a customer's inbox
/// (an agent reply). The inbound-router publishes the fact; delivery-tracker applies it to the email it concerns.
/// </summary>
/// <param name="EventId">AgentMail's event id; the same event delivered twice has the same id.</param>
/// <param name="InboxId">The inbox the message was sent from.</param>
/// <param name="ProviderMessageId">AgentMail's id of the sent message (what its reply answer returned).</param>
/// <param name="State">What the event means: <see cref="DeliveryState.Sent"/>, <see cref="DeliveryState.Delivered"/> or <see cref="DeliveryState.Bounced"/>.</param>
/// <param name="Detail">AgentMail's words for a bounce, if any.</param>
/// <param name="OccurredAt">When AgentMail says it happened.</param>
/// <param name="BounceType">A bounce's type (<c>Permanent</c>, <c>Transient</c>, <c>Undetermined</c>), when AgentMail gives one: any but permanent leaves the reply to be sent again.</param>
/// <param name="BounceSubType">A bounce's sub-type (<c>MailboxFull</c>, <c>General</c>...), when given.</param>
public sealed record AgentMailDeliveryReported(
    string EventId,
    string InboxId,
    string ProviderMessageId,
    DeliveryState State,
    string? Detail,
    DateTimeOffset OccurredAt,
    string? BounceType = null,
    string? BounceSubType = null);
