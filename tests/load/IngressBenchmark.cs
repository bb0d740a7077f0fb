using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.Load;

/// <summary>
/// inbound-router's ingress under load: signed <c>message.received</c> deliveries that it verifies, dedupes, records
/// durably and hands to its outbox before answering, closed-loop and at a fixed rate; and, in the same run on the same
/// machine, a bare ASP.NET Core endpoint that only answers 204, so the ratio says what the ingress's work costs.
/// The inbox and its webhook are created in the sandbox; the router learns the webhook's secret from it on the first event.
/// With <c>--hold-orders-api</c> orders-api, the consumer of what the router publishes, is frozen through each ingress
/// phase and until the router has routed and published it all: the figures are then the ingress's alone, as they would
/// be with the consumer on other cores, and orders-api's catch-up afterwards is reported on a line of its own.
/// </summary>
public static class IngressBenchmark
{
    /// <summary>Runs the benchmark; 0 when every delivery was accepted.</summary>
    public static async Task<int> RunAsync(LoadSettings settings, string[] args)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var router = new Uri(Option(args, "--router") ?? $"http://127.0.0.1:{Environment.GetEnvironmentVariable("ORDERSMAIL_InboundRouter__Port") ?? "5300"}");
        var rate = settings.Rate > 0 ? settings.Rate : 1000;

        // Connections are opened once and kept: the load generator's cost per request is then what a webhook sender's is.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var webhookUrl = new Uri(router, "webhooks/agentmail");
        var runId = Guid.NewGuid().ToString("N")[..8];
        var orderRef = $"ORD-LOAD-{runId}";
        var (inboxId, secret) = await IngressInbox.ProvisionAsync(http, settings.Sandbox, webhookUrl, orderRef);
        var load = new IngressLoad(http, inboxId, secret);
        var postgres = PostgresSettings();
        await using var db = NpgsqlDataSource.Create(postgres.ConnectionString("load-benchmark", "inbound"));
        var backlog = new RouterBacklog(db, inboxId);
        await backlog.KnowOrderAsync(orderRef);
        var cpu = Processes(router, postgres, settings.Sandbox);
        var held = args.Contains("--hold-orders-api") ? cpu.Processes.Single(p => p.Name == "orders-api").Pid
            ?? throw new InvalidOperationException("--hold-orders-api: no orders-api listens on its port") : (int?)null;

        // Long enough for a backlog of a whole phase to be routed on a busy machine; a drain that times out says so.
        var drainTimeout = TimeSpan.FromSeconds(int.Parse(Option(args, "--drain-timeout") ?? "120", CultureInfo.InvariantCulture));
        Console.WriteLine($"ingress: {settings.Count} signed message.received per phase, closed-loop at {settings.Concurrency} in flight, then {rate}/s; against {webhookUrl}"
            + (held is null ? "" : "; orders-api held through each ingress phase"));
        Console.WriteLine($"measuring CPU of: {string.Join(", ", cpu.Processes.Select(p => p.Found ? p.Name : p.Name + " (not found)"))}");

        await using var bare = await BareEndpoint.StartAsync();
        var bareUrl = BareEndpoint.Url(bare);
        // Enough for the router's hot paths to reach tiered JIT's optimized code: a freshly started router spends about
        // twice the CPU per event on its first few thousand events.
        await load.ClosedLoopAsync(webhookUrl, load.Sign(runId + "w", 2000), settings.Concurrency);
        await load.ClosedLoopAsync(bareUrl, load.Sign(runId + "bw", 500), settings.Concurrency);
        await backlog.DrainAsync(drainTimeout);

