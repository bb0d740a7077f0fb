using Dapper;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Watch;

/// <summary>
/// A customer's webhook is checked by each of their orders, but between orders AgentMail's console or API can delete,
/// disable or change it (and Svix disables an endpoint that keeps failing), and until the next order the inbox's mail
/// would reach nobody. Every <see cref="ProvisioningOptions.WebhookWatchEvery"/> the watch lists the organisation's
/// webhooks (a call per 100, not one per customer) and compares each customer's with what it must be. A customer
/// whose webhook is missing from the list or differs is read again under their lease, as the steps do, and repaired
/// the way the reconcile step repairs; what AgentMail still stores wrong after that is deleted, never left mis-scoped.
/// A re-created webhook is announced (<see cref="InboxWebhookReplaced"/>): the inbound-router trusts the new one and
/// routes the mail the inbox received meanwhile.
/// </summary>
public sealed partial class WebhookWatch(
    NpgsqlDataSource dataSource,
    CustomerInboxes customers,
    AgentMailClient agentMail,
    InboxWebhookRepair repair,
    IBus bus,
    ProvisioningTelemetry telemetry,
    IOptions<ProvisioningOptions> options,
    TimeProvider time,
    ILogger<WebhookWatch> logger) : PeriodicScan(options.Value.WebhookWatchEvery, time, logger)
{
    private const int RowsPerRead = 1_000;

    private readonly TimeProvider _clock = time;

    // The announcement is a publish with no transaction behind it: waited for this long at most. The router also reads
    // a replaced webhook's secret again on the first event whose signature does not match.
    private static readonly TimeSpan AnnounceTimeout = TimeSpan.FromSeconds(10);

    /// <summary>One look: returns how many webhooks it repaired.</summary>
    /// <remarks>An inbox that is gone at AgentMail is forgotten; the customer's next order provisions a new one.</remarks>
    public override async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var listed = await ListWebhooksAsync(cancellationToken);
        var suspects = await SuspectsAsync(listed, cancellationToken);
        var budget = options.Value.WebhookWatchBudget;
        if (suspects.Count > budget)
        {
            LogOverBudget(logger, suspects.Count, budget);
        }

        // In no fixed order: customers whose webhook cannot be repaired (AgentMail refusing) never keep others waiting.
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(suspects));
        var repaired = 0;
        foreach (var userId in suspects.Take(budget))
        {
            if (await ExamineAsync(userId, cancellationToken))
            {
                repaired++;
            }
        }

        return repaired;
    }

    private async Task<Dictionary<string, AgentMailWebhook>> ListWebhooksAsync(CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, AgentMailWebhook>(StringComparer.Ordinal);
        string? pageToken = null;
        do
        {
            var page = await agentMail.ListWebhooksAsync(pageToken, cancellationToken);
            foreach (var webhook in page.Webhooks)
            {
                listed[webhook.WebhookId] = webhook;
            }

            pageToken = page.NextPageToken;
        }
        while (pageToken is not null);

        return listed;
    }

    // Customers whose webhook the list does not show as it must be. The list is a snapshot taken before the rows were
    // read, so a webhook created since is a suspect too; the close look under the lease clears it.
    private async Task<List<string>> SuspectsAsync(Dictionary<string, AgentMailWebhook> listed, CancellationToken cancellationToken)
    {
        var suspects = new List<string>();
        var after = "";
        while (true)
        {
            IReadOnlyList<(string UserId, string InboxId, string? WebhookId)> rows;
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                rows = [.. await connection.QueryAsync<(string, string, string?)>(new CommandDefinition(
                    """
                    select user_id, inbox_id, webhook_id from customer_inboxes
                    where inbox_id is not null and user_id > @After
                    order by user_id limit @Limit
                    """,
                    new { After = after, Limit = RowsPerRead },
                    cancellationToken: cancellationToken))];
            }

            foreach (var (userId, inboxId, webhookId) in rows)
            {
                var healthy = webhookId is not null && listed.TryGetValue(webhookId, out var stored) && repair.Inspect(stored, inboxId).Matches;
                if (!healthy)
                {
                    suspects.Add(userId);
                }
            }

            if (rows.Count < RowsPerRead)
            {
                return suspects;
            }

            after = rows[^1].UserId;
        }
    }

    // True when the customer's webhook was repaired.
    private async Task<bool> ExamineAsync(string userId, CancellationToken cancellationToken)
    {
        InboxWebhookReplaced? replaced;
        await using (var customer = await customers.LeaseAsync(userId, cancellationToken))
        {
            if (customer.Row is not { InboxId: { } inboxId } row)
            {
                return false;
            }

            var stored = row.WebhookId is { } current ? await agentMail.GetWebhookAsync(current, cancellationToken) : null;
            var inspection = repair.Inspect(stored, inboxId);
            if (inspection.Matches)
            {
                return false;
            }

            if (inspection.OrgWide)
            {
                repair.ReportOrgWide(stored!, inboxId, $"customer {userId}, found by the webhook watch");
            }

            var findings = string.Join("; ", inspection.Findings);
            var webhookId = await RepairAsync(customer, row, stored, inspection, inboxId, findings, cancellationToken);
            if (webhookId is null)
            {
                return false;
            }

            replaced = webhookId == row.WebhookId ? null : new InboxWebhookReplaced(userId, inboxId, webhookId, row.WebhookId, _clock.GetUtcNow());
        }

        if (replaced is not null)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AnnounceTimeout);
            await bus.Publish(replaced, timeout.Token);
        }

        return true;
    }

    // The repaired webhook's id, read back and found right; null when AgentMail refused the repair or stored it wrong
    // again (then deleted: the next look tries again).
    private async Task<string?> RepairAsync(
        CustomerLease customer, CustomerInbox row, AgentMailWebhook? stored, WebhookInspection inspection, string inboxId, string findings, CancellationToken cancellationToken)
    {
        string webhookId;
        try
        {
            webhookId = await repair.RepairAsync(customer, row, stored, inspection, inboxId, cancellationToken);
        }
        catch (AgentMailException e)
        {
            if (e.StatusCode == StatusCodes.Status404NotFound && await agentMail.GetInboxAsync(inboxId, cancellationToken) is null)
            {
                // Forgotten, so it is not looked at again at every look, taking the budget from customers who can be helped.
                await customer.ForgetInboxAsync(cancellationToken);
                telemetry.WatchRepaired("inbox_gone");
                LogInboxGone(logger, inboxId, row.UserId);
                return null;
            }

            telemetry.WatchRepaired("failed");
            LogRepairRefused(logger, inboxId, row.UserId, findings, e.Message);
            return null;
        }

        var readBack = await agentMail.GetWebhookAsync(webhookId, cancellationToken);
        var again = repair.Inspect(readBack, inboxId);
        if (!again.Matches)
        {
            await repair.RemoveAsync(customer, (await customer.ReadAsync(cancellationToken))!, readBack, cancellationToken);
            telemetry.WatchRepaired("failed");
            LogRepairRefused(logger, inboxId, row.UserId, findings, $"AgentMail stored the repair wrong too ({string.Join("; ", again.Findings)}); it is deleted");
            return null;
        }

        telemetry.WatchRepaired("repaired");
        LogRepaired(logger, inboxId, row.UserId, webhookId, findings);
        return webhookId;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook watch: {Suspects} customers' webhooks differ from the list; {Budget} are examined now, the rest at the next look")]
    private static partial void LogOverBudget(ILogger logger, int suspects, int budget);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook watch: the webhook of inbox {InboxId} (customer {UserId}) is repaired as {WebhookId}: {Findings}")]
    private static partial void LogRepaired(ILogger logger, string inboxId, string userId, string webhookId, string findings);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook watch: the webhook of inbox {InboxId} (customer {UserId}) differs ({Findings}) and could not be repaired: {Reason}")]
    private static partial void LogRepairRefused(ILogger logger, string inboxId, string userId, string findings, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook watch: inbox {InboxId} of customer {UserId} is gone at AgentMail and forgotten; the customer's next order provisions a new one")]
    private static partial void LogInboxGone(ILogger logger, string inboxId, string userId);
}
