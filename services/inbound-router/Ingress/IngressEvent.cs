using OrdersMail.BuildingBlocks.Outbox;

namespace OrdersMail.InboundRouter.Ingress;

/// <summary>A verified, well-formed event and the outbox row that hands it to the bus.</summary>
/// <param name="SvixId">The delivery's <c>svix-id</c>.</param>
/// <param name="EventId">AgentMail's <c>event_id</c>.</param>
/// <param name="InboxId">The inbox it is about.</param>
/// <param name="EventType">Its <c>event_type</c>.</param>
/// <param name="Message">The bus message, prepared under the request's trace.</param>
internal sealed record IngressEvent(string SvixId, string EventId, string InboxId, string EventType, OutboxEntry Message);
