using System.Diagnostics;
using System.Globalization;
using Dapper;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Scenario 4: a reduced order storm while the sandbox plays a hostile provider: 429 or 503 on a share of every
/// AgentMail and Resend call, latency on all of them, and a share of inbox webhooks stored with the wrong scope
/// (org-wide or another inbox) while the create's answer says otherwise. Waited for until every order has settled
/// (provisioned or failed, its confirmation sent or failed), under the faults; the faults are removed then, whatever
/// happened, and the invariants (<see cref="HostileProviderInvariants"/>) read what is left. Then AgentMail changes
/// things behind the provisioner's back: webhooks deleted (<see cref="WebhooksDeletedElsewhere"/>), then inboxes
/// (<see cref="InboxesDeletedElsewhere"/>).
/// </summary>
public static class HostileProvider
{
    /// <summary>The scenario's name in the table.</summary>
    public const string Name = "hostile-provider";

    // Longer than the provisioner's StepTimeout (2 min) and sweep interval (15 s) together: a step that AgentMail kept
    // refusing through the client's retries is left to the sweeper, which asks it again only then. That wait is the
    // documented recovery, not a stall (CI saw one order of 24 wait 2 min 4 s for it, the others long done).
    private static readonly TimeSpan StallTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs the storm under the faults and checks what is left.</summary>
    public static async Task RunAsync(ScenarioContext context, HostileProviderSettings settings, ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(report);
        var runId = $"h{Guid.NewGuid():N}"[..9];
        var storm = settings.Storm;
        var userIds = Enumerable.Range(0, storm.Customers).Select(c => $"user_hostile_{runId}_{c}").ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Name}: {storm.Orders} orders from {storm.Customers} customers; AgentMail and Resend answer 429/503 on {settings.ErrorRate:P0} of calls, +{settings.LatencyMs} ms, {settings.DriftRate:P0} of webhooks stored mis-scoped (run {runId})"));
        var tokens = await OrderStorm.MintTokensAsync(context.Sandbox, userIds);

        IReadOnlyList<StormOrder> orders;
        int refused;
        (int Settled, double Seconds) settled;
        IReadOnlyDictionary<string, long> applied;
        var faults = new SandboxFaults(context.Http, context.System.Sandbox);
        try
        {
            await AddFaultsAsync(faults, settings);
            var clock = Stopwatch.StartNew();
            (orders, refused) = await OrderStorm.PlaceAsync(context, storm, runId, tokens);
            settled = (await WaitForSettledAsync(context, orders, settings.SettleTimeout), clock.Elapsed.TotalSeconds);
            applied = await faults.AppliedAsync();
        }
        finally
        {
            var removed = await faults.RemoveAllAsync();
            report.Check(Name, "the faults were removed at the end", removed, removed ? "every rule of this scenario deleted" : "a DELETE /sandbox/faults/{id} failed");
        }

        report.Measured(Name, "time to settle (first POST → every order settled)", settled.Seconds, "s");
        report.Measured(Name, "orders settled per second", settled.Settled / settled.Seconds, "orders/s");
        foreach (var (fault, count) in applied)
        {
            report.Measured(Name, $"faults applied: {fault}", count, fault.StartsWith("drift", StringComparison.Ordinal) ? "webhooks" : "answers");
        }

        var errors = applied.Where(a => !a.Key.StartsWith("drift", StringComparison.Ordinal)).Sum(a => a.Value);
        report.Measured(Name, "retries seen (429/503 answers the services had to retry or give up on)", errors, "answers");
        report.Check(Name, "the provider was hostile (429/503 answered on AgentMail and on Resend)",
            applied.Where(a => a.Key.StartsWith("agentmail", StringComparison.Ordinal)).Sum(a => a.Value) > 0 && applied.Where(a => a.Key.StartsWith("resend", StringComparison.Ordinal)).Sum(a => a.Value) > 0,
            string.Join(", ", applied.Select(a => $"{a.Key} {a.Value}")));
        report.Check(Name, "every order accepted (201)", refused == 0, $"{orders.Count} accepted, {refused} refused");
        report.Check(Name, "every order settled within the timeout", settled.Settled == orders.Count,
            string.Create(CultureInfo.InvariantCulture, $"{settled.Settled} of {orders.Count} in {settled.Seconds:0} s (timeout {settings.SettleTimeout.TotalSeconds:0} s, or {StallTimeout.TotalSeconds:0} s without progress)"));
        await HostileProviderInvariants.CheckAsync(context, new StormOutcome(runId, orders, userIds, tokens), report);
        await WebhooksDeletedElsewhere.RunAsync(context, new StormOutcome(runId, orders, userIds, tokens), count: Math.Max(2, storm.Customers / 25), report, Name);
        await InboxesDeletedElsewhere.RunAsync(context, new StormOutcome(runId, orders, userIds, tokens), count: Math.Max(2, storm.Customers / 25), report, Name);
    }

    private static async Task AddFaultsAsync(SandboxFaults faults, HostileProviderSettings settings)
    {
        // The sandbox answers the first matching error rule that draws a hit: 429 at half the rate, then 503 at what
        // makes the two together the rate. Latency is on the first rule alone, so it is added once per call.
        var half = settings.ErrorRate / 2;
        foreach (var api in new[] { "agentmail", "resend" })
        {
            await faults.AddAsync($"{api} 429", new { api, operation = "*", latency_ms = settings.LatencyMs, error_status = 429, error_rate = half });
            await faults.AddAsync($"{api} 503", new { api, operation = "*", error_status = 503, error_rate = half / (1 - half) });
        }

        var drift = settings.DriftRate / 2;
        await faults.AddAsync("drift org_wide", new { api = "agentmail", operation = "inbox_webhooks.create", stored_differs = "org_wide", apply_rate = drift });
        await faults.AddAsync("drift other_inbox", new { api = "agentmail", operation = "inbox_webhooks.create", stored_differs = "other_inbox", apply_rate = drift / (1 - drift) });
    }

    /// <summary>
    /// Waits, bounded, until every order has settled: provisioned or failed, and its confirmation sent or failed by the
    /// relay; the count that has.
    /// </summary>
    private static async Task<int> WaitForSettledAsync(ScenarioContext context, IReadOnlyList<StormOrder> orders, TimeSpan timeout)
    {
        var ids = orders.Select(o => o.Id).ToArray();
        await using var connection = await context.Database.OpenConnectionAsync();
        return await ProgressWait.UntilAsync($"{Name}: orders settled", () => connection.ExecuteScalarAsync<int>(
            """
            select count(*)::int from orders.orders o
            where o.id = any(@ids) and o.provisioning_state in ('ready', 'failed')
              and exists (select 1 from delivery.outbound_emails e where e.order_id = o.id and e.kind = 'order_confirmation' and e.send_state in ('sent', 'failed'))
            """,
            new { ids }), ids.Length, timeout, StallTimeout);
    }
}
