using Microsoft.Extensions.Options;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Steps.Reconcile;

/// <summary>
/// Puts a customer's webhook right, under their lease: what the reconcile step does on each read-back that differs, and
/// what the webhook watch does between orders. Event types are fixed in place (PATCH); scope, url or enabled only by
/// deleting the webhook and creating it again (under a new client_id, so AgentMail does not hand the old one back).
/// Each write records at once what AgentMail now holds, so an error part-way leaves the customer's row true.
/// </summary>
public sealed partial class InboxWebhookRepair(
    AgentMailClient agentMail,
    ProvisioningTelemetry telemetry,
    IOptions<ProvisioningOptions> options,
    ILogger<InboxWebhookRepair> logger)
{
    /// <summary>Compares what AgentMail stores (null: nothing) with the webhook the inbox must have.</summary>
    public WebhookInspection Inspect(AgentMailWebhook? stored, string inboxId)
    {
        var wanted = options.Value;
        return WebhookInspection.Of(stored, inboxId, WantedUrl, wanted.EventTypes);
    }

    /// <summary>
    /// Reports a webhook found stored org-wide (it receives every tenant's mail) as a security event; the repair that
    /// follows deletes it. <paramref name="foundBy"/> says whose look found it (an order, the watch).
    /// </summary>
    public void ReportOrgWide(AgentMailWebhook stored, string inboxId, string foundBy)
    {
        ArgumentNullException.ThrowIfNull(stored);
        telemetry.SecurityEvent("org_wide_webhook");
        LogOrgWideDeleted(logger, stored.WebhookId, inboxId, foundBy);
    }

    /// <summary>Repairs <paramref name="stored"/> as <paramref name="inspection"/> found it; returns the id of the webhook that feeds the inbox now.</summary>
    /// <exception cref="AgentMailException">AgentMail refused a repair.</exception>
    public async Task<string> RepairAsync(CustomerLease customer, CustomerInbox row, AgentMailWebhook? stored, WebhookInspection inspection, string inboxId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        if (!inspection.NeedsRecreate)
        {
            return (await agentMail.UpdateWebhookEventTypesAsync(stored!.WebhookId, options.Value.EventTypes, cancellationToken)).WebhookId;
        }

        await RemoveAsync(customer, row, stored, cancellationToken);
        return (await CreateAsync(customer, (await customer.ReadAsync(cancellationToken))!, inboxId, cancellationToken)).WebhookId;
    }

    /// <summary>Deletes <paramref name="stored"/> (if AgentMail still has it) and forgets the customer's webhook.</summary>
    public async Task RemoveAsync(CustomerLease customer, CustomerInbox row, AgentMailWebhook? stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(row);
        if (stored is not null)
        {
            await agentMail.DeleteWebhookAsync(stored.WebhookId, cancellationToken);
        }

        if (stored is not null || row.WebhookId is not null)
        {
            await customer.ForgetWebhookAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Creates the inbox's webhook through the inbox-scoped endpoint (the path sets the scope; an org-wide webhook is
    /// never asked for) under the client_id of <paramref name="row"/>'s generation, so a retry gets the same webhook,
    /// and remembers it at once: a retry finds it in the row instead of asking AgentMail again.
    /// </summary>
    /// <exception cref="AgentMailException">AgentMail refused it.</exception>
    public async Task<AgentMailWebhook> CreateAsync(CustomerLease customer, CustomerInbox row, string inboxId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(row);
        var wanted = options.Value;
        var webhook = await agentMail.CreateInboxWebhookAsync(
            inboxId,
            new CreateInboxWebhook(WantedUrl, wanted.EventTypes, InboxNaming.WebhookClientId(row.UserId, row.InboxGeneration, row.WebhookGeneration)),
            cancellationToken);
        await customer.SaveWebhookAsync(webhook.WebhookId, cancellationToken);
        return webhook;
    }

    // Checked at start (InboxProvisionerComposition); options made by hand without it have no webhook to compare.
    private string WantedUrl =>
        options.Value.WebhookUrl?.AbsoluteUri ?? throw new InvalidOperationException($"{ProvisioningOptions.Section}:WebhookUrl is not set.");

    [LoggerMessage(Level = LogLevel.Warning, EventName = "SecurityEvent", Message = "SECURITY: webhook {WebhookId} for inbox {InboxId} ({FoundBy}) was stored org-wide, receiving every tenant's mail; it is deleted")]
    private static partial void LogOrgWideDeleted(ILogger logger, string webhookId, string inboxId, string foundBy);
}