        // Signed before any clock or CPU reading starts: the sender's HMAC and JSON are not the receiver's cost.
        var (closed, bareClosedLoad, paced, barePacedLoad) = (
            load.Sign(runId + "c", settings.Count), load.Sign(runId + "bc", settings.Count), load.Sign(runId + "r", settings.Count), load.Sign(runId + "br", settings.Count));
        var since = DateTimeOffset.UtcNow;
        var ingressClosed = await MeasureAsync("ingress closed-loop", cpu, backlog, drainTimeout, () => load.ClosedLoopAsync(webhookUrl, closed, settings.Concurrency), db, held);
        var bareClosed = await MeasureAsync("bare 204 closed-loop", cpu, null, drainTimeout, () => load.ClosedLoopAsync(bareUrl, bareClosedLoad, settings.Concurrency));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio ingress / bare (closed-loop throughput): {Throughput(ingressClosed) / Throughput(bareClosed):0.00}"));
        var ingressPaced = await MeasureAsync($"ingress at {rate}/s", cpu, backlog, drainTimeout, () => load.FixedRateAsync(webhookUrl, paced, rate), db, held);
        await MeasureAsync($"bare 204 at {rate}/s", cpu, null, drainTimeout, () => load.FixedRateAsync(bareUrl, barePacedLoad, rate));
        await PrintDurabilityAsync(db, since, runId, 2 * settings.Count);
        return ingressClosed.Failures + ingressPaced.Failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// Runs one phase and prints its rate, latencies and CPU per accepted event: while the requests were answered, and
    /// (for the ingress) until the work they left behind the bus was done, outbox publishes and routing included, with
    /// PostgreSQL's commits per event over that span. With <paramref name="held"/> (orders-api's pid) orders-api is
    /// frozen until the router's part is done, then let go, and its catch-up is measured after.
    /// </summary>
    private static async Task<(List<double> Latencies, int Failures, TimeSpan Elapsed)> MeasureAsync(
        string what,
        CpuMeter cpu,
        RouterBacklog? backlog,
        TimeSpan drainTimeout,
        Func<Task<(List<double> Latencies, int Failures, TimeSpan Elapsed)>> phase,
        NpgsqlDataSource? db = null,
        int? held = null)
    {
        var commitsBefore = db is null ? 0 : await CommitsAsync(db);
        (List<double> Latencies, int Failures, TimeSpan Elapsed) run;
        using (var hold = held is { } pid ? HeldProcess.Hold(pid) : null)
        {
            var before = cpu.Read();
            run = await phase();
            var answered = cpu.Read();
            Print(what, run);
            var events = Math.Max(1, run.Latencies.Count);
            Console.WriteLine($"  while answering: {cpu.PerEvent(before, answered, events)}");
            if (backlog is null)
            {
                return run;
            }

            var drain = await backlog.DrainAsync(drainTimeout, consumed: hold is null);
            var drained = cpu.Read();
            Console.WriteLine($"  {RouterBacklog.Describe(drain)}{(hold is null ? "" : " (routed and published; orders-api held)")}; until then: {cpu.PerEvent(before, drained, events)}");
            Console.WriteLine(hold is null
                ? string.Create(CultureInfo.InvariantCulture,
                    $"  servers (router + orders-api + postgres + rabbitmq) {cpu.MsPerEvent(before, drained, events, "router", "orders-api", "postgres", "rabbitmq"):0.000} ms/event all in")
                : string.Create(CultureInfo.InvariantCulture,
                    $"  servers (router + postgres + rabbitmq) {cpu.MsPerEvent(before, drained, events, "router", "postgres", "rabbitmq"):0.000} ms/event, the ingress alone"));
            if (hold is not null)
            {
                hold.Dispose();
                var catchUp = await backlog.DrainAsync(drainTimeout);
                Console.WriteLine($"  orders-api let go: {RouterBacklog.Describe(catchUp, "that")}; its catch-up: {cpu.PerEvent(drained, cpu.Read(), events)}");
            }
        }

        if (db is not null)
        {
            var commits = await CommitsAsync(db) - commitsBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  PostgreSQL commits per event (every database; the benchmark's own polling and orders-api's consume included): {(double)commits / Math.Max(1, run.Latencies.Count):0.00}"));
        }

        return run;
    }

    // A pooled backend that went idle reports its counts up to 10 s late (PostgreSQL's PGSTAT_IDLE_INTERVAL): wait them out.
    private static async Task<long> CommitsAsync(NpgsqlDataSource db)
    {
        await Task.Delay(TimeSpan.FromSeconds(11));
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select sum(xact_commit)::bigint from pg_stat_database");
    }

    private static CpuMeter Processes(Uri router, PostgresOptions postgres, Uri sandbox)
    {
        var rabbitPort = int.Parse(Environment.GetEnvironmentVariable("ORDERSMAIL_RabbitMq__Port") ?? "55672", CultureInfo.InvariantCulture);
        return new CpuMeter(
        [
            ProcessCpu.ListeningOn("router", router.Port),
            ProcessCpu.ListeningOn("orders-api", int.Parse(Environment.GetEnvironmentVariable("ORDERSMAIL_OrdersApi__Port") ?? "5100", CultureInfo.InvariantCulture)),
            ProcessCpu.ListeningOn("postgres", postgres.Port, withChildren: true),
            ProcessCpu.ListeningOn("rabbitmq", rabbitPort),
            ProcessCpu.ListeningOn("sandbox", sandbox.Port),
            ProcessCpu.TraceViewer(),
            ProcessCpu.Self("load generator"),
        ]);
    }

