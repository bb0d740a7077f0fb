using MassTransit;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Steps.Webhook;

/// <summary>
/// The webhook step, asked when the inbox step left the webhook undone or unproven (an AgentMail outage or refusal
/// while creating it, a read-back that differed or failed): under the customer's lease, the inbox's one webhook
/// (<see cref="InboxWebhookSubscription"/>). It answers <see cref="InboxWebhookVerified"/> when AgentMail stores what
/// was asked for, otherwise <see cref="InboxWebhookSubscribed"/> and the reconcile step repairs it. An AgentMail outage
/// while creating the webhook, an answer to it that cannot be read, or a refusal for the account (a bad key, a missing
/// permission) defers the step (<see cref="StepDeferral"/>).
/// </summary>
public sealed class SubscribeInboxWebhookConsumer(
    CustomerInboxes customers,
    InboxWebhookSubscription subscription,
    StepsTaken stepsTaken,
    ProvisioningTelemetry telemetry,
    AccountRefusalLog refusals,
    ILogger<SubscribeInboxWebhookConsumer> logger) : IConsumer<SubscribeInboxWebhook>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<SubscribeInboxWebhook> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        await stepsTaken.RecordAsync(command.OrderId, ProvisioningStates.SubscribingWebhook, context.CancellationToken);
        await StepDeferral.RunAsync(context, logger, telemetry, refusals, ProvisioningSteps.Webhook, "webhook subscribe", command.OrderId, command.Run, command.OrderRef, () => SubscribeAndAnswerAsync(context, command));
    }

    private async Task SubscribeAndAnswerAsync(ConsumeContext context, SubscribeInboxWebhook command)
    {
        var cancellationToken = context.CancellationToken;
        object outcome;
        await using (var customer = await customers.LeaseAsync(command.UserId, cancellationToken))
        {
            outcome = customer.Owning(command.InboxId) is { } row
                ? await subscription.SubscribeAsync(customer, row, command.OrderId, command.Run, command.InboxId, cancellationToken)
                : ProvisioningStepFailed.InboxNotOwned(command.OrderId, ProvisioningSteps.Webhook, command.UserId, command.InboxId, command.Run);
        }

        await context.Publish(outcome, outcome.GetType(), cancellationToken);
    }
}
