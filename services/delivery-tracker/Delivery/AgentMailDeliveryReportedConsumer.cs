using MassTransit;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>
/// AgentMail's delivery facts about agent replies, verified by the inbound-router and brought over the bus: applied
/// to the email with that AgentMail message id, once per bus message (<see cref="ProcessedMessages"/>), by the same
/// forward-only rule as Resend's webhooks. As there, a fact that changes nothing (AgentMail's "sent" for a reply the
/// relay recorded as sent on acceptance) records nothing either: it could never change anything when it comes again.
/// </summary>
public sealed partial class AgentMailDeliveryReportedConsumer(
    NpgsqlDataSource dataSource,
    DeliveryStateStore store,
    OutboxWriter outbox,
    DeliveryTelemetry telemetry,
    ILogger<AgentMailDeliveryReportedConsumer> logger) : IConsumer<AgentMailDeliveryReported>
{
    /// <summary>The consumer's queue, and its name in <c>processed_messages</c>.</summary>
    public const string Name = "delivery-tracker-agentmail-delivery-reported";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<AgentMailDeliveryReported> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reported = context.Message;
        if (!Enum.IsDefined(reported.State) || reported.ProviderMessageId is not { Length: > 0 } messageId
            || WebhookIdLimits.TooLong(("message_id", messageId, WebhookIdLimits.MessageIdBytes)) is not null)
        {
            LogUnreadable(logger, context.MessageId, reported.EventId);
            return;
        }

        var bounce = reported.State == DeliveryState.Bounced ? BounceKind.Of(reported.BounceType, reported.BounceSubType) : null;
        var fact = new DeliveryFact(EmailProvider.AgentMail, reported.ProviderMessageId, reported.State, reported.Detail, reported.OccurredAt, $"agentmail:{reported.EventId}", Bounce: bounce);
        var cancellationToken = context.CancellationToken;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var outcome = await store.ApplyOrKeepAsync(
            transaction,
            fact,
            token => ProcessedMessages.TryRecordAsync(transaction, Name, context.MessageId, token),
            sentByRelay: true, // The router forwards facts of the customers' inboxes only, whose mail the relay sends.
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        telemetry.Applied(fact, outcome);
        if (outcome is DeliveryOutcome.Moved)
        {
            outbox.Notify();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AgentMailDeliveryReported {MessageId} (event {EventId}) names no state or message this tracker knows; dropped")]
    private static partial void LogUnreadable(ILogger logger, Guid? messageId, string eventId);
}
