using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Operations;

/// <summary>
/// Deletes a customer's inbox for ops: its webhook first (so no event of a half-deleted inbox is ever posted to a
/// webhook nobody owns), then the inbox if it is still theirs, then the customer's row, all under the customer's lease. Each step is written as it is done, so a teardown that
/// fails at the inbox (the webhook forgotten already) goes straight to the inbox when retried. The customer's inbox
/// generation outlives the row, so an inbox they are given later is never asked for under the deleted one's client_id.
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

        string? deletedInbox = null;
        if (row.InboxId is { } inboxId)
        {
            deletedInbox = await DeleteIfTheirsAsync(row, inboxId, cancellationToken) ? inboxId : null;

            // Deleted now, or gone or another's before: the inbox of this generation is no more, so should the customer
            // order again, theirs is asked for under the next generation's client_id (ForgetAsync keeps it past the row).
            await customer.ForgetInboxAsync(cancellationToken);
        }

        await customer.ForgetAsync(cancellationToken);
        return new TeardownResult(userId, deletedInbox, row.WebhookId);
    }

    // Only an inbox AgentMail keeps under the customer's client_id (of their row's generation) is theirs to delete: the
    // one their row names may have been deleted outside the provisioner and its address given to another customer since.
    private async Task<bool> DeleteIfTheirsAsync(CustomerInbox row, string inboxId, CancellationToken cancellationToken) =>
        await agentMail.GetInboxAsync(inboxId, cancellationToken) is { } inbox
        && inbox.ClientId == InboxNaming.InboxClientId(row.UserId, row.InboxGeneration)
        && await agentMail.DeleteInboxAsync(inboxId, cancellationToken);
}
