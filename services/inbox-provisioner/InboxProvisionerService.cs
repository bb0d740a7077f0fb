using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.InboxProvisioner;

/// <summary>inbox-provisioner: gives each customer one AgentMail inbox with one webhook scoped to it alone, reconciled.</summary>
public static class InboxProvisionerService
{
    /// <summary>The service's identity for the shared plumbing: name, port 5200, schema <c>provisioning</c>.</summary>
    public static readonly ServiceInfo Info = new(
        Name: "inbox-provisioner",
        ConfigurationSection: "InboxProvisioner",
        DefaultPort: 5200,
        Schema: "provisioning",
        ComponentsAssembly: typeof(InboxProvisionerService).Assembly);
}
