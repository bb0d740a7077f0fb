using System.Text.Json;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Steps.Webhook;

/// <summary>
/// The inbox's one webhook, under the customer's lease: created through the inbox-scoped endpoint (the path sets the
/// scope; an org-wide webhook is never asked for) with a deterministic client_id, so a retry or a second order of the
/// customer gets the same webhook, then read back (the org-level GET the reconcile step uses), since a POST's answer
/// is not proof. The inbox step does this straight after the inbox, under the same lease (the common case: one step
/// and one saga transition per order); the webhook step does it when the inbox step could not.
/// </summary>
public sealed class InboxWebhookSubscription(AgentMailClient agentMail, InboxWebhookRepair repair, ProvisioningTelemetry telemetry)
{
    /// <summary>
    /// Answers <see cref="InboxWebhookVerified"/> when AgentMail stores what was asked for;
    /// <see cref="InboxWebhookSubscribed"/> when the webhook exists but differs or could not be read back (the
    /// reconcile step's to repair); <see cref="ProvisioningStepFailed"/> when AgentMail refused it. An AgentMail outage
    /// while creating it throws <see cref="AgentMailUnavailableException"/>, and a refusal for the account rather than the
    /// webhook (<see cref="AgentMailException.IsAccountRefusal"/>), creating or reading it back, its
    /// <see cref="AgentMailException"/>: the step defers.
    /// Each answer names the saga's <paramref name="run"/> that asked.
    /// </summary>
    public async Task<object> SubscribeAsync(CustomerLease customer, CustomerInbox row, Guid orderId, int? run, string inboxId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(row);
        var outcome = row.WebhookId is { } existing
            ? new InboxWebhookSubscribed(orderId, existing, Created: false, run)
            : await CreateAsync(customer, row, orderId, run, inboxId, cancellationToken);
        return outcome is InboxWebhookSubscribed subscribed
            ? await ReadBackAsync(subscribed, inboxId, cancellationToken)
            : outcome;
    }

    private async Task<object> CreateAsync(CustomerLease customer, CustomerInbox row, Guid orderId, int? run, string inboxId, CancellationToken cancellationToken)
    {
        try
        {
            var webhook = await repair.CreateAsync(customer, row, inboxId, cancellationToken);
            return new InboxWebhookSubscribed(orderId, webhook.WebhookId, Created: true, run);
        }
        catch (AgentMailException e) when (!e.IsAccountRefusal)
        {
            return new ProvisioningStepFailed(orderId, ProvisioningSteps.Webhook, $"AgentMail refused the inbox's webhook: {e.Message}", run, ProvisioningFailureKinds.WebhookRefused);
        }
    }

    // The reconcile step's first read-back, made here at once: a match ends the webhook's part of the saga. Anything
    // else, an AgentMail error, outage or unreadable answer on the read included, is left to the reconcile step, which
    // reads the webhook again and repairs it, defers itself or fails with the reason: the webhook exists and is
    // recorded either way. A refusal for the account is not left to it, which would only meet it again: the step defers.
    private async Task<object> ReadBackAsync(InboxWebhookSubscribed subscribed, string inboxId, CancellationToken cancellationToken)
    {
        AgentMailWebhook? stored;
        try
        {
            stored = await agentMail.GetWebhookAsync(subscribed.WebhookId, cancellationToken);
        }
        catch (Exception e) when (e is AgentMailException { IsAccountRefusal: false } or AgentMailUnavailableException or JsonException)
        {
            return subscribed;
        }

        if (!repair.Inspect(stored, inboxId).Matches)
        {
            return subscribed;
        }

        telemetry.Reconciled("verified");
        return new InboxWebhookVerified(subscribed.OrderId, subscribed.WebhookId, subscribed.Created, subscribed.Run);
    }
}
