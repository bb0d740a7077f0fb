using System.Globalization;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Scenario 6: the order storm on one replica of every service, then on two (<see cref="ServiceReplicas"/>: a second
/// process of each on the same broker, database and outbox directory; orders-api's requests alternated between its
/// two replicas), in the same run. Figures: both storms' own, side by side, and the ratio of their throughputs.
/// Invariants: the order storm's, for each.
/// </summary>
public static class ScaleOut
{
    /// <summary>The scenario's name in the table.</summary>
    public const string Name = "scale-out";

    /// <summary>Runs both storms, the second replicas stopped again at the end, and reports them.</summary>
    public static async Task RunAsync(ScenarioContext context, OrderStormSettings settings, ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(report);
        Console.WriteLine($"{Name}: the order storm on one replica of every service");
        var one = new ScenarioReport();
        await OrderStorm.RunAsync(context, settings, one);
        Include(one, "1 replica", report);

        Console.WriteLine($"{Name}: starting a second replica of every service");
        var two = new ScenarioReport();
        await using (var replicas = await ServiceReplicas.StartAsync(context.System, context.Http))
        {
            var before = replicas.Pids.ToDictionary(p => p.Key, p => ProcessTreeCpu.TreeMilliseconds(p.Value));
            var balanced = new AlternatingOrdersApi(context.System.OrdersApi, ServiceReplicas.Url(context.System, "orders-api"));
            await using var twoContext = ScenarioContext.For(context.System, balanced);
            Console.WriteLine($"{Name}: the order storm on two replicas of every service");
            var outcome = await OrderStorm.RunAsync(twoContext, settings, two);
            Include(two, "2 replicas", report);
            // The storm's own CPU figures measure the first replicas only (the pids up.sh recorded).
            foreach (var (service, pid) in replicas.Pids)
            {
                var used = ProcessTreeCpu.TreeMilliseconds(pid) - before[service];
                report.Measured(Name, $"2 replicas:   CPU per order: {service} second replica (warm-up and idle included)", used / Math.Max(1, outcome.Orders.Count), "ms");
            }
        }

        var ratio = Throughput(two) / Math.Max(0.001, Throughput(one));
        report.Measured(Name, "completed orders/s, 2 replicas ÷ 1 replica", ratio, "×");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Name}: two replicas completed {ratio:0.00}× the orders per second of one"));
    }

    /// <summary>Copies a storm's figures and invariants into <paramref name="report"/> under this scenario, prefixed by <paramref name="replicas"/>.</summary>
    private static void Include(ScenarioReport storm, string replicas, ScenarioReport report)
    {
        foreach (var figure in storm.Figures)
        {
            report.Measured(Name, $"{replicas}: {figure.Name}", figure.Value, figure.Unit);
        }

        foreach (var invariant in storm.Invariants)
        {
            report.Check(Name, $"{replicas}: {invariant.Name}", invariant.Holds, invariant.Detail);
        }
    }

    private static double Throughput(ScenarioReport storm) => storm.Figures.FirstOrDefault(f => f.Name == OrderStorm.CompletedFigure)?.Value ?? 0;
}
