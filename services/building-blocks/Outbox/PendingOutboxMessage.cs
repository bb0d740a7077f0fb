namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>An outbox row the relay has claimed for publishing.</summary>
/// <param name="Id">The row's id, published as the message id.</param>
/// <param name="MessageType">See <see cref="OutboxMessageTypes.TypeName"/>.</param>
/// <param name="Payload">
/// The message as UTF-8 JSON, read as bytes (<c>convert_to</c>): the relay sends it as it is, and a batch's payloads
/// are never decoded into strings.
/// </param>
/// <param name="CreatedAt">When the row was written (UTC).</param>
/// <param name="TraceParent">The W3C traceparent of the request that wrote it, if it was written inside a trace.</param>
public sealed record PendingOutboxMessage(Guid Id, string MessageType, byte[] Payload, DateTime CreatedAt, string? TraceParent);
