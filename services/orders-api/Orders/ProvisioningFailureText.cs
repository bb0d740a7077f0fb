using OrdersMail.Contracts.Provisioning;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// What the customer is told of their inbox's failed provisioning: one sentence per kind of failure, the same for every
/// customer. The provisioner's reason is for ops alone (GET /provisioning/{orderId}): it names the inbox a mis-scoped
/// webhook was scoped to, another customer's, the webhook's id and URL, and AgentMail's own words.
/// </summary>
public static class ProvisioningFailureText
{
    /// <summary>For a failure of no known kind: an older provisioner's, or a row an older build stored its reason in.</summary>
    public const string Unknown = "Your reply inbox for this order could not be set up; replies to its emails reach us at our shared address instead.";

    /// <summary>The sentence for <paramref name="kind"/>, as <c>orders.provisioning_detail</c> holds it.</summary>
    public static string Of(string? kind) => kind switch
    {
        ProvisioningFailureKinds.InboxRefused => "Your reply inbox for this order could not be created; replies to its emails reach us at our shared address instead.",
        ProvisioningFailureKinds.WebhookRefused or ProvisioningFailureKinds.WebhookMisscoped =>
            "Your reply inbox for this order could not be connected to us safely; replies to its emails reach us at our shared address instead.",
        ProvisioningFailureKinds.InboxRemoved => "Your reply inbox was closed while it was being set up; replies to this order's emails reach us at our shared address instead.",
        ProvisioningFailureKinds.TimedOut => "Setting up your reply inbox for this order took too long; replies to its emails reach us at our shared address instead.",
        _ => Unknown,
    };
}
