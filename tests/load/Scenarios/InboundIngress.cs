using System.Globalization;
using Dapper;
using Npgsql;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// The inbound storm's ingress figures: signed <c>message.received</c> deliveries (<see cref="IngressLoad"/>) posted
/// straight at inbound-router, which verifies, dedupes and records each durably before answering, and, in the same run,
/// at a bare ASP.NET Core 204 endpoint (<see cref="BareEndpoint"/>): closed-loop for events per second, then paced for
/// latency. The deliveries go to an inbox of their own whose order the router knows but orders-api does not, so they
/// travel the whole inbound path without making the agent answer thousands of emails. Measured as the targets read
/// the ingress and as the <c>ingress --hold-orders-api</c> benchmark measures it: once the storm's tail is done (the
/// machine quiet), with orders-api held through each phase. One more closed-loop phase has orders-api consume beside
/// the router, for the figure with the whole inbound path sharing the cores.
/// </summary>
public static class InboundIngress
{
    private const double MinEventsPerSecond = 3000;
    private const double MaxPacedP99Ms = 25;

    // Busier than this (of all cores, every process counted) and the storm's tail is still running.
    private const double QuietShareOfCores = 0.15;

    /// <summary>Measures both endpoints and reports the figures beside the targets.</summary>
    public static async Task MeasureAsync(ScenarioContext context, InboundStormSettings settings, ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(report);
        var name = InboundStorm.Name;
        // Its own connections, kept open, as many as a paced phase needs when the server stalls: the sender is then not the limit.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var runId = Guid.NewGuid().ToString("N")[..8];
        var router = new Uri(context.System.InboundRouter, "webhooks/agentmail");
        var orderRef = $"ORD-LOAD-{runId}";
        var (inboxId, secret) = await IngressInbox.ProvisionAsync(http, context.System.Sandbox, router, orderRef);
        await using var inbound = NpgsqlDataSource.Create(context.System.Postgres.ConnectionString("load-scenarios", "inbound"));
        var backlog = new RouterBacklog(inbound, inboxId);
        await backlog.KnowOrderAsync(orderRef);
        await using var bareApp = await BareEndpoint.StartAsync();
        var bare = BareEndpoint.Url(bareApp);
        var load = new IngressLoad(http, inboxId, secret);
        var events = settings.IngressEvents;
        var drainTimeout = TimeSpan.FromMinutes(2);
        Console.WriteLine($"{name}: ingress alone, {events} signed deliveries per phase to the router and to a bare 204 endpoint, {settings.IngressConcurrency} in flight, then {settings.IngressRate}/s");

        // Warm-up: the router's hot paths reach tiered JIT's optimized code, the connections are open.
        await load.ClosedLoopAsync(router, load.Sign(runId + "w", Math.Min(events, 1000)), settings.IngressConcurrency);
        await load.ClosedLoopAsync(bare, load.Sign(runId + "bw", Math.Min(events, 500)), settings.IngressConcurrency);
        await backlog.DrainAsync(drainTimeout);

        // Signed before any clock starts: the sender's HMAC is not the receiver's cost.
        var (closed, bareClosed, paced, barePaced, consuming) = (
            load.Sign(runId + "c", events), load.Sign(runId + "bc", events), load.Sign(runId + "r", events), load.Sign(runId + "br", events), load.Sign(runId + "a", events));
        var ordersApi = context.System.ServicePid("orders-api") ?? throw new InvalidOperationException("orders-api is not running: its pid file names no live process");
        var quietWaits = TimeSpan.Zero;
        async Task QuietAsync(string phase)
        {
            if (settings.IngressQuietTimeout > TimeSpan.Zero)
            {
                var quiet = await MachineQuiet.WaitAsync(QuietShareOfCores, settings.IngressQuietTimeout);
                quietWaits += quiet.Waited;
                Console.WriteLine($"{name}: before the {phase}: {MachineQuiet.Describe(quiet)}");
                if (!quiet.Quiet)
                {
                    report.Note($"{name}: the {phase} started on a busy machine: {MachineQuiet.Describe(quiet)}.");
                }
            }
        }

        await QuietAsync("closed-loop phase");
        var cpuBefore = context.Meter.CpuMilliseconds();
        var (routerClosed, closedDrain) = await HeldAsync(ordersApi, backlog, drainTimeout, () => load.ClosedLoopAsync(router, closed, settings.IngressConcurrency));
        var routerCpu = ProcessMeter.Used(cpuBefore, context.Meter.CpuMilliseconds());
        var bareClosedRun = await load.ClosedLoopAsync(bare, bareClosed, settings.IngressConcurrency);
        await QuietAsync("paced phase");
        var (routerPaced, _) = await HeldAsync(ordersApi, backlog, drainTimeout, () => load.FixedRateAsync(router, paced, settings.IngressRate));
        var barePacedRun = await load.FixedRateAsync(bare, barePaced, settings.IngressRate);
        await QuietAsync("phase with orders-api consuming");
        var routerConsuming = await load.ClosedLoopAsync(router, consuming, settings.IngressConcurrency);
        var consumedDrain = await backlog.DrainAsync(drainTimeout);

        var routerRate = Rate(routerClosed);
        var bareRate = Rate(bareClosedRun);
        if (settings.IngressQuietTimeout > TimeSpan.Zero)
        {
            report.Measured(name, "waited for a quiet machine before the ingress phases, in all", quietWaits.TotalSeconds, "s");
        }

        report.AtLeast(name, "ingress, verified durable events/s (closed-loop, orders-api held)", routerRate, "events/s", MinEventsPerSecond);
        report.Measured(name, "bare ASP.NET Core 204, same load (closed-loop)", bareRate, "events/s");
        report.Measured(name, "ingress / bare (closed-loop events/s)", 100 * routerRate / bareRate, "%");
        report.Measured(name, "ingress closed-loop p50", Percentiles.Of(routerClosed.Latencies, 50), "ms");
        report.Measured(name, "ingress closed-loop p99", Percentiles.Of(routerClosed.Latencies, 99), "ms");
        report.Measured(name, "router CPU per event, closed-loop, its routing and publishing included", routerCpu.GetValueOrDefault("inbound-router") / Math.Max(1, routerClosed.Latencies.Count), "ms");
        report.Measured(name, string.Create(CultureInfo.InvariantCulture, $"ingress at {settings.IngressRate}/s p50"), Percentiles.Of(routerPaced.Latencies, 50), "ms");
        report.AtMost(name, string.Create(CultureInfo.InvariantCulture, $"ingress at {settings.IngressRate}/s p99 (orders-api held)"), Percentiles.Of(routerPaced.Latencies, 99), "ms", MaxPacedP99Ms);
        report.Measured(name, string.Create(CultureInfo.InvariantCulture, $"bare 204 at {settings.IngressRate}/s p50"), Percentiles.Of(barePacedRun.Latencies, 50), "ms");
        report.Measured(name, string.Create(CultureInfo.InvariantCulture, $"bare 204 at {settings.IngressRate}/s p99"), Percentiles.Of(barePacedRun.Latencies, 99), "ms");
        report.Measured(name, "routing and publishing drained after the closed-loop phase", closedDrain.Took.TotalSeconds, "s");
        report.Measured(name, "ingress, closed-loop with orders-api consuming beside it", Rate(routerConsuming), "events/s");
        report.Measured(name, "whole inbound path drained after it (routed, published, consumed)", consumedDrain.Took.TotalSeconds, "s");
        var failures = routerClosed.Failures + routerPaced.Failures + routerConsuming.Failures;
        report.Check(name, "the ingress accepted every signed delivery (2xx)", failures == 0, $"{3 * events - failures} of {3 * events} accepted");
        await using var connection = await inbound.OpenConnectionAsync();
        var recorded = await connection.ExecuteScalarAsync<long>(
            "select count(*) from received_events where svix_id like any(@Phases)", new { Phases = new[] { $"msg_{runId}c_%", $"msg_{runId}r_%", $"msg_{runId}a_%" } });
        report.Check(name, "every accepted ingress delivery recorded durably, once (received_events)", recorded == 3 * events - failures,
            $"{recorded} rows for {3 * events - failures} accepted deliveries");
        report.Check(name, "every ingress delivery routed, published and consumed by orders-api after the phases", consumedDrain.Unconsumed + consumedDrain.Outbox + consumedDrain.Routing == 0,
            RouterBacklog.Describe(consumedDrain));
    }

    /// <summary>
    /// One ingress phase with orders-api frozen (<see cref="HeldProcess"/>) until the router has routed and published
    /// what the phase left, as the target reads the ingress: alone, its consumer as if on other cores. orders-api then
    /// catches up before the next phase starts.
    /// </summary>
    private static async Task<((List<double> Latencies, int Failures, TimeSpan Elapsed) Run, (TimeSpan Took, long Outbox, long Routing, long Unconsumed) Routed)> HeldAsync(
        int ordersApi, RouterBacklog backlog, TimeSpan drainTimeout, Func<Task<(List<double> Latencies, int Failures, TimeSpan Elapsed)>> phase)
    {
        (List<double> Latencies, int Failures, TimeSpan Elapsed) run;
        (TimeSpan Took, long Outbox, long Routing, long Unconsumed) routed;
        using (HeldProcess.Hold(ordersApi))
        {
            run = await phase();
            routed = await backlog.DrainAsync(drainTimeout, consumed: false);
        }

        await backlog.DrainAsync(drainTimeout);
        return (run, routed);
    }

    private static double Rate((List<double> Latencies, int Failures, TimeSpan Elapsed) run) => run.Latencies.Count / run.Elapsed.TotalSeconds;
}
