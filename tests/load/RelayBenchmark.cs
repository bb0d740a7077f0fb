using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Messaging;

namespace OrdersMail.Load;

/// <summary>
/// delivery-tracker's mail outbox relay: from a file appearing in <c>email/</c> (renamed in by this program) to Resend
/// (the sandbox, no added latency, no rate limit unless <c>--resend-rps N</c> sets one in the sandbox and the tracker's client, no webhook endpoint, so only the relay's own work is measured; the
/// tracker logs as its appsettings.json says) accepting its email (the sandbox's <c>created_at</c>). It runs the sandbox and the tracker itself, from their Release builds, on
/// free ports, a database and vhost of their own on the local servers, and an outbox in a temp folder; phases: a warm-up,
/// files written at a steady rate, the same count as one burst, and the same count already present when the tracker
/// starts. Each phase prints latency percentiles, files/s, and CPU ms per file of each process from /proc.
/// </summary>
public static class RelayBenchmark
{
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs the benchmark; 0 when every file was sent.</summary>
    public static async Task<int> RunAsync(LoadSettings settings, string[] args)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var repository = RepositoryRoot();
        var trackerDll = Option(args, "--tracker-dll") ?? Path.Combine(repository, "services/delivery-tracker/bin/Release/net10.0/OrdersMail.DeliveryTracker.dll");
        var sandboxDll = Option(args, "--sandbox-dll") ?? Path.Combine(repository, "tools/mail-sandbox/bin/Release/net10.0/OrdersMail.MailSandbox.dll");
        var rate = settings.Rate > 0 ? settings.Rate : 1000;
        WarnIfStale(repository, trackerDll, "services/delivery-tracker", "services/building-blocks", "contracts", "integrations");
        WarnIfStale(repository, sandboxDll, "tools/mail-sandbox");

        // Resend's rate limit, in the sandbox and in the tracker's client: lifted unless asked for (Resend's real default is 5).
        var resendRate = Option(args, "--resend-rps") ?? "1000000";
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables(ConfigurationConventions.EnvironmentPrefix).Build();
        var postgres = configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new PostgresOptions();
        var rabbitMq = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        var dataDirectory = Path.GetFullPath(Environment.GetEnvironmentVariable("ORDERSMAIL_DATA_DIR") ?? Path.Combine(repository, ".data"));

