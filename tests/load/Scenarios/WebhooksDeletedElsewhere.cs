using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// The hostile provider's next act, its faults removed: some provisioned customers' webhooks are deleted at AgentMail,
/// not through the provisioner, and each customer then writes to their inbox. AgentMail keeps the mail but tells nobody.
/// Ops ask the provisioner's webhook watch for a look (<c>POST /provisioning/webhook-watch</c>, what its timer does every
/// 10 minutes): each inbox must get one webhook of its own again, and each email sent meanwhile must be routed and
/// answered, once.
/// </summary>
public static class WebhooksDeletedElsewhere
{
    private const int MaxLooks = 100;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Deletes up to <paramref name="count"/> of <paramref name="storm"/>'s customers' webhooks, has each customer write, and checks what follows.</summary>
    public static async Task RunAsync(ScenarioContext context, StormOutcome storm, int count, ScenarioReport report, string scenario)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storm);
        ArgumentNullException.ThrowIfNull(report);
        await using var connection = await context.Database.OpenConnectionAsync();
        var customers = (await connection.QueryAsync<(string UserId, string InboxId, string WebhookId, string Email)>(
            """
            select distinct on (c.user_id) c.user_id, c.inbox_id, c.webhook_id, o.customer_email
            from provisioning.customer_inboxes c join orders.orders o on o.user_id = c.user_id and o.inbox_id = c.inbox_id
            where c.user_id = any(@userIds) and c.webhook_id is not null
            order by c.user_id desc limit @count
            """,
            new { userIds = storm.UserIds.ToArray(), count })).ToList();
        Console.WriteLine($"{scenario}: deleting {customers.Count} customers' webhooks at AgentMail; each customer then writes to their inbox");

        // Without this, a storm that provisioned nobody would leave every check below true of no customer at all.
        report.Check(scenario, "webhooks deleted at AgentMail for as many provisioned customers as asked", customers.Count == count,
            string.Create(CultureInfo.InvariantCulture, $"{customers.Count} of {count}"));
        var sent = new List<string>();
        foreach (var (_, inboxId, webhookId, email) in customers)
        {
            await context.Sandbox.DeleteWebhookAsync(webhookId);
            var stored = await context.Sandbox.SendCustomerEmailAsync(inboxId, new
            {
                from = email,
                subject = $"Anyone there? ({storm.RunId})",
                text = "I wrote while your inbox had no webhook. Where is my order?",
            });
            sent.Add(stored["message_id"]!.GetValue<string>());
        }

        // A look examines at most its budget of differing customers, in no set order; a long-lived system may hold many
        // more (customers whose inboxes a restarted sandbox no longer has, each forgotten when looked at), so ops look
        // again until these customers have a webhook again.
        // The watch's own timer may look meanwhile and repair some first: what counts is that each customer has a new webhook.
        var (looks, repaired, lastStatus) = (0, 0, 0);
        var deleted = customers.Select(c => c.WebhookId).ToArray();
        var users = customers.Select(c => c.UserId).ToArray();
        int unrepaired;
        while ((unrepaired = await connection.ExecuteScalarAsync<int>(
            "select count(*)::int from provisioning.customer_inboxes where user_id = any(@users) and (webhook_id is null or webhook_id = any(@deleted))",
            new { users, deleted })) > 0 && looks < MaxLooks)
        {
            using var ask = context.System.OpsRequest(HttpMethod.Post, new Uri(context.System.InboxProvisioner, "/provisioning/webhook-watch"));
            using var look = await context.Http.SendAsync(ask);
            looks++;
            lastStatus = (int)look.StatusCode;
            repaired += look.IsSuccessStatusCode ? (await look.Content.ReadFromJsonAsync<JsonObject>())!["repaired"]!.GetValue<int>() : 0;
        }

        report.Check(scenario, "after webhooks deleted at AgentMail, ops' looks of the webhook watch gave each customer a new one", unrepaired == 0,
            string.Create(CultureInfo.InvariantCulture, $"{customers.Count - unrepaired} of {customers.Count} in {looks} look(s) (last answered {lastStatus}; {repaired} repaired by them)"));

        var messageIds = sent.ToArray();
        var answered = await ProgressWait.UntilAsync($"{scenario}: emails sent while no webhook fed the inbox answered", () => connection.ExecuteScalarAsync<int>(
            """
            select count(distinct r.message_id)::int from orders.agent_replies r
            join delivery.outbound_emails e on e.email_id = r.email_id
            where r.message_id = any(@messageIds) and e.send_state = 'sent'
            """,
            new { messageIds }), messageIds.Length, Timeout, Timeout);
        var replies = await connection.ExecuteScalarAsync<int>("select count(*)::int from orders.agent_replies where message_id = any(@messageIds)", new { messageIds });
        report.Check(scenario, "every email sent while its inbox had no webhook routed and answered once, after the repair", answered == messageIds.Length && replies == messageIds.Length,
            string.Create(CultureInfo.InvariantCulture, $"{answered} of {messageIds.Length} answered, {replies} replies"));

        var webhooks = await context.Sandbox.WebhooksAsync();
        var wrong = new List<string>();
        foreach (var (userId, inboxId, _, _) in customers)
        {
            var reaching = webhooks.Where(w => w!["inbox_ids"]?.AsArray().Any(i => i!.GetValue<string>() == inboxId) == true).ToList();
            if (reaching.Count != 1 || reaching[0]!["inbox_ids"]!.AsArray().Count != 1)
            {
                wrong.Add($"{userId}: {reaching.Count} webhooks reach {inboxId}");
            }
        }

        report.Check(scenario, "each repaired inbox has one webhook, scoped to it alone", wrong.Count == 0,
            wrong.Count == 0 ? $"{customers.Count} inboxes" : string.Join(" | ", wrong.Take(3)));
    }
}
