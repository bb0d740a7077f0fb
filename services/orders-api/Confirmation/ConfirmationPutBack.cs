namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>A given-up confirmation put back in the sweeper's hands: it is written at its next sweep, under the email id it always had.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="OrderRef">The order's reference, as the customer knows it.</param>
/// <param name="EmailId">The confirmation's email id (a UUIDv5 of the order id), the one the relay sends once.</param>
/// <param name="ReplyTo">The Reply-To it was claimed with.</param>
public sealed record ConfirmationPutBack(Guid OrderId, string OrderRef, Guid EmailId, string ReplyTo);
