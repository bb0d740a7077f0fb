using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dapper;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// What must hold after an order storm, checked where a person would look: the sandbox's Resend send log (one
/// confirmation per order, delivered), AgentMail's inbox and webhook lists (one inbox per customer, one webhook scoped
/// to it alone, nothing org-wide), and the services' own records of the same.
/// </summary>
public static partial class StormInvariants
{
    /// <summary>Checks every invariant of <paramref name="outcome"/> into <paramref name="report"/>, under <paramref name="scenario"/>'s name.</summary>
    public static async Task CheckAsync(ScenarioContext context, StormOutcome outcome, ScenarioReport report, string scenario = OrderStorm.Name)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(report);
        await CheckConfirmationsAsync(context, outcome, report, scenario);
        await CheckProvisioningAsync(context, outcome, report, scenario);
        await CheckInboxesAndWebhooksAsync(context, outcome, report, scenario);
    }

    private static async Task CheckConfirmationsAsync(ScenarioContext context, StormOutcome outcome, ScenarioReport report, string scenario)
    {
        var sent = (await context.Sandbox.ResendEmailsAsync())
            .Select(e => (Ref: OrderRef().Match(Text(e, "subject")).Value, Event: Text(e, "last_event")))
            .Where(e => e.Ref.Length > 0)
            .ToLookup(e => e.Ref);
        var wrong = outcome.Orders
            .Select(o => (o.Ref, Sent: sent[o.Ref].ToList()))
            .Where(o => o.Sent.Count != 1 || o.Sent[0].Event != "delivered")
            .Select(o => $"{o.Ref}: {o.Sent.Count} sent, last events [{string.Join(", ", o.Sent.Select(s => s.Event))}]")
            .ToList();
        report.Check(scenario, "every order exactly one confirmation sent (sandbox Resend), delivered", wrong.Count == 0, Summary(outcome.Orders.Count, wrong));

        await using var connection = await context.Database.OpenConnectionAsync();
        var ids = outcome.Orders.Select(o => o.Id).ToArray();
        var rows = (await connection.QueryAsync<(Guid OrderId, int Emails, int Delivered)>(
            """
            select order_id, count(*)::int, count(*) filter (where delivery_state = 'delivered')::int
            from delivery.outbound_emails where order_id = any(@ids) and kind = 'order_confirmation' group by order_id
            """,
            new { ids })).ToDictionary(r => r.OrderId);
        var untracked = outcome.Orders
            .Where(o => !rows.TryGetValue(o.Id, out var row) || row.Emails != 1 || row.Delivered != 1)
            .Select(o => $"{o.Ref}: {(rows.TryGetValue(o.Id, out var row) ? $"{row.Emails} rows, {row.Delivered} delivered" : "no row")}")
            .ToList();
        report.Check(scenario, "delivery-tracker records one confirmation per order, delivered", untracked.Count == 0, Summary(outcome.Orders.Count, untracked));
    }

    private static async Task CheckProvisioningAsync(ScenarioContext context, StormOutcome outcome, ScenarioReport report, string scenario)
    {
        await using var connection = await context.Database.OpenConnectionAsync();
        var states = (await connection.QueryAsync<(Guid Id, string State)>(
            "select id, provisioning_state from orders.orders where id = any(@ids)", new { ids = outcome.Orders.Select(o => o.Id).ToArray() }))
            .ToDictionary(r => r.Id, r => r.State);
        var notReady = outcome.Orders.Where(o => states.GetValueOrDefault(o.Id) != "ready")
            .Select(o => $"{o.Ref}: {states.GetValueOrDefault(o.Id) ?? "missing"}").ToList();
        report.Check(scenario, "every order provisioned (ready)", notReady.Count == 0, Summary(outcome.Orders.Count, notReady));
    }

    private static async Task CheckInboxesAndWebhooksAsync(ScenarioContext context, StormOutcome outcome, ScenarioReport report, string scenario)
    {
        var customers = outcome.Orders.Select(o => outcome.UserIds[o.Customer]).Distinct().ToList();
        // The provisioner's client_id is deterministic per customer, so AgentMail's list says how many each has.
        var inboxes = (await context.Sandbox.InboxesAsync()).ToLookup(i => Text(i, "client_id"));
        var inboxCounts = customers.Select(c => (Customer: c, Inboxes: inboxes[$"inbox-{c}"].ToList())).ToList();
        var notOne = inboxCounts.Where(c => c.Inboxes.Count != 1).Select(c => $"{c.Customer}: {c.Inboxes.Count} inboxes").ToList();
        report.Check(scenario, "every customer exactly one inbox (AgentMail list)", notOne.Count == 0, Summary(customers.Count, notOne));

        var webhooks = await context.Sandbox.WebhooksAsync();
        var scoped = webhooks.SelectMany(w => Scope(w, "inbox_ids").Select(inbox => (Inbox: inbox, Webhook: w))).ToLookup(s => s.Inbox, s => s.Webhook);
        var badScope = inboxCounts.Where(c => c.Inboxes.Count == 1)
            .Select(c => (c.Customer, Inbox: Text(c.Inboxes[0], "inbox_id")))
            .Select(c => (c.Customer, c.Inbox, Webhooks: scoped[c.Inbox].ToList()))
            .Where(c => c.Webhooks.Count != 1 || Scope(c.Webhooks[0], "inbox_ids").Count != 1)
            .Select(c => $"{c.Inbox}: {c.Webhooks.Count} webhooks, scopes [{string.Join("; ", c.Webhooks.Select(w => string.Join(",", Scope(w, "inbox_ids"))))}]")
            .ToList();
        report.Check(scenario, "every inbox exactly one webhook, scoped to it alone (AgentMail list)", badScope.Count == 0, Summary(customers.Count, badScope));

        var orgWide = webhooks.Where(w => Scope(w, "inbox_ids").Count == 0 && Scope(w, "pod_ids").Count == 0).Select(w => Text(w, "webhook_id")).ToList();
        report.Check(scenario, "no org-wide webhook in the organisation", orgWide.Count == 0, Summary(webhooks.Count, orgWide));
    }

    internal static List<string> Scope(JsonNode webhook, string field) =>
        webhook[field]?.AsArray().Select(i => i!.GetValue<string>()).ToList() ?? [];

    internal static string Text(JsonNode? node, string field) => node?[field]?.GetValue<string>() ?? "";

    private static string Summary(int checkedCount, List<string> offenders) =>
        offenders.Count == 0 ? $"{checkedCount} checked" : $"{offenders.Count} of {checkedCount} wrong, e.g. {string.Join(" | ", offenders.Take(3))}";

    [GeneratedRegex("ORD-[23456789A-Z]{6}")]
    internal static partial Regex OrderRef();
}
