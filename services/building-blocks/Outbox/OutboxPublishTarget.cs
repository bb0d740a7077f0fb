using MassTransit;

namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// Where a message type is published, and the message types its envelope names: what <c>IBus.Publish&lt;T&gt;</c> would
/// use, for a row whose message is never turned back into a <c>T</c>.
/// </summary>
internal abstract class OutboxPublishTarget
{
    private OutboxPublishTarget(Type type) => MessageTypes = MessageTypeCache.GetMessageTypeNames(type);

    /// <summary>The message type URNs, for the envelope and the consumers' type match.</summary>
    public string[] MessageTypes { get; }

    /// <summary>The publish exchange of the type (declared, with its bindings, as for a typed publish).</summary>
    public abstract Task<ISendEndpoint> EndpointAsync(IPublishEndpointProvider bus);

    public static OutboxPublishTarget For(Type type) =>
        (OutboxPublishTarget)Activator.CreateInstance(typeof(Of<>).MakeGenericType(type))!;

    private sealed class Of<T>() : OutboxPublishTarget(typeof(T))
        where T : class
    {
        public override Task<ISendEndpoint> EndpointAsync(IPublishEndpointProvider bus) => bus.GetPublishSendEndpoint<T>();
    }
}
