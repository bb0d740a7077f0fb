using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.InboundRouter.Secrets;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// Routes each received email behind the bus: reads the message from AgentMail when the webhook left its body out,
/// decides its order (<see cref="InboundRouting"/>), then records the decision and publishes it in one transaction.
/// AgentMail is read before the transaction opens, so no connection waits on it.
/// </summary>
public sealed partial class RouteInboundEmailConsumer(
    NpgsqlDataSource dataSource,
    IAgentMailDirectory agentMail,
    InboundRouting routing,
    OrderLookup orders,
    RoutedMessages routed,
    RoutingTelemetry telemetry,
    OutboxWriter outbox,
    ParkedGauge parked,
    ILogger<RouteInboundEmailConsumer> logger) : IConsumer<InboundEmailReceived>
{
    /// <summary>The consumer's queue, and its name in <c>processed_messages</c>.</summary>
    public const string Name = "inbound-router-route-email";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<InboundEmailReceived> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var email = context.Message;
        using var activity = telemetry.StartRouting(email.InboxId, email.MessageId);
        if (!email.HasBody)
        {
            var body = await agentMail.GetMessageBodyAsync(email.InboxId, email.MessageId, context.CancellationToken);
            email = email with { Text = body?.Text ?? "", Html = body?.Html };
            LogBodyRead(logger, email.MessageId, body is not null);
        }

        var decision = await routing.DecideAsync(email, context.CancellationToken);
        if (decision.OrderId is { } decided)
        {
            // The customer's email is a trace of its own: linked to the order's, and tagged with its reference.
            var order = await orders.FindOrderAsync(decided, context.CancellationToken);
            RoutingTelemetry.RoutedTo(activity, decided, order);
            decision = decision with { OrderRef = order?.OrderRef };
        }

        var applied = false;
        await ProcessedMessages.ApplyOnceAsync(dataSource, context, Name, logger, async (transaction, cancellationToken) =>
            applied = await routed.ApplyAsync(transaction, email, decision, cancellationToken));
        if (!applied)
        {
            return;
        }

        outbox.Notify();
        telemetry.Decided(decision);
        if (decision.OrderId is { } orderId)
        {
            LogRouted(logger, email.MessageId, orderId, decision.RoutedBy!);
        }
        else
        {
            LogParked(logger, email.MessageId, email.InboxId, decision.ParkReason!);
            await parked.RefreshAsync(context.CancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing: message {MessageId} went to order {OrderId} ({RoutedBy})")]
    private static partial void LogRouted(ILogger logger, string messageId, Guid orderId, string routedBy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: message {MessageId} of inbox {InboxId} parked: {Reason}")]
    private static partial void LogParked(ILogger logger, string messageId, string inboxId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing: the webhook of message {MessageId} had no body; read from AgentMail (found: {Found})")]
    private static partial void LogBodyRead(ILogger logger, string messageId, bool found);
}
