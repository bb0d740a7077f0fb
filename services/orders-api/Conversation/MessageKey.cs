namespace OrdersMail.OrdersApi.Conversation;

/// <summary>A message as a caller names it in a URL: which order, which message, and who asks.</summary>
/// <param name="OrderId">The order in the URL.</param>
/// <param name="MessageId">Our id of the message in the URL.</param>
/// <param name="UserId">The caller's Clerk user id; only the order's owner reaches its messages.</param>
internal sealed record MessageKey(Guid OrderId, Guid MessageId, string UserId);
