using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Scenario 2: the order storm's customers write to their inboxes. K emails go in through the sandbox's AgentMail,
/// which fires the signed <c>message.received</c> webhook as AgentMail does, here delivering a share of the events
/// twice (same <c>svix-id</c>) and releasing them shuffled; waited for until every email's agent reply is sent. Then
/// the ingress alone, driven directly (<see cref="InboundIngress"/>), beside a bare 204 endpoint in the same run.
/// The invariants are <see cref="InboundStormInvariants"/>'.
/// </summary>
public static class InboundStorm
{
    /// <summary>The scenario's name in the table.</summary>
    public const string Name = "inbound-storm";

    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    // Agent:AnswerLimit:MaxAnswers as the local run starts orders-api (its default).
    private const int AgentAnswersPerSender = 5;

    /// <summary>Runs the storm on the inboxes of <paramref name="storm"/> (an order storm of its own first when null) and checks it.</summary>
    public static async Task RunAsync(ScenarioContext context, StormOutcome? storm, InboundStormSettings settings, ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(report);
        storm ??= await OrderStorm.RunAsync(context, settings.OwnStorm, report);
        var customers = await CustomersWithInboxesAsync(context, storm);
        if (customers.Count == 0)
        {
            report.Check(Name, "the order storm gave customers inboxes to write to", false, "no order of the storm has an inbox");
            return;
        }

        // The agent answers a sender on one order a few times a day (Agent:AnswerLimit), so that an auto-responder is not
        // answered for ever: a storm that wrote more to each inbox would count the limit's silence as lost replies.
        var perInbox = (settings.Messages + customers.Count - 1) / customers.Count;
        if (perInbox > AgentAnswersPerSender)
        {
            report.Check(
                Name, $"at most {AgentAnswersPerSender} emails per inbox, the agent's answers to one sender on one order a day", false,
                $"{settings.Messages} emails over {customers.Count} inboxes is {perInbox} per inbox: run an order storm with more customers first, or send fewer");
            return;
        }

        Console.WriteLine($"{Name}: {settings.Messages} customer emails over {customers.Count} inboxes, {settings.DuplicateRate:P0} delivered twice, shuffled in {settings.ReorderWindowMs} ms windows");
        IReadOnlyList<InboundEmail> emails;
        IReadOnlyDictionary<string, long> applied;
        var workBefore = await WorkCounters.ReadSettledAsync(context);
        var cpuBefore = context.Meter.CpuMilliseconds();
        var clock = Stopwatch.StartNew();
        await using (var faults = new SandboxFaults(context.Http, context.System.Sandbox))
        {
            await faults.AddAsync("duplicate", new { api = "agentmail", operation = "webhooks.deliver", duplicate = true, apply_rate = settings.DuplicateRate });
            await faults.AddAsync("shuffle", new { api = "agentmail", operation = "webhooks.deliver", reorder_window_ms = settings.ReorderWindowMs, shuffle = true });
            emails = await SendAsync(context, customers, settings, storm.RunId);
            applied = await faults.AppliedAsync();
        }

        var sentSeconds = clock.Elapsed.TotalSeconds;
        var answered = await WaitForRepliesSentAsync(context, emails, settings.Timeout - clock.Elapsed);
        var doneSeconds = clock.Elapsed.TotalSeconds;
        var cpu = ProcessMeter.Used(cpuBefore, context.Meter.CpuMilliseconds());
        var workAfter = await WorkCounters.ReadSettledAsync(context);

        report.Measured(Name, "customer emails handed to the sandbox", emails.Count / sentSeconds, "emails/s");
        report.Measured(Name, "emails answered (in → agent reply sent)", answered / doneSeconds, "emails/s");
        report.Measured(Name, "events the sandbox delivered twice", applied.GetValueOrDefault("duplicate"), "events");
        report.Measured(Name, "CPU per email, services + PostgreSQL + RabbitMQ", cpu.Values.Sum() / Math.Max(1, emails.Count), "ms");
        WorkCounters.Report(report, Name, "email", emails.Count, workBefore, workAfter);
        await ReportSandboxLatencyAsync(context, emails, report);
        report.Check(Name, "every email answered and its reply sent within the timeout", answered == emails.Count,
            string.Create(CultureInfo.InvariantCulture, $"{answered} of {emails.Count} in {doneSeconds:0} s (timeout {settings.Timeout.TotalSeconds:0} s, or {StallTimeout.TotalSeconds:0} s without progress)"));
        await InboundStormInvariants.CheckAsync(context, emails, applied.GetValueOrDefault("duplicate"), report);

        await InboundIngress.MeasureAsync(context, settings, report);
    }

