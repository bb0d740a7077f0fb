using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>Wakes the routing pump when the ingress has committed received emails, so they are routed within milliseconds.</summary>
public sealed class RoutingSignal : WakeUpSignal;
