namespace OrdersMail.OrdersApi.Orders;

/// <summary>What the consumers of other services' events about orders log.</summary>
internal static partial class OrderEventsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Consumer}: ignored message {MessageId}: it is about order {OrderId}, which is not an order of ours")]
    public static partial void UnknownOrder(ILogger logger, string consumer, Guid? messageId, Guid? orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Consumer}: ignored message {MessageId}: {Reason}")]
    public static partial void Ignored(ILogger logger, string consumer, Guid? messageId, string reason);
}
