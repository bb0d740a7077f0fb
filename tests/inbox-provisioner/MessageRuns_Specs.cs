using System.Text.Json;
using MassTransit.Serialization;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Steps.Inbox;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.InboxProvisioner.Steps.Webhook;

namespace OrdersMail.InboxProvisioner.Tests;

/// <summary>
/// A step command or answer a build before saga runs sent, still queued during a deployment, names no run: MassTransit
/// reads it as naming none (null), which the saga counts for the run it is on (<c>StaleAnswer_Specs</c>), not as run 0,
/// which a retried saga would take for its failed run's.
/// </summary>
public sealed class MessageRuns_Specs
{
    private const string OrderId = "\"orderId\": \"6c0f3b8e-1c57-4a57-9f43-3c8d2b1e5a10\"";

    /// <summary>Each message as the build before runs wrote it, and how its run is read.</summary>
    public static TheoryData<Type, string> WithoutRun() => new()
    {
        { typeof(EnsureCustomerInbox), $$"""{ {{OrderId}}, "orderRef": "ORD-1", "userId": "user_1", "customerEmail": "jane@customers.example", "customerName": null, "placedAt": "2026-12-06T10:00:00+00:00" }""" },
        { typeof(CustomerInboxEnsured), $$"""{ {{OrderId}}, "inboxId": "jane@agentmail.to", "inboxAddress": "jane@agentmail.to", "created": true, "stampedOrderRef": "ORD-1" }""" },
        { typeof(SubscribeInboxWebhook), $$"""{ {{OrderId}}, "userId": "user_1", "inboxId": "jane@agentmail.to" }""" },
        { typeof(InboxWebhookSubscribed), $$"""{ {{OrderId}}, "webhookId": "wh_1", "created": true }""" },
        { typeof(ReconcileInboxWebhook), $$"""{ {{OrderId}}, "userId": "user_1", "inboxId": "jane@agentmail.to", "webhookId": "wh_1", "attempt": 3 }""" },
        { typeof(InboxWebhookVerified), $$"""{ {{OrderId}}, "webhookId": "wh_1" }""" },
        { typeof(InboxWebhookRepaired), $$"""{ {{OrderId}}, "webhookId": "wh_2", "findings": ["url differed"], "securityEvent": false, "attempt": 1 }""" },
        { typeof(ProvisioningStepFailed), $$"""{ {{OrderId}}, "step": "reconcile", "reason": "The webhook still differed" }""" },
        { typeof(ProvisioningStepDeferred), $$"""{ {{OrderId}}, "step": "reconcile", "reason": "503" }""" },
    };

    /// <summary>A message naming no run is read as naming none.</summary>
    [Theory]
    [MemberData(nameof(WithoutRun))]
    public void Should_read_a_message_naming_no_run_as_naming_none(Type message, string json)
    {
        var read = JsonSerializer.Deserialize(json, message, SystemTextJsonMessageSerializer.Options)!;

        Assert.Null(message.GetProperty("Run")!.GetValue(read));
    }
}
