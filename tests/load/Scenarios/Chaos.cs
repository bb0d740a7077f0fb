using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Scenario 3: orders keep coming at a steady pace (<see cref="PacedOrders"/>) while RabbitMQ is stopped and
/// started, each service is killed (SIGKILL) and started again, and PostgreSQL is stopped and started
/// (<see cref="ChaosFaults"/>), each fault waited out before the next. Figures: each recovery's time (server back →
/// services ready → the orders accepted so far finished) and how the first POSTs were answered. Invariants: POSTs
/// answered 201, 503 or not at all; every order accepted once sent again with its key; none placed twice; every
/// accepted order finished, with one confirmation, one inbox and one webhook per customer (<see cref="StormInvariants"/>).
/// </summary>
public static class Chaos
{
    /// <summary>The scenario's name in the table.</summary>
    public const string Name = "chaos";

    // A first POST may meet orders-api down (no answer) or PostgreSQL down (503): both refuse cleanly.
    private static readonly string[] CleanAnswers = ["201", "503", "no answer"];

    /// <summary>Runs the scenario and checks its invariants.</summary>
    public static async Task RunAsync(ScenarioContext context, ChaosSettings settings, ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(report);
        var runId = Guid.NewGuid().ToString("N")[..8];
        var userIds = Enumerable.Range(0, settings.Customers).Select(c => $"user_chaos_{runId}_{c}").ToList();
        Console.WriteLine($"{Name}: {settings.Rate} orders/s from {settings.Customers} customers while the faults happen (run {runId})");
        var tokens = await OrderStorm.MintTokensAsync(context.Sandbox, userIds);
        var deadLetteredBefore = await DeadLetters.CountAsync(context);

        var orders = new PacedOrders(context, runId, tokens, settings.Customers);
        var (recoveries, failures) = await WhilePlacingAsync(context, orders, settings);
        foreach (var recovery in recoveries)
        {
            report.Measured(Name, $"{recovery.Fault}: server back", recovery.ServerBack.TotalSeconds, "s");
            report.Measured(Name, $"{recovery.Fault}: then services ready", recovery.ServicesReady.TotalSeconds, "s");
            report.Measured(Name, $"{recovery.Fault}: then backlog drained ({recovery.Backlog.Finished} of {recovery.Backlog.Waited} orders)", recovery.Drained.TotalSeconds, "s");
        }

        var notDrained = recoveries.Where(r => r.Backlog.Finished != r.Backlog.Waited).Select(r => $"{r.Fault}: {r.Backlog.Finished} of {r.Backlog.Waited}");
        var broken = failures.Concat(notDrained).ToList();
        report.Check(Name, "every fault recovered from: services ready and the orders accepted so far finished", broken.Count == 0,
            broken.Count == 0 ? $"{recoveries.Count} faults" : string.Join(" | ", broken));

        report.Measured(Name, "orders POSTed during the faults", orders.Placed, "orders");
        foreach (var (answer, count) in orders.FirstAnswers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            report.Measured(Name, $"  first POST answered {answer}", count, "orders");
        }

        var unclean = orders.FirstAnswers.Where(a => !CleanAnswers.Contains(a.Key)).Select(a => $"{a.Value} answered {a.Key}").ToList();
        report.Check(Name, "every first POST accepted (201) or refused cleanly (503, or no answer while orders-api was down)", unclean.Count == 0,
            unclean.Count == 0 ? $"{orders.Placed} POSTs" : string.Join(", ", unclean));

        // As a client would: what was not accepted is sent again with its key once the system is back.
        var retried = await orders.RetryNotAcceptedAsync(attempts: 5);
        foreach (var (answer, count) in retried.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            report.Measured(Name, $"  sent again with its key, answered {answer}", count, "orders");
        }

        var accepted = orders.Accepted;
        report.Check(Name, "every order accepted once sent again with its Idempotency-Key", accepted.Count == orders.Placed,
            $"{accepted.Count} of {orders.Placed} accepted");
        await CheckNonePlacedTwiceAsync(context, runId, accepted, report);

        var finished = await OrderStorm.WaitForDeliveredAsync(context, accepted, settings.DrainTimeout);
        report.Check(Name, "every accepted order ready and its confirmation delivered after recovery", finished == accepted.Count,
            $"{finished} of {accepted.Count} within {settings.DrainTimeout.TotalSeconds:0} s");
        if (await DeadLetters.CountAsync(context) is { } deadLetteredAfter && deadLetteredBefore is { } before)
        {
            report.Measured(Name, "messages dead-lettered (_error queues) during the run", deadLetteredAfter.Values.Sum() - before.Values.Sum(), "messages");
        }
        else
        {
            report.Note($"{Name}: RabbitMQ's management API did not answer at the start or the end of the run; dead-lettered messages not counted");
        }
        await StormInvariants.CheckAsync(context, new StormOutcome(runId, accepted, userIds, tokens), report, Name);
    }

    /// <summary>Plays the faults while <paramref name="orders"/> are placed; the recoveries, and the faults that did not recover.</summary>
    private static async Task<(List<Recovery> Recoveries, List<string> Failures)> WhilePlacingAsync(ScenarioContext context, PacedOrders orders, ChaosSettings settings)
    {
        var faults = new ChaosFaults(context, orders, settings);
        var steps = new List<(string Name, Func<Task<Recovery>> Cause)> { ("rabbitmq", () => faults.RestartServerAsync("rabbitmq")) };
        steps.AddRange(LocalSystem.Services.Select(s => (s, (Func<Task<Recovery>>)(() => faults.KillAsync(s)))));
        steps.Add(("postgres", () => faults.RestartServerAsync("postgres")));

        var recoveries = new List<Recovery>();
        var failures = new List<string>();
        using var stop = new CancellationTokenSource();
        var placing = orders.PlaceAsync(settings.Rate, settings.MaxOrders, stop.Token);
        try
        {
            await Task.Delay(settings.Lead);
            foreach (var (name, cause) in steps)
            {
                try
                {
                    recoveries.Add(await cause());
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or OperationCanceledException or NpgsqlException)
                {
                    failures.Add($"{name}: {e.Message}");
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await placing;
        }

        return (recoveries, failures);
    }

    /// <summary>No Idempotency-Key of the run made two orders: the run's rows in orders.orders are exactly the accepted orders.</summary>
    private static async Task CheckNonePlacedTwiceAsync(ScenarioContext context, string runId, IReadOnlyList<StormOrder> accepted, ScenarioReport report)
    {
        await using var connection = await context.Database.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<Guid>("select id from orders.orders where user_id like @prefix", new { prefix = $"user_chaos_{runId}_%" })).ToHashSet();
        var extra = rows.Except(accepted.Select(o => o.Id)).ToList();
        report.Check(Name, "no order placed twice (the run's orders rows are the accepted orders)", extra.Count == 0 && rows.Count == accepted.Count,
            string.Create(CultureInfo.InvariantCulture, $"{rows.Count} rows for {accepted.Count} accepted orders{(extra.Count == 0 ? "" : $", not accepted: {string.Join(", ", extra.Take(3))}")}"));
    }
}
