using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// Sends a row's stored JSON as the message of MassTransit's envelope, as it was written: the relay neither turns it
/// into a record nor serializes that record again (the two were a third of the router's allocations per event), and
/// a field a newer version wrote reaches the consumers even when this version's record does not have it.
/// </summary>
internal sealed class StoredMessageSendPipe(Guid messageId, JsonElement message, OutboxPublishTarget target) : IPipe<SendContext>
{
    public Task Send(SendContext context)
    {
        context.MessageId = messageId;
        context.SupportedMessageTypes = target.MessageTypes;

        // The envelope's ids, addresses and headers (the trace context among them) are filled from this context when
        // the body is written, as for any message MassTransit serializes; its sent time and host when it is copied.
        var envelope = new JsonMessageEnvelope { Message = message, MessageType = target.MessageTypes };
        context.Serializer = new SystemTextJsonBodyMessageSerializer(
            envelope, SystemTextJsonMessageSerializer.JsonContentType, SystemTextJsonMessageSerializer.Options, target.MessageTypes);
        return Task.CompletedTask;
    }

    public void Probe(ProbeContext context)
    {
    }
}
