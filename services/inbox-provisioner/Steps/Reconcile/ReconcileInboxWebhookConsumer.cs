using MassTransit;
using Microsoft.Extensions.Options;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Steps.Reconcile;

/// <summary>
/// The reconcile step, asked for when the inbox or webhook step's own read-back found the webhook differing or could not read
/// it, after each repair, and once more when a saga fails. A POST's answer is not proof, so the webhook is read back
/// (org-level GET, which still sees a webhook whose scope drifted) and compared with what was asked for. An org-wide webhook is deleted at once and
/// reported as a security event; other drift is repaired (event types by PATCH, scope, url or enabled by deleting
/// and creating again) and the saga asks for another read-back. The last allowed attempt repairs nothing: it
/// deletes what is still wrong, so a failed saga leaves no mis-scoped webhook behind. An AgentMail outage, an answer
/// that cannot be read, or a refusal for the account (a bad key, a missing permission) defers the step (<see cref="StepDeferral"/>).
/// </summary>
public sealed partial class ReconcileInboxWebhookConsumer(
    CustomerInboxes customers,
    AgentMailClient agentMail,
    InboxWebhookRepair repair,
    StepsTaken stepsTaken,
    ProvisioningTelemetry telemetry,
    AccountRefusalLog refusals,
    IOptions<ProvisioningOptions> options,
    ILogger<ReconcileInboxWebhookConsumer> logger) : IConsumer<ReconcileInboxWebhook>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<ReconcileInboxWebhook> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        await stepsTaken.RecordAsync(command.OrderId, ProvisioningStates.ReconcilingWebhook, context.CancellationToken);
        await StepDeferral.RunAsync(context, logger, telemetry, refusals, ProvisioningSteps.Reconcile, "webhook reconcile", command.OrderId, command.Run, command.OrderRef, () => ReconcileAndAnswerAsync(context, command));
    }

    private async Task ReconcileAndAnswerAsync(ConsumeContext context, ReconcileInboxWebhook command)
    {
        var cancellationToken = context.CancellationToken;
        object outcome;
        CustomerInbox? row;
        await using (var customer = await customers.LeaseAsync(command.UserId, cancellationToken))
        {
            row = customer.Owning(command.InboxId);
            outcome = row is null
                ? ProvisioningStepFailed.InboxNotOwned(command.OrderId, ProvisioningSteps.Reconcile, command.UserId, command.InboxId, command.Run)
                : await ReconcileOrFailAsync(customer, row, command, cancellationToken);
        }

        await context.Publish(outcome, outcome.GetType(), cancellationToken);

        // A repair that re-created the webhook replaced it: the inbound-router must verify with the new one's secret
        // and never trust the old id again.
        if (outcome is InboxWebhookRepaired repaired && repaired.WebhookId != row!.WebhookId)
        {
            await context.Publish(
                new InboxWebhookReplaced(command.UserId, command.InboxId, repaired.WebhookId, row.WebhookId, DateTimeOffset.UtcNow), cancellationToken);
        }
    }

    // A definitive AgentMail answer about the webhook fails the step; one for the account is deferred, as every call
    // meets it until the key is put right. What was written before any failure stays written, as it should: each write
    // records what AgentMail now holds (a webhook deleted, or created in its place).
    private async Task<object> ReconcileOrFailAsync(CustomerLease customer, CustomerInbox row, ReconcileInboxWebhook command, CancellationToken cancellationToken)
    {
        try
        {
            return await ReconcileAsync(customer, row, command, cancellationToken);
        }
        catch (AgentMailException e) when (!e.IsAccountRefusal)
        {
            telemetry.Reconciled("failed");
            return new ProvisioningStepFailed(command.OrderId, ProvisioningSteps.Reconcile, $"AgentMail refused a repair of the inbox's webhook: {e.Message}", command.Run, ProvisioningFailureKinds.WebhookRefused);
        }
    }

    private async Task<object> ReconcileAsync(CustomerLease customer, CustomerInbox row, ReconcileInboxWebhook command, CancellationToken cancellationToken)
    {
        // The customer's current webhook wins: another order's saga may have replaced the one this saga knew.
        var stored = row.WebhookId is { } current ? await agentMail.GetWebhookAsync(current, cancellationToken) : null;
        var inspection = repair.Inspect(stored, command.InboxId);
        if (inspection.Matches)
        {
            telemetry.Reconciled("verified");
            return new InboxWebhookVerified(command.OrderId, stored!.WebhookId, Run: command.Run);
        }

        if (inspection.OrgWide)
        {
            repair.ReportOrgWide(stored!, command.InboxId, $"order {command.OrderId}");
        }

        if (command.Attempt >= options.Value.MaxReconcileAttempts)
        {
            await repair.RemoveAsync(customer, row, stored, cancellationToken);
            telemetry.Reconciled("failed");
            return new ProvisioningStepFailed(
                command.OrderId,
                ProvisioningSteps.Reconcile,
                $"The webhook still differed from what was asked for after {command.Attempt} read-back(s): {string.Join("; ", inspection.Findings)}. What was wrong is deleted.",
                command.Run,
                ProvisioningFailureKinds.WebhookMisscoped);
        }

        var repairedId = await repair.RepairAsync(customer, row, stored, inspection, command.InboxId, cancellationToken);
        telemetry.Reconciled("repaired");
        LogRepaired(logger, repairedId, command.InboxId, string.Join("; ", inspection.Findings));
        return new InboxWebhookRepaired(command.OrderId, repairedId, inspection.Findings, inspection.OrgWide, command.Attempt, command.Run);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook of inbox {InboxId} repaired as {WebhookId}: {Findings}")]
    private static partial void LogRepaired(ILogger logger, string webhookId, string inboxId, string findings);
}
