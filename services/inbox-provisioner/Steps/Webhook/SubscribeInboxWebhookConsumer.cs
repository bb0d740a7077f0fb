using MassTransit;
using Microsoft.Extensions.Options;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Steps.Webhook;

/// <summary>
/// The webhook step: under the customer's lease, the inbox's one webhook, created through the inbox-scoped endpoint
/// (the path sets the scope; an org-wide webhook is never asked for) with a deterministic client_id, so a retry or
/// a second order of the customer gets the same webhook. The reconcile step proves it right afterwards. An AgentMail
/// outage defers the step (<see cref="StepDeferral"/>).
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
            if (row is null)
            {
                outcome = ProvisioningStepFailed.InboxNotOwned(command.OrderId, ProvisioningSteps.Webhook, command.UserId, command.InboxId);
            }
            else if (row.WebhookId is { } existing)
            {
                outcome = new InboxWebhookSubscribed(command.OrderId, existing, Created: false);
            }
            else
            {
                outcome = await CreateAsync(customer, row, command, cancellationToken);
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
}
