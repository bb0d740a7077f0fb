using OrdersMail.BuildingBlocks.Outbox;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>
/// A verified, well-formed event and what recording it hands on: a delivery fact's outbox row, or a received email's
/// routing payload, stored in its own row for the routing pump (no bus hop between the router and itself).
/// </summary>
/// <param name="SvixId">The delivery's <c>svix-id</c>.</param>
/// <param name="EventId">AgentMail's <c>event_id</c>.</param>
/// <param name="InboxId">The inbox it is about.</param>
/// <param name="EventType">Its <c>event_type</c>.</param>
/// <param name="Published">The bus message of a delivery fact, prepared under the request's trace; null for an email.</param>
/// <param name="ToRoute">The email to route, with the request's trace; null for a delivery fact.</param>
internal sealed record IngressEvent(string SvixId, string EventId, string InboxId, string EventType, OutboxEntry? Published, EmailToRoute? ToRoute);

/// <summary>A received email's stored form (<see cref="Routing.InboundEmailReceived.ToJson"/>) and the trace routing continues.</summary>
/// <param name="Email">The email as JSON.</param>
/// <param name="TraceParent">The ingress request's W3C <c>traceparent</c>, or null outside a trace.</param>
internal sealed record EmailToRoute(string Email, string? TraceParent);

/// <summary>
/// What makes a verified body an event the router keeps, read or not (<see cref="AgentMailEventReader.Identify"/>): ids
/// that can be its keys, the verified inbox alone, and a type the router takes.
/// </summary>
/// <param name="SvixId">The delivery's <c>svix-id</c>.</param>
/// <param name="EventId">AgentMail's <c>event_id</c>.</param>
/// <param name="InboxId">The inbox whose webhook's secret verified it.</param>
/// <param name="EventType">Its <c>event_type</c>, one of <see cref="AgentMailEventTypes.Taken"/>.</param>
internal sealed record EventKeys(string SvixId, string EventId, string InboxId, string EventType);
