using OrdersMail.BuildingBlocks.Delivery;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>What a verified provider event says about one email, whichever way it arrived (Resend's webhook, AgentMail's over the bus).</summary>
/// <param name="Provider">Whose id <paramref name="ProviderMessageId"/> is.</param>
/// <param name="ProviderMessageId">Resend's email id or AgentMail's message id.</param>
/// <param name="State">The state the event means.</param>
/// <param name="Detail">The provider's words for it (a bounce or failure reason), if any.</param>
/// <param name="OccurredAt">When the provider says it happened.</param>
/// <param name="Source">Where it came from, for ops (<c>resend:msg_…</c>, <c>agentmail:evt_…</c>).</param>
/// <param name="InternetMessageId">The Message-ID the provider says the email went out with (<c>&lt;...&gt;</c> form), when it says.</param>
/// <param name="Bounce">A bounce's type and sub-type, when the provider gives them: a soft one leaves the email to be sent again.</param>
public sealed record DeliveryFact(
    EmailProvider Provider,
    string ProviderMessageId,
    DeliveryState State,
    string? Detail,
    DateTimeOffset OccurredAt,
    string Source,
    string? InternetMessageId = null,
    BounceKind? Bounce = null)
{
    /// <summary>The provider as stored in <c>outbound_emails.provider</c>.</summary>
    public string ProviderName => EmailProviders.Name(Provider);
}
