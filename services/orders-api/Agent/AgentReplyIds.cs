using OrdersMail.BuildingBlocks.Ids;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The reply's <c>email_id</c>, a name-based UUID (RFC 9562 version 5) of the order and the customer's Message-ID: every
/// run for one message writes the same id, so the relay, which dedupes by it, sends one reply whatever happens.
/// </summary>
public static class AgentReplyIds
{
    // This project's namespace for agent replies; fixed forever, or every id changes.
    private static readonly Guid Namespace = new("6f1d3c2a-8b7e-4f5a-9c0d-2e4b6a8c0f13");

    /// <summary>The email id of the reply to <paramref name="messageId"/> in <paramref name="orderId"/>'s conversation.</summary>
    public static Guid For(Guid orderId, string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return NameBasedGuid.Create(Namespace, $"{orderId:D}\n{messageId}");
    }
}
