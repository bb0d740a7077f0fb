namespace OrdersMail.InboxProvisioner;

/// <summary>
/// The service's queues, named after it: the saga's, and one per step consumer (the saga sends each step's
/// command there; the consumer makes the AgentMail calls outside the saga's transaction).
/// </summary>
public static class ProvisioningQueues
{
    /// <summary>The saga: OrderCreated and every step's outcome.</summary>
    public const string Saga = "inbox-provisioner-saga";

    /// <summary>Creates or re-stamps the customer's inbox.</summary>
    public const string EnsureInbox = "inbox-provisioner-ensure-inbox";

    /// <summary>Subscribes the inbox's webhook.</summary>
    public const string SubscribeWebhook = "inbox-provisioner-subscribe-webhook";

    /// <summary>Reads the webhook back and repairs it.</summary>
    public const string ReconcileWebhook = "inbox-provisioner-reconcile-webhook";

    /// <summary>The step consumers' queues.</summary>
    public static readonly IReadOnlyList<string> StepQueues = [EnsureInbox, SubscribeWebhook, ReconcileWebhook];

    /// <summary>
    /// Where to send a queue's commands: the exchange its receive endpoint binds to the queue. Sending to
    /// <c>queue:</c> would make the sender declare the queue itself, as a classic queue, which the broker refuses
    /// for a queue its consumer already declared as a quorum queue.
    /// </summary>
    public static Uri Address(string queue) => new($"exchange:{queue}");
}
