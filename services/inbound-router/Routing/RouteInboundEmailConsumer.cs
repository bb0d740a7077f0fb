using System.Diagnostics;
using MassTransit;
using MassTransit.Logging;
using Npgsql;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.InboundRouter.Secrets;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// Routes received emails behind the bus, a batch at a time (<see cref="RoutingOptions"/>): reads a message from AgentMail
/// when its webhook left the body out, decides every email's order at once (<see cref="InboundRouting"/>), then records
/// the decisions and their events, with the batch's <c>processed_messages</c>, in one transaction: one commit for the
/// batch instead of one per email, and all or nothing (a failure leaves nothing written and MassTransit retries every
/// message of it). AgentMail is read before the transaction opens, so no connection waits on it.
/// </summary>
public sealed partial class RouteInboundEmailConsumer(
    NpgsqlDataSource dataSource,
    IAgentMailDirectory agentMail,
    InboundRouting routing,
    RoutedMessages routed,
    RoutingTelemetry telemetry,
    OutboxWriter outbox,
    ParkedGauge parked,
    ILogger<RouteInboundEmailConsumer> logger) : IConsumer<Batch<InboundEmailReceived>>
{
    /// <summary>The consumer's queue, and its name in <c>processed_messages</c>.</summary>
    public const string Name = "inbound-router-route-email";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<Batch<InboundEmailReceived>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;

        // A redelivery racing its original, or two events of one email: each message is decided once.
        var deliveries = context.Message.DistinctBy(m => m.MessageId ?? Guid.NewGuid()).DistinctBy(m => (m.Message.InboxId, m.Message.MessageId)).ToList();
        var emails = new List<InboundEmailReceived>(deliveries.Count);
        foreach (var delivery in deliveries)
        {
            emails.Add(await WithBodyAsync(delivery.Message, cancellationToken));
        }

        var decisions = await routing.DecideAsync(emails, cancellationToken);
        var routings = emails.Select((email, i) => PrepareInItsTrace(deliveries[i], email, decisions[i])).ToList();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var fresh = await ProcessedMessages.TryRecordAllAsync(transaction, Name, [.. deliveries.Select(d => d.MessageId).OfType<Guid>()], cancellationToken);
        var applied = await routed.ApplyAsync(
            transaction, [.. routings.Where((_, i) => deliveries[i].MessageId is not { } id || fresh.Contains(id))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (applied.Count == 0)
        {
            return;
        }

        outbox.Notify();
        foreach (var (email, decision, _) in applied)
        {
            telemetry.Decided(decision);
            if (decision.OrderId is { } orderId)
            {
                LogRouted(logger, email.MessageId, orderId, decision.RoutedBy!);
            }
            else
            {
                LogParked(logger, email.MessageId, email.InboxId, decision.ParkReason!);
            }
        }

        if (applied.Any(r => r.Decision.OrderId is null))
        {
            await parked.RefreshAsync(cancellationToken);
        }
    }

    private async Task<InboundEmailReceived> WithBodyAsync(InboundEmailReceived email, CancellationToken cancellationToken)
    {
        if (email.HasBody)
        {
            return email;
        }

        var body = await agentMail.GetMessageBodyAsync(email.InboxId, email.MessageId, cancellationToken);
        LogBodyRead(logger, email.MessageId, body is not null);
        return email with { Text = body?.Text ?? "", Html = body?.Html };
    }

    // Each email keeps a trace of its own, continuing the delivery that brought it (the ingress's), linked to the
    // order's and tagged with its reference; its event is prepared under that span, so the publish continues it.
    private RoutedMessages.Routing PrepareInItsTrace(ConsumeContext<InboundEmailReceived> delivery, InboundEmailReceived email, RoutingDecision decision)
    {
        var parent = delivery.Headers.Get<string>(DiagnosticHeaders.ActivityId) is { } id && ActivityContext.TryParse(id, null, out var context) ? context : default;
        using var activity = telemetry.StartRouting(email.InboxId, email.MessageId, parent);
        if (decision.OrderId is { } orderId)
        {
            RoutingTelemetry.RoutedTo(activity, orderId, decision.Order);
        }

        return routed.Prepare(email, decision);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing: message {MessageId} went to order {OrderId} ({RoutedBy})")]
    private static partial void LogRouted(ILogger logger, string messageId, Guid orderId, string routedBy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: message {MessageId} of inbox {InboxId} parked: {Reason}")]
    private static partial void LogParked(ILogger logger, string messageId, string inboxId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing: the webhook of message {MessageId} had no body; read from AgentMail (found: {Found})")]
    private static partial void LogBodyRead(ILogger logger, string messageId, bool found);
}
