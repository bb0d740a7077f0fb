using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.InboundRouter;

/// <summary>inbound-router: AgentMail webhook ingress; verifies, dedupes and routes each inbound email to its order.</summary>
public static class InboundRouterService
{
    /// <summary>The service's identity for the shared plumbing: name, port 5300, schema <c>inbound</c>.</summary>
    public static readonly ServiceInfo Info = new(
        Name: "inbound-router",
        ConfigurationSection: "InboundRouter",
        DefaultPort: 5300,
        Schema: "inbound",
        ComponentsAssembly: typeof(InboundRouterService).Assembly);
}
