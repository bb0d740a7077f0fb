using System.Globalization;
using Dapper;
using Npgsql;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// The inbound storm's ingress figures: signed <c>message.received</c> deliveries (<see cref="IngressLoad"/>) posted
/// straight at inbound-router, which verifies, dedupes and records each durably before answering, and, in the same run,
/// at a bare ASP.NET Core 204 endpoint (<see cref="BareEndpoint"/>): closed-loop for events per second, then paced for
/// latency. The deliveries go to an inbox of their own whose order the router knows but orders-api does not, so they
/// travel the whole inbound path without making the agent answer thousands of emails.
/// </summary>
public static class InboundIngress
{
    private const double MinEventsPerSecond = 3000;
    private const double MaxPacedP99Ms = 25;

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
        var (closed, bareClosed, paced, barePaced) = (load.Sign(runId + "c", events), load.Sign(runId + "bc", events), load.Sign(runId + "r", events), load.Sign(runId + "br", events));
        var cpuBefore = context.Meter.CpuMilliseconds();
        var routerClosed = await load.ClosedLoopAsync(router, closed, settings.IngressConcurrency);
        var routerCpu = ProcessMeter.Used(cpuBefore, context.Meter.CpuMilliseconds());
        var drained = await backlog.DrainAsync(drainTimeout);
        var bareClosedRun = await load.ClosedLoopAsync(bare, bareClosed, settings.IngressConcurrency);
        var routerPaced = await load.FixedRateAsync(router, paced, settings.IngressRate);
        await backlog.DrainAsync(drainTimeout);
        var barePacedRun = await load.FixedRateAsync(bare, barePaced, settings.IngressRate);

        var routerRate = Rate(routerClosed);
        var bareRate = Rate(bareClosedRun);
        report.AtLeast(name, "ingress, verified durable events/s (closed-loop)", routerRate, "events/s", MinEventsPerSecond);
        report.Measured(name, "bare ASP.NET Core 204, same load (closed-loop)", bareRate, "events/s");
        report.Measured(name, "ingress / bare (closed-loop events/s)", 100 * routerRate / bareRate, "%");
        report.Measured(name, "ingress closed-loop p50", Percentiles.Of(routerClosed.Latencies, 50), "ms");
        report.Measured(name, "ingress closed-loop p99", Percentiles.Of(routerClosed.Latencies, 99), "ms");
        report.Measured(name, "router CPU per event while answering (closed-loop)", routerCpu.GetValueOrDefault("inbound-router") / Math.Max(1, routerClosed.Latencies.Count), "ms");
        report.Measured(name, string.Create(CultureInfo.InvariantCulture, $"ingress at {settings.IngressRate}/s p50"), Percentiles.Of(routerPaced.Latencies, 50), "ms");
        report.AtMost(name, string.Create(CultureInfo.InvariantCulture, $"ingress at {settings.IngressRate}/s p99"), Percentiles.Of(routerPaced.Latencies, 99), "ms", MaxPacedP99Ms);
        report.Measured(name, string.Create(CultureInfo.InvariantCulture, $"bare 204 at {settings.IngressRate}/s p50"), Percentiles.Of(barePacedRun.Latencies, 50), "ms");
        report.Measured(name, string.Create(CultureInfo.InvariantCulture, $"bare 204 at {settings.IngressRate}/s p99"), Percentiles.Of(barePacedRun.Latencies, 99), "ms");
        report.Measured(name, "routing drained after the closed-loop phase", drained.Took.TotalSeconds, "s");
        var failures = routerClosed.Failures + routerPaced.Failures;
        report.Check(name, "the ingress accepted every signed delivery (2xx)", failures == 0, $"{2 * events - failures} of {2 * events} accepted");
        await using var connection = await inbound.OpenConnectionAsync();
        var recorded = await connection.ExecuteScalarAsync<long>(
            "select count(*) from received_events where svix_id like @Closed or svix_id like @Paced", new { Closed = $"msg_{runId}c_%", Paced = $"msg_{runId}r_%" });
        report.Check(name, "every accepted ingress delivery recorded durably, once (received_events)", recorded == 2 * events - failures,
            $"{recorded} rows for {2 * events - failures} accepted deliveries");
    }

    private static double Rate((List<double> Latencies, int Failures, TimeSpan Elapsed) run) => run.Latencies.Count / run.Elapsed.TotalSeconds;
}
