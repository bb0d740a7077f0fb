using System.Diagnostics;
using MassTransit;
using OrdersMail.BuildingBlocks.Messaging;
using OrdersMail.BuildingBlocks.Telemetry;
using OrdersMail.Contracts.Inbound;
using OrdersMail.OrdersApi.Agent;

namespace OrdersMail.OrdersApi.Conversation;

/// <summary>
/// Records each inbound email the router matched to an order in that order's conversation, as unread, and has the
/// order agent answer it once the recording transaction has committed. A message for
/// an order that does not exist is logged and dropped: the order cannot appear later (orders-api creates orders before
/// anyone can route mail to them), so retrying would only park it in the error queue. Its text and new words are kept
/// to <see cref="InboundText.MaxLength"/> each, cut and marked beyond, whatever the router sent.
/// </summary>
internal sealed partial class InboundMessageRoutedConsumer(
    InboundMessageRecorder recorder, OrderAgent agent, ServiceTelemetry telemetry, ILogger<InboundMessageRoutedConsumer> logger)
    : IConsumer<InboundMessageRouted>
{
    /// <summary>The queue, named after the service and the feature so no other service's consumer of the event shares it.</summary>
    public const string QueueName = "orders-api-conversation";

    public async Task Consume(ConsumeContext<InboundMessageRouted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The router cuts both to the bound; a router before it sent them whole, megabytes of them stored and served.
        var message = context.Message with { Text = InboundText.Bounded(context.Message.Text), NewText = InboundText.BoundedOrNull(context.Message.NewText) };
        Activity.Current.SetOrder(message.OrderRef, message.OrderId);
        var recorded = await recorder.RecordAsync(message, context.MessageId, context.CancellationToken);
        switch (recorded.Outcome)
        {
            case RecordOutcome.UnknownOrder:
                LogUnknownOrder(logger, message.MessageId, message.OrderId, message.InboxId);
                break;
            case RecordOutcome.Duplicate:
                LogDuplicate(logger, message.MessageId, message.OrderId);
                break;
            case RecordOutcome.Recorded:
            case RecordOutcome.AlreadyProcessed:
                break;
        }

        if (recorded.Decision is { } decision)
        {
            // The reply's file is written under this span, so its sending continues the customer's trace.
            using var answering = telemetry.ActivitySource.StartActivity("agent reply").SetOrder(message.OrderRef, message.OrderId);
            await agent.AnswerAsync(message, decision, context.CancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound message {MessageId} was routed to order {OrderId} (inbox {InboxId}), which does not exist; it is ignored")]
    private static partial void LogUnknownOrder(ILogger logger, string messageId, Guid orderId, string inboxId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Inbound message {MessageId} is already in order {OrderId}'s conversation")]
    private static partial void LogDuplicate(ILogger logger, string messageId, Guid orderId);
}
