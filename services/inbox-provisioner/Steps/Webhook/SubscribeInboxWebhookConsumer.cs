using MassTransit;
using Microsoft.Extensions.Options;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Steps.Webhook;

/// <summary>
/// The webhook step: under the customer's lease, the inbox's one webhook, created through the inbox-scoped endpoint
/// (the path sets the scope; an org-wide webhook is never asked for) with a deterministic client_id, so a retry or
/// a second order of the customer gets the same webhook. A POST's answer is not proof, so the step reads the webhook
/// back (the org-level GET the reconcile step uses) and answers <see cref="InboxWebhookVerified"/> when AgentMail
/// stores what was asked for; otherwise <see cref="InboxWebhookSubscribed"/>, and the reconcile step repairs it. The
/// common case thus takes one step, one saga transition and two messages fewer. An AgentMail outage while creating the
/// webhook defers the step (<see cref="StepDeferral"/>); one while reading it back leaves the read-back to the reconcile step.
/// </summary>
public sealed class SubscribeInboxWebhookConsumer(
    CustomerInboxes customers,
    AgentMailClient agentMail,
    ProvisioningTelemetry telemetry,
    IOptions<ProvisioningOptions> options,
    ILogger<SubscribeInboxWebhookConsumer> logger) : IConsumer<SubscribeInboxWebhook>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<SubscribeInboxWebhook> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        using var activity = telemetry.StartStep("webhook subscribe", command.OrderId, command.OrderRef);
        try
        {
            await SubscribeAndAnswerAsync(context, command);
        }
        catch (AgentMailUnavailableException e)
        {
            await StepDeferral.DeferAsync(context, logger, telemetry, ProvisioningSteps.Webhook, command.OrderId, e);
        }
    }

    private async Task SubscribeAndAnswerAsync(ConsumeContext context, SubscribeInboxWebhook command)
    {
        var cancellationToken = context.CancellationToken;
        object outcome;
        await using (var customer = await customers.LeaseAsync(command.UserId, cancellationToken))
        {
            var row = customer.Owning(command.InboxId);
            outcome = row is null
                ? ProvisioningStepFailed.InboxNotOwned(command.OrderId, ProvisioningSteps.Webhook, command.UserId, command.InboxId)
                : row.WebhookId is { } existing
                    ? new InboxWebhookSubscribed(command.OrderId, existing, Created: false)
                    : await CreateAsync(customer, row, command, cancellationToken);
            if (outcome is InboxWebhookSubscribed subscribed)
            {
                outcome = await ReadBackAsync(subscribed, command.InboxId, cancellationToken);
            }
        }

        await context.Publish(outcome, outcome.GetType(), cancellationToken);
    }

    private async Task<object> CreateAsync(CustomerLease customer, CustomerInbox row, SubscribeInboxWebhook command, CancellationToken cancellationToken)
    {
        var wanted = options.Value;
        try
        {
            var webhook = await agentMail.CreateInboxWebhookAsync(
                command.InboxId,
                new CreateInboxWebhook(wanted.WebhookUrl.AbsoluteUri, wanted.EventTypes, InboxNaming.WebhookClientId(row.UserId, row.WebhookGeneration)),
                cancellationToken);
            // Kept even if publishing the outcome fails: the webhook exists, and a retry finds it here instead of
            // asking AgentMail again.
            await customer.SaveWebhookAsync(webhook.WebhookId, cancellationToken);
            return new InboxWebhookSubscribed(command.OrderId, webhook.WebhookId, Created: true);
        }
        catch (AgentMailException e)
        {
            return new ProvisioningStepFailed(command.OrderId, ProvisioningSteps.Webhook, $"AgentMail refused the inbox's webhook: {e.Message}");
        }
    }

    // The reconcile step's first read-back, made here at once: a match ends the webhook's part of the saga. Anything
    // else, an AgentMail error or outage on the read included, is left to the reconcile step, which reads the webhook
    // again and repairs it, defers itself or fails with the reason: the webhook exists and is recorded, so this step
    // is done either way.
    private async Task<object> ReadBackAsync(InboxWebhookSubscribed subscribed, string inboxId, CancellationToken cancellationToken)
    {
        var wanted = options.Value;
        AgentMailWebhook? stored;
        try
        {
            stored = await agentMail.GetWebhookAsync(subscribed.WebhookId, cancellationToken);
        }
        catch (Exception e) when (e is AgentMailException or AgentMailUnavailableException)
        {
            return subscribed;
        }

        if (!WebhookInspection.Of(stored, inboxId, wanted.WebhookUrl.AbsoluteUri, wanted.EventTypes).Matches)
        {
            return subscribed;
        }

        telemetry.Reconciled("verified");
        return new InboxWebhookVerified(subscribed.OrderId, subscribed.WebhookId, subscribed.Created);
    }
}
