namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>An outbox row the relay has claimed for publishing.</summary>
/// <param name="Id">The row's id, published as the message id.</param>
/// <param name="MessageType">See <see cref="OutboxMessageTypes.TypeName"/>.</param>
/// <param name="Payload">The message as JSON.</param>
/// <param name="CreatedAt">When the row was written (UTC).</param>
/// <param name="TraceParent">The W3C traceparent of the request that wrote it, if it was written inside a trace.</param>
public sealed record PendingOutboxMessage(Guid Id, string MessageType, string Payload, DateTime CreatedAt, string? TraceParent);
