using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.Logging;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// Publishes one claimed row's stored JSON under its id as the message id, in the trace of the request that wrote it,
/// and waits for the broker's confirm while its batch's <see cref="PublishWindow"/> is open. Never throws: every way it
/// can go is a <see cref="PublishOutcome"/>.
/// </summary>
internal sealed partial class OutboxPublisher(IBus bus, OutboxMessageTypes messages, ServiceTelemetry telemetry, ILogger logger)
{
    public async Task<PublishOutcome> PublishAsync(PendingOutboxMessage row, PublishWindow window)
    {
        // Whether the message's fields suit its type is for its consumers to judge, as for any message on the bus;
        // the relay only makes sure the envelope gets a JSON object.
        if (Unreadable(row.Payload, out var message) is { } reason)
        {
            LogUnreadable(logger, row.Id, row.MessageType, reason);
            return PublishOutcome.Unpublishable($"unreadable payload: {reason}");
        }

        // The publish continues the trace of the request that wrote the row, so the event's consumers in the
        // other services join it; MassTransit's send span becomes a child of this one.
        var parent = row.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
        using var activity = telemetry.ActivitySource.StartActivity("outbox publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", row.Id);

        try
        {
            var target = messages.TargetOf(row.MessageType);
            var endpoint = await target.EndpointAsync(bus).WaitAsync(window.Token);
            await endpoint.Send(new SerializedMessageBody(), new StoredMessageSendPipe(row.Id, message, target), window.Token);
            return PublishOutcome.Published;
        }
        catch (OperationCanceledException) when (window.Stopping)
        {
            return PublishOutcome.Stopping;
        }
        catch (OperationCanceledException)
        {
            LogPublishFailed(logger, row.Id, window.WhyClosed);
            return PublishOutcome.BrokerFailure(window.WhyClosed);
        }
        catch (Exception e)
        {
            // Whatever the transport threw (connection, confirm, channel errors), the row stays pending.
            LogPublishFailed(logger, row.Id, e.Message);
            return PublishOutcome.BrokerFailure(e.Message);
        }
    }

    private static string? Unreadable(byte[] payload, out JsonElement message)
    {
        try
        {
            message = JsonSerializer.Deserialize<JsonElement>(payload);
        }
        catch (JsonException e)
        {
            message = default;
            return e.Message;
        }

        return message.ValueKind == JsonValueKind.Object ? null : $"a JSON {message.ValueKind}, not an object";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: publishing {OutboxId} failed, it stays pending: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, Guid outboxId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox: row {OutboxId} ({MessageType}) has an unreadable payload; it stays pending: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, Guid outboxId, string messageType, string reason);
}
