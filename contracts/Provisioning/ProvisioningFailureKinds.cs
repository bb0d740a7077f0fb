namespace OrdersMail.Contracts.Provisioning;

/// <summary>
/// What kind of failure ended a provisioning saga (<see cref="InboxProvisioningFailed.Kind"/>): what a service facing the
/// customer words its sentence from, as <see cref="InboxProvisioningFailed.Reason"/> is for ops and names other
/// customers' inboxes, webhooks and AgentMail's own words. A kind a reader does not know (a newer provisioner's) reads
/// as none.
/// </summary>
public static class ProvisioningFailureKinds
{
    /// <summary>AgentMail refused to create the customer's inbox, or no free username was left for it.</summary>
    public const string InboxRefused = "inbox_refused";

    /// <summary>AgentMail refused the inbox's webhook, or its repair.</summary>
    public const string WebhookRefused = "webhook_refused";

    /// <summary>AgentMail stored the inbox's webhook other than asked through every read-back; what was wrong is deleted.</summary>
    public const string WebhookMisscoped = "webhook_misscoped";

    /// <summary>The customer's inbox was torn down while the saga was setting it up.</summary>
    public const string InboxRemoved = "inbox_removed";

    /// <summary>A step did not finish, asked again and again (AgentMail unavailable, or no consumer took it).</summary>
    public const string TimedOut = "timed_out";
}