        await using var servers = await BenchmarkServers.CreateAsync(postgres, rabbitMq);
        var outbox = Directory.CreateTempSubdirectory("ordersmail-relay-benchmark-").FullName;
        var files = new OutboxFiles(outbox);
        var sandboxPort = BenchmarkProgram.FreePort();
        await using var sandbox = await BenchmarkProgram.StartAsync(sandboxDll, sandboxPort, new Dictionary<string, string>
        {
            ["MailSandbox:Port"] = sandboxPort.ToString(CultureInfo.InvariantCulture),
            ["MailSandbox:ResendRequestsPerSecond"] = resendRate,
            ["Logging:LogLevel:Default"] = "Warning",
        }, "sandbox/faults");
        using var http = new HttpClient { BaseAddress = sandbox.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var trackerSettings = TrackerSettings(servers, outbox, sandbox.BaseUrl);
        trackerSettings["Resend:RequestsPerSecond"] = resendRate;
        Console.WriteLine($"relay: {settings.Count} files per phase, paced at {rate}/s, then as a burst, then present at start; Resend limit {resendRate}/s; tracker {trackerDll}");
        var tracker = await StartTrackerAsync(trackerDll, trackerSettings);
        var measure = new PhaseMeasure(http, files,
        [
            ("tracker", () => Tree(tracker.Pid)),
            ("postgres", () => Tree(ProcessTreeCpu.PidIn(Path.Combine(dataDirectory, "postgres", "postmaster.pid")))),
            ("rabbitmq", () => Tree(ProcessTreeCpu.PidIn(Path.Combine(dataDirectory, "rabbitmq", "rabbitmq.pid")))),
            ("sandbox", () => Tree(sandbox.Pid)),

            // Its own threads only: the tracker and the sandbox are its children, counted above.
            ("benchmark", () => Environment.CpuUsage.TotalTime.TotalMilliseconds),
        ]);
        var failures = 0;
        try
        {
            // Long enough for tiered compilation to settle: in 500 files the JIT was still 12-15 % of the tracker's CPU.
            var warmUp = int.Parse(Option(args, "--warm-up") ?? "2000", CultureInfo.InvariantCulture);
            for (var done = 0; done < warmUp; done += 500)
            {
                await measure.RunAsync("warm-up (not measured)", () => files.WriteBurst("warm", Math.Min(500, warmUp - done)), print: false);
            }

            // Paced too: a stream takes paths a burst never does (a lone email sent alone), and those would otherwise
            // be compiled, then tiered up, during the measured paced phase.
            await measure.RunAsync("paced warm-up (not measured)", () => files.WritePaced("warmpaced", warmUp, rate), print: false);

            failures += await measure.RunAsync($"paced at {rate}/s", () => files.WritePaced("paced", settings.Count, rate));
            failures += await measure.RunAsync("burst", () => files.WriteBurst("burst", settings.Count));

            await tracker.DisposeAsync();

            // The stopped tracker's database sessions end a moment after it: their CPU must be counted before the phase.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await files.WriteBurst("present", settings.Count);
            failures += await measure.RunAsync("present at start (from the tracker's launch)", async () =>
            {
                var launched = DateTimeOffset.UtcNow;
                tracker = await StartTrackerAsync(trackerDll, trackerSettings);
                return launched;
            });
        }
        finally
        {
            await tracker.DisposeAsync();
            Directory.Delete(outbox, recursive: true);
        }

        return failures == 0 ? 0 : 1;
    }

    private static double Tree(int? pid) => pid is { } running ? ProcessTreeCpu.TreeMilliseconds(running) : double.NaN;

    private static Task<BenchmarkProgram> StartTrackerAsync(string dll, Dictionary<string, string> settings)
    {
        var port = BenchmarkProgram.FreePort();
        settings["DeliveryTracker:Port"] = port.ToString(CultureInfo.InvariantCulture);
        return BenchmarkProgram.StartAsync(dll, port, settings, "health/ready");
    }

    private static Dictionary<string, string> TrackerSettings(BenchmarkServers servers, string outbox, Uri sandbox) => new()
    {
        ["Postgres:Host"] = servers.Postgres.Host,
        ["Postgres:Port"] = servers.Postgres.Port.ToString(CultureInfo.InvariantCulture),
        ["Postgres:Database"] = servers.Database,
        ["RabbitMq:Host"] = servers.RabbitMq.Host,
        ["RabbitMq:Port"] = servers.RabbitMq.Port.ToString(CultureInfo.InvariantCulture),
        ["RabbitMq:VirtualHost"] = servers.VirtualHost,
        ["MailOutbox:Directory"] = outbox,
        // The tracker assumes no provider: the sandbox's, which takes any am_ or re_ key.
        ["Resend:BaseUrl"] = new Uri(sandbox, "resend").ToString(),
        ["Resend:ApiKey"] = "re_relay_benchmark",
        ["DeliveryTracker:AgentMail:BaseUrl"] = new Uri(sandbox, "agentmail").ToString(),
        ["DeliveryTracker:AgentMail:ApiKey"] = "am_relay_benchmark",
        ["DeliveryTracker:Relay:From"] = "OrdersMail <orders@ordersmail.local>",

        // The tracker does not start without an ops key; this one is the benchmark's own tracker's, used by nobody.
        ["Ops:ApiKey"] = $"ops_relay_benchmark_{Guid.NewGuid():N}",
    };

