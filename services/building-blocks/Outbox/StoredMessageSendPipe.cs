using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// Sends a row's stored JSON as the message of MassTransit's envelope, as it was written, the way MassTransit's own
/// outbox sends a stored body. Read into this version's record and serialized again, a row lost every field a newer
/// version wrote that this record lacks: in a rolling upgrade, the older replicas' relays dropped them.
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
