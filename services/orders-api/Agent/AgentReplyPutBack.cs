namespace OrdersMail.OrdersApi.Agent;

/// <summary>A given-up agent reply put back in the sweeper's hands: it is composed and written at its next sweep, under the email id it always had.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="OrderRef">The order's reference, as the customer knows it.</param>
/// <param name="MessageId">The customer's message it answers, its Message-ID.</param>
/// <param name="EmailId">The reply's email id (a UUIDv5 of the order and the message), the one the relay sends once.</param>
/// <param name="Intent">What the agent read the message as asking, which the reply answers.</param>
public sealed record AgentReplyPutBack(Guid OrderId, string OrderRef, string MessageId, Guid EmailId, string Intent);