    /// <summary>Each customer of the storm whose order has an inbox, with it and the address they ordered with.</summary>
    private static async Task<List<(string UserId, string InboxId, string Email)>> CustomersWithInboxesAsync(ScenarioContext context, StormOutcome storm)
    {
        await using var connection = await context.Database.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string UserId, string InboxId, string Email)>(
            "select distinct on (user_id) user_id, inbox_id, customer_email from orders.orders where id = any(@ids) and inbox_id is not null order by user_id",
            new { ids = storm.Orders.Select(o => o.Id).ToArray() });
        return [.. rows];
    }

    private static async Task<IReadOnlyList<InboundEmail>> SendAsync(
        ScenarioContext context, List<(string UserId, string InboxId, string Email)> customers, InboundStormSettings settings, string runId)
    {
        var sent = new ConcurrentBag<InboundEmail>();
        await Parallel.ForEachAsync(Enumerable.Range(0, settings.Messages), new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency }, async (i, _) =>
        {
            var (userId, inboxId, email) = customers[i % customers.Count];
            // From the address the order was placed with: a verified customer, whose reply carries the order's facts.
            var stored = await context.Sandbox.SendCustomerEmailAsync(inboxId, new
            {
                from = $"Storm Customer <{email}>",
                subject = $"Where is my order? ({runId}-{i})",
                text = "Hello, I ordered last week and have not heard since. When will my order arrive? Thank you.",
            });
            sent.Add(new InboundEmail(inboxId, stored["message_id"]!.GetValue<string>(), userId));
        });
        return [.. sent];
    }

    /// <summary>Waits, bounded, until every email has its agent reply sent (delivery-tracker's send state); the count that has.</summary>
    private static async Task<int> WaitForRepliesSentAsync(ScenarioContext context, IReadOnlyList<InboundEmail> emails, TimeSpan timeout)
    {
        var messageIds = emails.Select(e => e.MessageId).ToArray();
        await using var connection = await context.Database.OpenConnectionAsync();
        return await ProgressWait.UntilAsync($"{Name}: replies sent", () => connection.ExecuteScalarAsync<int>(
            """
            select count(distinct r.message_id)::int from orders.agent_replies r
            join delivery.outbound_emails e on e.email_id = r.email_id
            where r.message_id = any(@messageIds) and e.send_state = 'sent'
            """,
            new { messageIds }), messageIds.Length, timeout, StallTimeout);
    }

    /// <summary>The router's answer time as the sandbox saw it (each attempt's duration), for this storm's events: AgentMail's view of the ingress.</summary>
    private static async Task ReportSandboxLatencyAsync(ScenarioContext context, IReadOnlyList<InboundEmail> emails, ScenarioReport report)
    {
        var ours = emails.Select(e => e.MessageId).ToHashSet(StringComparer.Ordinal);
        var durations = (await context.Sandbox.WebhookAttemptsAsync("agentmail"))
            .Where(a => a["event_type"]?.GetValue<string>() == "message.received" && ours.Contains(MessageIdOf(a)))
            .Select(a => a["duration_ms"]!.GetValue<double>())
            .Order()
            .ToList();
        report.Measured(Name, "router answer seen by the sandbox p50", Percentiles.Of(durations, 50), "ms");
        report.Measured(Name, "router answer seen by the sandbox p99", Percentiles.Of(durations, 99), "ms");
    }

    /// <summary>The Message-ID a webhook attempt's body carries.</summary>
    internal static string MessageIdOf(JsonNode attempt) =>
        JsonNode.Parse(attempt["body"]!.GetValue<string>())?["message"]?["message_id"]?.GetValue<string>() ?? "";
}
