using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Operations;

/// <summary>
/// Deletes a customer's inbox for ops: its webhook first (so no event of a half-deleted inbox is ever posted to a
/// webhook nobody owns), then the inbox, then the customer's row, all under the customer's lease. Each step is written as it is done, so a teardown that
/// fails at the inbox (the webhook forgotten already) goes straight to the inbox when retried.
/// </summary>
public sealed class CustomerTeardown(CustomerInboxes customers, AgentMailClient agentMail)
{
    /// <summary>What was deleted; null when the customer has nothing to delete.</summary>
    public async Task<TeardownResult?> TearDownAsync(string userId, CancellationToken cancellationToken)
    {
        await using var customer = await customers.LeaseAsync(userId, cancellationToken);
        var row = customer.Row;
        if (row is null)
        {
            return null;
        }

        if (row.WebhookId is { } webhookId)
        {
            await agentMail.DeleteWebhookAsync(webhookId, cancellationToken);
            await customer.ForgetWebhookAsync(cancellationToken);
        }

        if (row.InboxId is { } inboxId)
        {
            await agentMail.DeleteInboxAsync(inboxId, cancellationToken);
        }

        await customer.ForgetAsync(cancellationToken);
        return new TeardownResult(userId, row.InboxId, row.WebhookId);
    }
}