    // The benchmark runs what was last built, not what is checked out: a build older than its sources measures old code.
    private static void WarnIfStale(string repository, string dll, params string[] sourceFolders)
    {
        var built = File.GetLastWriteTimeUtc(dll);
        var newer = sourceFolders.Select(folder => Path.Combine(repository, folder)).Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Count(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && File.GetLastWriteTimeUtc(file) > built);
        if (newer > 0)
        {
            Console.WriteLine($"warning: {Path.GetFileName(dll)} was built {built:yyyy-MM-dd HH:mm} UTC, before {newer} of its source files changed; build it again (-c Release) to measure this checkout");
        }
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrdersMail.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>One phase's measurement: waits until every file is in <c>sent/</c>, then reads the accept times from the sandbox.</summary>
    private sealed class PhaseMeasure(HttpClient sandbox, OutboxFiles files, IReadOnlyList<(string Name, Func<double> CpuMilliseconds)> processes)
    {
        public Task<int> RunAsync(string phase, Func<Task> writing, bool print = true) => RunAsync(phase, async () =>
        {
            await writing();
            return null;
        }, print);

        /// <summary>Runs <paramref name="act"/>, which says when the phase started (null: when its first file appeared).</summary>
        public async Task<int> RunAsync(string phase, Func<Task<DateTimeOffset?>> act, bool print = true)
        {
            // A process started within the phase (the tracker, relaunched) counts from 0: its pid before is gone.
            var cpuBefore = processes.Select(p => p.CpuMilliseconds()).Select(ms => double.IsNaN(ms) ? 0 : ms).ToList();
            var loadBefore = ProcessTreeCpu.LoadAverage();
            var sentBefore = files.SentCount();
            var startedAt = await act();
            var written = files.TakeWritten();
            // One listing of sent/ per look (not a stat per file), so waiting costs little CPU on the cores measured.
            var deadline = DateTime.UtcNow + PhaseTimeout;
            while (files.SentCount() < sentBefore + written.Count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            var cpu = processes.Select((p, i) => p.CpuMilliseconds() - cpuBefore[i]).ToList();
            var accepted = await AcceptedAsync(written.Keys.ToHashSet());
            if (!print)
            {
                return 0;
            }

            var latencies = written.Where(w => accepted.ContainsKey(w.Key)).Select(w => (accepted[w.Key] - w.Value).TotalMilliseconds).Order().ToList();
            var first = startedAt ?? written.Values.Min();
            var span = accepted.Count > 0 ? (accepted.Values.Max() - first).TotalSeconds : double.NaN;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{phase}: {accepted.Count} of {written.Count} accepted in {span:0.00} s = {accepted.Count / span:0} files/s; " +
                $"file to accepted ms p50 {Percentiles.Of(latencies, 50):0.0}, p90 {Percentiles.Of(latencies, 90):0.0}, p99 {Percentiles.Of(latencies, 99):0.0}, max {latencies.LastOrDefault():0.0}"));
            Console.WriteLine("  CPU ms per file: " + string.Join(", ", processes.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {cpu[i] / written.Count:0.00}"))) +
                string.Create(CultureInfo.InvariantCulture, $"; total {cpu.Where(c => !double.IsNaN(c)).Sum() / written.Count:0.00}; load average before {loadBefore}, after {ProcessTreeCpu.LoadAverage()}"));
            return written.Count - accepted.Count;
        }

        // The sandbox's Resend keeps every accepted email with its created_at (microseconds); subjects are the file names.
        private async Task<Dictionary<string, DateTimeOffset>> AcceptedAsync(HashSet<string> names)
        {
            var emails = await sandbox.GetFromJsonAsync<JsonObject>("sandbox/resend/emails");
            return emails!["data"]!.AsArray()
                .Select(e => (Subject: e!["subject"]!.GetValue<string>(), At: DateTimeOffset.Parse(e["created_at"]!.GetValue<string>(), CultureInfo.InvariantCulture)))
                .Where(e => names.Contains(e.Subject))
                .GroupBy(e => e.Subject)
                .ToDictionary(g => g.Key, g => g.Min(e => e.At));
        }
    }
}