    private static PostgresOptions PostgresSettings() =>
        new ConfigurationBuilder().AddEnvironmentVariables(ConfigurationConventions.EnvironmentPrefix).Build()
            .GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new PostgresOptions();

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static double Throughput((List<double> Latencies, int Failures, TimeSpan Elapsed) run) => run.Latencies.Count / run.Elapsed.TotalSeconds;

    private static void Print(string what, (List<double> Latencies, int Failures, TimeSpan Elapsed) run) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {run.Latencies.Count} ok, {run.Failures} failed in {run.Elapsed.TotalSeconds:0.00} s = {Throughput(run):0}/s; " +
            $"latency ms p50 {Percentiles.Of(run.Latencies, 50):0.0}, p99 {Percentiles.Of(run.Latencies, 99):0.0}, max {run.Latencies.LastOrDefault():0.0}"));

    /// <summary>Every accepted delivery is a row, and its outbox row is published: reads both from the router's schema.</summary>
    private static async Task PrintDurabilityAsync(NpgsqlDataSource db, DateTimeOffset since, string runId, int expected)
    {
        await using var connection = await db.OpenConnectionAsync();
        var recorded = await connection.ExecuteScalarAsync<long>(
            "select count(*) from received_events where svix_id like @Prefix1 or svix_id like @Prefix2", new { Prefix1 = $"msg_{runId}c_%", Prefix2 = $"msg_{runId}r_%" });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long pending;
        while ((pending = await connection.ExecuteScalarAsync<long>("select count(*) from outbox_messages where created_at >= @since and published_at is null", new { since })) > 0
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var lag = await connection.QuerySingleAsync<(long Published, double P50, double P99)>(
            """
            select count(*),
                   coalesce(percentile_cont(0.5) within group (order by extract(epoch from published_at - created_at) * 1000), 'NaN'),
                   coalesce(percentile_cont(0.99) within group (order by extract(epoch from published_at - created_at) * 1000), 'NaN')
            from outbox_messages where created_at >= @since and published_at is not null
            """,
            new { since });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recorded {recorded} of {expected} measured deliveries; outbox publish lag ms p50 {lag.P50:0.0}, p99 {lag.P99:0.0}; {lag.Published} published, {pending} pending"));
        await PrintBatchesAsync(connection, since, runId);
    }

    /// <summary>
    /// How many events each group commit took, and how many rows each relay batch published: all rows one transaction
    /// writes carry its <c>now()</c>, so <c>received_at</c> and <c>published_at</c> name the transaction a row went in.
    /// </summary>
    private static async Task PrintBatchesAsync(NpgsqlConnection connection, DateTimeOffset since, string runId)
    {
        foreach (var (phase, prefix) in new[] { ("closed-loop", $"msg_{runId}c_%"), ("fixed rate", $"msg_{runId}r_%") })
        {
            var commits = await connection.QuerySingleAsync<(long Batches, double Mean, int P50, int Max)>(
                """
                select count(*), coalesce(avg(n), 0), coalesce(percentile_disc(0.5) within group (order by n), 0), coalesce(max(n), 0)
                from (select count(*)::int as n from received_events where svix_id like @Prefix group by received_at) as b
                """,
                new { Prefix = prefix });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"group commit, {phase}: {commits.Batches} commits, events per commit mean {commits.Mean:0.0}, p50 {commits.P50}, max {commits.Max}"));
        }

        var relay = await connection.QueryAsync<(string Type, long Batches, double Mean, int Max)>(
            """
            select message_type, count(*), avg(n), max(n)
            from (select message_type, count(*)::int as n from outbox_messages where created_at >= @since and published_at is not null group by 1, published_at) as b
            group by 1 order by 1
            """,
            new { since });
        foreach (var (type, batches, mean, max) in relay)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"outbox relay, {type[(type.LastIndexOf('.') + 1)..]}: {batches} batches, rows per batch mean {mean:0.0}, max {max}"));
        }
    }
}
