using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// The hostile provider's last act, its faults removed: some provisioned customers' inboxes are deleted at AgentMail,
/// not through the provisioner (AgentMail's console, its API), and for each a new customer with the same address
/// places an order, which frees the address for them. That customer must be provisioned with it, the former holder's
/// next order must get them a new inbox of their own, and no inbox may carry another customer's order (its mail would
/// be routed there). Nothing may be dead-lettered on the way (the run's own invariant).
/// </summary>
public static class InboxesDeletedElsewhere
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Deletes up to <paramref name="count"/> of <paramref name="storm"/>'s customers' inboxes and checks what follows.</summary>
    public static async Task RunAsync(ScenarioContext context, StormOutcome storm, int count, ScenarioReport report, string scenario)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storm);
        ArgumentNullException.ThrowIfNull(report);
        await using var connection = await context.Database.OpenConnectionAsync();
        var held = (await connection.QueryAsync<(string UserId, string InboxId)>(
            "select user_id, inbox_id from provisioning.customer_inboxes where user_id = any(@userIds) and inbox_id is not null order by user_id limit @count",
            new { userIds = storm.UserIds.ToArray(), count })).ToList();
        Console.WriteLine($"{scenario}: deleting {held.Count} customers' inboxes at AgentMail, then giving their addresses to new customers");

        // Without this, a storm that gave nobody an inbox would leave every check below true of no customer at all.
        report.Check(scenario, "inboxes deleted at AgentMail for as many customers as asked", held.Count == count,
            string.Create(CultureInfo.InvariantCulture, $"{held.Count} of {count}"));
        foreach (var (_, inboxId) in held)
        {
            await context.Sandbox.DeleteInboxAsync(inboxId);
        }

        // The new holders first, provisioned before the former holders order again: the address is free for them, and
        // the former holders then find it taken.
        var userIds = storm.UserIds.ToList();
        var index = storm.Orders.Count;
        var placed = new List<(string UserId, string DeletedInbox, bool NewHolder, Guid OrderId)>();
        foreach (var newHolder in new[] { true, false })
        {
            var round = new List<(string UserId, string DeletedInbox, bool NewHolder, Guid OrderId)>();
            foreach (var (formerHolder, inboxId) in held)
            {
                var userId = newHolder ? $"{formerHolder}_taker" : formerHolder;
                round.Add((userId, inboxId, newHolder, await PlaceAsync(context, storm.RunId, index++, userIds.IndexOf(formerHolder), userId)));
            }

            var ids = round.Select(p => p.OrderId).ToArray();
            var ready = await ProgressWait.UntilAsync($"{scenario}: orders of the {(newHolder ? "new" : "former")} holders ready", () => connection.ExecuteScalarAsync<int>(
                "select count(*)::int from orders.orders where id = any(@ids) and provisioning_state = 'ready'", new { ids }), ids.Length, Timeout, Timeout);
            report.Check(scenario, $"after inboxes deleted at AgentMail, every order of their addresses' {(newHolder ? "new" : "former")} holders ready", ready == ids.Length,
                string.Create(CultureInfo.InvariantCulture, $"{ready} of {ids.Length} ready"));
            placed.AddRange(round);
        }

        var recorded = (await connection.QueryAsync<(string UserId, string? InboxId)>(
            "select user_id, inbox_id from provisioning.customer_inboxes where user_id = any(@users)", new { users = placed.Select(p => p.UserId).ToArray() }))
            .ToDictionary(r => r.UserId, r => r.InboxId);
        var wrong = new List<string>();
        foreach (var (userId, deletedInbox, newHolder, _) in placed)
        {
            var inbox = recorded.GetValueOrDefault(userId);
            if (inbox is null || newHolder != (inbox == deletedInbox))
            {
                wrong.Add($"{userId}: recorded {inbox ?? "no inbox"}, the deleted one was {deletedInbox}");
                continue;
            }

            var stored = await context.Sandbox.InboxAsync(inbox);
            if (stored["metadata"]?["user_id"]?.GetValue<string>() != userId)
            {
                wrong.Add($"{userId}: AgentMail's {inbox} carries user {stored["metadata"]?["user_id"]}");
            }
        }

        report.Check(scenario, "each address given out again is its new holder's alone, and its former holder has a new inbox (AgentMail's metadata)", wrong.Count == 0,
            wrong.Count == 0 ? $"{placed.Count} customers" : string.Join(" | ", wrong.Take(3)));
    }

    private static async Task<Guid> PlaceAsync(ScenarioContext context, string runId, int index, int customer, string userId)
    {
        var token = await context.Sandbox.MintTokenAsync(userId);
        using var request = OrderStorm.OrderRequest(context, runId, index, customer, token);
        using var response = await context.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return Guid.Parse(body!["id"]!.GetValue<string>());
    }
}
