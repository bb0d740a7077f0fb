namespace OrdersMail.Journey;

/// <summary>Where the running system answers, and how long each step may take.</summary>
/// <param name="OrdersApi">orders-api's base URL.</param>
/// <param name="Sandbox">The mail sandbox's base URL (Clerk, AgentMail, Resend and their control API).</param>
/// <param name="InboundRouterWebhook">The URL the customer's inbox webhook must point at.</param>
/// <param name="StepTimeout">The longest any one step may take before the journey fails.</param>
public sealed record JourneySettings(Uri OrdersApi, Uri Sandbox, Uri InboundRouterWebhook, TimeSpan StepTimeout)
{
    /// <summary>The journey's default step timeout: provisioning on a busy 2-core machine takes seconds, not minutes.</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The same <c>ORDERSMAIL_*</c> port variables deploy/local and the services read, so a second instance on other
    /// ports is played against with no extra flags.
    /// </summary>
    public static JourneySettings FromEnvironment()
    {
        static string Port(string variable, string fallback) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } port ? port : fallback;

        var timeout = int.TryParse(Environment.GetEnvironmentVariable("ORDERSMAIL_JOURNEY_STEP_TIMEOUT"), out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultStepTimeout;
        return new JourneySettings(
            new Uri($"http://127.0.0.1:{Port("ORDERSMAIL_OrdersApi__Port", "5100")}/"),
            new Uri($"http://127.0.0.1:{Port("ORDERSMAIL_MailSandbox__Port", "7070")}/"),
            new Uri(Environment.GetEnvironmentVariable("ORDERSMAIL_InboxProvisioner__Provisioning__WebhookUrl") is { Length: > 0 } url
                ? url
                : $"http://127.0.0.1:{Port("ORDERSMAIL_InboundRouter__Port", "5300")}/webhooks/agentmail"),
            timeout);
    }
}
