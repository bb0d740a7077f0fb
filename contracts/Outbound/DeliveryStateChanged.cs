namespace OrdersMail.Contracts.Outbound;

/// <summary>
/// An outbound email's delivery state moved forward, from a verified provider webhook. Published only on a
/// real forward move, so a consumer may simply store <paramref name="State"/>.
/// </summary>
/// <param name="EmailId">The outbound email's id.</param>
/// <param name="OrderId">The order the email is about, if any.</param>
/// <param name="Provider">The provider whose webhook reported it.</param>
/// <param name="State">The new state.</param>
/// <param name="PreviousState">The state it moved from.</param>
/// <param name="Detail">The provider's words for it (a bounce reason, a delay reason), if any.</param>
/// <param name="OccurredAt">When the provider says it happened (not when the webhook arrived).</param>
public sealed record DeliveryStateChanged(
    Guid EmailId,
    Guid? OrderId,
    EmailProvider Provider,
    DeliveryState State,
    DeliveryState PreviousState,
    string? Detail,
    DateTimeOffset OccurredAt);
