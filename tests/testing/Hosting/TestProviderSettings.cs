namespace OrdersMail.Testing.Hosting;

/// <summary>
/// The provider settings every test host is configured with (<see cref="Infrastructure.TestInfrastructure.Settings"/>):
/// the services assume no provider address, key, webhook URL, sender, fallback Reply-To, Clerk instance or web app origin and refuse to
/// start without them. The URLs are
/// on a loopback port nothing serves, so a host whose spec starts no sandbox reaches no provider by mistake; a spec
/// that talks to one sets the sandbox's URL over these.
/// </summary>
public static class TestProviderSettings
{
    /// <summary>Where no provider listens: loopback's port 9 (discard), which nothing in the tests serves.</summary>
    public const string Nowhere = "http://127.0.0.1:9";

    /// <summary>The settings, by key; the keys start the way the sandbox takes any key (<c>am_</c>, <c>re_</c>).</summary>
    public static IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>
    {
        ["InboxProvisioner:AgentMail:BaseUrl"] = $"{Nowhere}/agentmail",
        ["InboxProvisioner:AgentMail:ApiKey"] = "am_test_provisioner",
        ["InboxProvisioner:Provisioning:WebhookUrl"] = $"{Nowhere}/webhooks/agentmail",
        ["InboundRouter:AgentMail:BaseUrl"] = $"{Nowhere}/agentmail",
        ["InboundRouter:AgentMail:ApiKey"] = "am_test_router",
        ["DeliveryTracker:AgentMail:BaseUrl"] = $"{Nowhere}/agentmail",
        ["DeliveryTracker:AgentMail:ApiKey"] = "am_test_tracker",
        ["DeliveryTracker:Relay:From"] = "OrdersMail <orders@ordersmail.local>",
        ["Confirmation:DefaultReplyTo"] = "orders@ordersmail.local",
        ["Resend:BaseUrl"] = $"{Nowhere}/resend",
        ["Resend:ApiKey"] = "re_test_tracker",
        ["Clerk:JwksUrl"] = $"{Nowhere}/clerk/.well-known/jwks.json",
        ["Clerk:Issuer"] = $"{Nowhere}/clerk",
        ["Clerk:AuthorizedParties:0"] = "http://localhost:3000",
    };
}
