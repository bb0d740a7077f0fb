using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Watch;

/// <summary>
/// A customer's webhook is checked by each of their orders, but between orders AgentMail's console or API can delete,
/// disable or change it (and Svix disables an endpoint that keeps failing), and until the next order the inbox's mail
/// would reach nobody. Every <see cref="ProvisioningOptions.WebhookWatchEvery"/> the watch lists the organisation's
/// webhooks and inboxes (a call per 100, not one per customer) and compares each customer's webhook with what it must be. A customer
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

    // 200,000 webhooks or inboxes: far beyond the webhooks an AgentMail organisation may have.
    private const int MaxPages = 2_000;

    private readonly TimeProvider _clock = time;

    // The announcement is a publish with no transaction behind it, waited for this long at most. One that fails is
    // logged: the router finds the old webhook gone at the inbox's next event, moves to the new one and looks for the mail
    // received in between itself, only later than the announcement would have had it.
    private static readonly TimeSpan AnnounceTimeout = TimeSpan.FromSeconds(10);

    /// <summary>One look: returns how many webhooks it repaired.</summary>
    protected override async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var webhooks = new Dictionary<string, AgentMailWebhook>(StringComparer.Ordinal);
        await ForEachPageAsync(agentMail.ListWebhooksAsync, p => (p.Webhooks, p.NextPageToken), w => webhooks[w.WebhookId] = w, cancellationToken);
        var inboxes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await ForEachPageAsync(agentMail.ListInboxesAsync, p => (p.Inboxes, p.NextPageToken), i => inboxes.Add(i.InboxId), cancellationToken);
        var suspects = await SuspectsAsync(webhooks, inboxes, cancellationToken);
        var budget = options.Value.WebhookWatchBudget;
        if (suspects.Count > budget)
        {
            LogOverBudget(logger, suspects.Count, budget);
        }

        var repaired = 0;
        foreach (var userId in suspects.InTurn().Take(budget))
        {
            try
            {
                repaired += await ExamineAsync(userId, cancellationToken) ? 1 : 0;
            }
            catch (Exception e) when (e is TimeoutException or CustomerLeaseLostException)
            {
                // The customer's lease is another's (an order of theirs, which checks the webhook itself): the next look.
                LogBusy(logger, userId, e.Message);
            }
            catch (Exception e) when (e is AgentMailException { IsAccountRefusal: false } or JsonException)
            {
                // AgentMail refused, or answered what cannot be read, for this customer's webhook alone: the customers after
                // them are still examined, not left to the next look. An outage (AgentMailUnavailableException) or a refusal
                // for the account (a bad key, a permission it lacks) still ends the look: the calls for the others would only
                // meet it too, each logged as this customer's, and each repair that deletes a webhook before creating its
                // replacement would leave one more inbox without one.
                telemetry.WatchRepaired("failed");
                LogExamineFailed(logger, userId, e.Message);
            }
        }

        return repaired;
    }

    private static async Task ForEachPageAsync<TPage, TItem>(
        Func<string?, CancellationToken, Task<TPage>> list, Func<TPage, (IReadOnlyList<TItem> Items, string? Next)> read, Action<TItem> take, CancellationToken cancellationToken)
    {
        string? pageToken = null;
        var pages = 0;
        do
        {
            // Bounded, so a page token AgentMail kept answering with would fail the look instead of looping in it.
            if (++pages > MaxPages)
            {
                throw new InvalidOperationException($"AgentMail still had another page after {MaxPages} pages of 100; the look is given up.");
            }

            var (items, next) = read(await list(pageToken, cancellationToken));
            foreach (var item in items)
            {
                take(item);
            }

            pageToken = next;
        }
        while (pageToken is not null);
    }

    // Customers whose webhook the lists do not show as it must be. The lists are snapshots taken before the rows were read,
    // so a webhook or inbox created since makes a suspect too; the close look under the lease clears it.
    private async Task<WatchSuspects> SuspectsAsync(
        Dictionary<string, AgentMailWebhook> webhooks, HashSet<string> inboxes, CancellationToken cancellationToken)
    {
        var suspects = new WatchSuspects();
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
                var stored = webhookId is not null ? webhooks.GetValueOrDefault(webhookId) : null;
                var inspection = repair.Inspect(stored, inboxId);
                if (!inspection.Matches)
                {
                    suspects.Add(userId, inspection, inboxes.Contains(inboxId));
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
            await AnnounceAsync(replaced, cancellationToken);
        }

        return true;
    }

    private async Task AnnounceAsync(InboxWebhookReplaced replaced, CancellationToken cancellationToken)
    {
        try
        {
            await bus.PublishWithinAsync(replaced, AnnounceTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogAnnounceFailed(logger, replaced.InboxId, replaced.WebhookId, e);
        }
    }

    // The repaired webhook's id, read back and found right; null when AgentMail refused the repair or stored it wrong
    // again (then deleted: the next look tries again). A refusal for the account is not this webhook's: it ends the look.
    private async Task<string?> RepairAsync(
        CustomerLease customer, CustomerInbox row, AgentMailWebhook? stored, WebhookInspection inspection, string inboxId, string findings, CancellationToken cancellationToken)
    {
        string webhookId;
        try
        {
            webhookId = await repair.RepairAsync(customer, row, stored, inspection, inboxId, cancellationToken);
        }
        catch (AgentMailException e) when (!e.IsAccountRefusal)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook watch: the replacement of inbox {InboxId}'s webhook by {WebhookId} could not be announced; the router moves to it at the inbox's next event")]
    private static partial void LogAnnounceFailed(ILogger logger, string inboxId, string webhookId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook watch: customer {UserId} is busy ({Reason}); left to the next look")]
    private static partial void LogBusy(ILogger logger, string userId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook watch: the webhook of customer {UserId} could not be examined; left to the next look: {Reason}")]
    private static partial void LogExamineFailed(ILogger logger, string userId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook watch: the webhook of inbox {InboxId} (customer {UserId}) is repaired as {WebhookId}: {Findings}")]
    private static partial void LogRepaired(ILogger logger, string inboxId, string userId, string webhookId, string findings);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook watch: the webhook of inbox {InboxId} (customer {UserId}) differs ({Findings}) and could not be repaired: {Reason}")]
    private static partial void LogRepairRefused(ILogger logger, string inboxId, string userId, string findings, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook watch: inbox {InboxId} of customer {UserId} is gone at AgentMail and forgotten; the customer's next order provisions a new one")]
    private static partial void LogInboxGone(ILogger logger, string inboxId, string userId);
}
