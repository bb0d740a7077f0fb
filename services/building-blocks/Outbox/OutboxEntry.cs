namespace OrdersMail.BuildingBlocks.Outbox;

/// <summary>
/// An event made ready for the outbox but not written yet, with the trace it was prepared in: a writer that gathers
/// many requests' events into one transaction (group commit) writes each under its own request's trace.
/// </summary>
/// <param name="Id">The row id, which is also the message id it will be published with.</param>
/// <param name="MessageType">Its <c>message_type</c>.</param>
/// <param name="Payload">Its JSON payload.</param>
/// <param name="TraceParent">The W3C <c>traceparent</c> current when it was prepared, or null outside a trace.</param>
public sealed record OutboxEntry(Guid Id, string MessageType, string Payload, string? TraceParent);
