using MassTransit;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Steps.Inbox;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.InboxProvisioner.Steps.Webhook;

namespace OrdersMail.InboxProvisioner.Tests;

/// <summary>
/// The provisioner's own messages keep the wire names they had when first deployed, wherever their types live:
/// a command or reply in a queue during a deployment must still be recognised by the next version.
/// </summary>
public sealed class MessageNames_Specs
{
    /// <summary>The names as MassTransit first derived them, from the Provisioning.Messages namespace.</summary>
    public static TheoryData<Type, string> Names() => new()
    {
        { typeof(EnsureCustomerInbox), "EnsureCustomerInbox" },
        { typeof(CustomerInboxEnsured), "CustomerInboxEnsured" },
        { typeof(SubscribeInboxWebhook), "SubscribeInboxWebhook" },
        { typeof(InboxWebhookSubscribed), "InboxWebhookSubscribed" },
        { typeof(ReconcileInboxWebhook), "ReconcileInboxWebhook" },
        { typeof(InboxWebhookVerified), "InboxWebhookVerified" },
        { typeof(InboxWebhookRepaired), "InboxWebhookRepaired" },
        { typeof(ProvisioningStepFailed), "ProvisioningStepFailed" },
        { typeof(ResumeProvisioning), "ResumeProvisioning" },
        { typeof(RetryProvisioning), "RetryProvisioning" },
        { typeof(ProvisioningStepDeferred), "ProvisioningStepDeferred" },
        { typeof(RetryDeferredStep), "RetryDeferredStep" },
    };

    /// <summary>Each message's urn is the one it was first sent under.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void Should_keep_the_first_deployed_message_urn(Type message, string name)
    {
        Assert.Equal($"urn:message:OrdersMail.InboxProvisioner.Provisioning.Messages:{name}", MessageUrn.ForTypeString(message));
    }
}
