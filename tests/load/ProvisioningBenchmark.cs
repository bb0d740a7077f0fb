using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Messaging;
using OrdersMail.Contracts.Orders;
using OrdersMail.Contracts.Provisioning;

namespace OrdersMail.Load;

/// <summary>
/// Publishes OrderCreated for many new customers on the local run's bus, with every AgentMail call of the sandbox
/// slowed by a fixed latency, and prints how fast inbox-provisioner provisions them: orders per second, p50/p99
/// from OrderCreated to InboxReady, and p50 against the sum of the AgentMail calls on the critical path (create
/// the inbox, create its webhook, read the webhook back), timed here one after another with the same latency; and
/// what each order cost in CPU (by process) and PostgreSQL commits.
/// </summary>
public static class ProvisioningBenchmark
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);
    private static readonly string[] ProbeEventTypes = ["message.received"];

    /// <summary>Runs the benchmark; 0 when every order was provisioned.</summary>
    public static async Task<int> RunAsync(LoadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var http = new HttpClient { BaseAddress = settings.Sandbox, Timeout = TimeSpan.FromSeconds(30) };
        var runId = Guid.NewGuid().ToString("N")[..8];
        Console.WriteLine($"provisioning {settings.Count} customers ({(settings.Rate > 0 ? $"{settings.Rate}/s" : "all at once")}), AgentMail latency {settings.LatencyMs} ms per call, sandbox {settings.Sandbox}");

        await SetLatencyAsync(http, settings.LatencyMs);
        try
        {
            // The first sequence warms connections and JIT; the second is the one timed.
            await TimeCriticalPathAsync(http, runId + "-warm");
            var criticalPath = await TimeCriticalPathAsync(http, runId);
            var sent = new ConcurrentDictionary<Guid, long>();
            var done = new ConcurrentDictionary<Guid, (long At, bool Ready)>();
            var finished = new TaskCompletionSource();
            var bus = await StartBusAsync(runId, sent, done, settings.Count, finished);
            try
            {
                var cost = ProvisioningCost.OfLocalRun(settings.Sandbox);
                var before = await cost.ReadAsync();
                var clock = Stopwatch.StartNew();
                await PublishAsync(bus, settings, runId, sent);
                await finished.Task.WaitAsync(Patience);
                clock.Stop();
                var after = await cost.ReadAsync();
                Print(settings, sent, done, clock.Elapsed, criticalPath);
                cost.Print(before, after, done.Count);
                return done.Values.All(d => d.Ready) ? 0 : 1;
            }
            finally
            {
                await bus.StopAsync();
            }
        }
        finally
        {
            await SetLatencyAsync(http, 0);
        }
    }

    // All at once (a burst: throughput), or paced at --rate orders per second (latency under a steady load).
    private static async Task PublishAsync(IBus bus, LoadSettings settings, string runId, ConcurrentDictionary<Guid, long> sent)
    {
        var publishes = new List<Task>(settings.Count);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < settings.Count; i++)
        {
            if (settings.Rate > 0)
            {
                var due = TimeSpan.FromSeconds((double)i / settings.Rate) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
            }

            var order = new OrderCreated(Guid.NewGuid(), $"ORD-LOAD-{runId}-{i}", $"user_prov_{runId}_{i}", $"load.{runId}.{i}@customers.example", "Load Customer", DateTimeOffset.UtcNow);
            sent[order.OrderId] = Stopwatch.GetTimestamp();
            publishes.Add(bus.Publish(order));
        }

        await Task.WhenAll(publishes);
    }

    private static void Print(LoadSettings settings, ConcurrentDictionary<Guid, long> sent, ConcurrentDictionary<Guid, (long At, bool Ready)> done, TimeSpan elapsed, TimeSpan criticalPath)
    {
        var latencies = done.Select(d => Stopwatch.GetElapsedTime(sent[d.Key], d.Value.At).TotalMilliseconds).Order().ToList();
        var failed = done.Values.Count(d => !d.Ready);
        var p50 = Percentiles.Of(latencies, 50);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"provisioned {done.Count - failed}, failed {failed} in {elapsed.TotalSeconds:0.00} s: {(done.Count - failed) / elapsed.TotalSeconds:0.0} orders/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OrderCreated -> InboxReady ms: p50 {p50:0.0}, p90 {Percentiles.Of(latencies, 90):0.0}, p99 {Percentiles.Of(latencies, 99):0.0}, max {latencies.LastOrDefault():0.0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"critical path (3 AgentMail calls at {settings.LatencyMs} ms each, timed alone): {criticalPath.TotalMilliseconds:0.0} ms; p50 is {p50 / criticalPath.TotalMilliseconds:0.00}x that"));
    }

    // Faults apply to every AgentMail operation ("*"); a latency of 0 removes them.
    private static async Task SetLatencyAsync(HttpClient http, int latencyMs)
    {
        (await http.DeleteAsync("sandbox/faults")).EnsureSuccessStatusCode();
        if (latencyMs > 0)
        {
            (await http.PostAsJsonAsync("sandbox/faults", new { api = "agentmail", operation = "*", latency_ms = latencyMs })).EnsureSuccessStatusCode();
        }
    }

    private static async Task<TimeSpan> TimeCriticalPathAsync(HttpClient sandbox, string runId)
    {
        using var agentMail = new HttpClient { BaseAddress = new Uri(sandbox.BaseAddress!, "agentmail/"), Timeout = TimeSpan.FromSeconds(30) };
        agentMail.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "am_load_benchmark");
        var clock = Stopwatch.StartNew();
        var inbox = await (await agentMail.PostAsJsonAsync("v0/inboxes", new { username = $"load-path-{runId}", client_id = $"load-path-{runId}" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<Dictionary<string, object>>();
        var inboxId = inbox!["inbox_id"].ToString()!;
        var webhook = await (await agentMail.PostAsJsonAsync($"v0/inboxes/{Uri.EscapeDataString(inboxId)}/webhooks", new { url = "http://127.0.0.1:9/", event_types = ProbeEventTypes })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<Dictionary<string, object>>();
        var webhookId = webhook!["webhook_id"].ToString()!;
        (await agentMail.GetAsync($"v0/webhooks/{webhookId}")).EnsureSuccessStatusCode();
        var elapsed = clock.Elapsed;
        await agentMail.DeleteAsync($"v0/webhooks/{webhookId}");
        await agentMail.DeleteAsync($"v0/inboxes/{Uri.EscapeDataString(inboxId)}");
        return elapsed;
    }

    private static async Task<IBusControl> StartBusAsync(
        string runId,
        ConcurrentDictionary<Guid, long> sent,
        ConcurrentDictionary<Guid, (long At, bool Ready)> done,
        int count,
        TaskCompletionSource finished)
    {
        var broker = new ConfigurationBuilder().AddEnvironmentVariables(ConfigurationConventions.EnvironmentPrefix).Build()
            .GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        void Done(Guid orderId, bool ready)
        {
            if (sent.ContainsKey(orderId) && done.TryAdd(orderId, (Stopwatch.GetTimestamp(), ready)) && done.Count == count)
            {
                finished.TrySetResult();
            }
        }

        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker.Host, (ushort)broker.Port, broker.VirtualHost, h =>
            {
                h.Username(broker.Username);
                h.Password(broker.Password);
            });
            rabbit.ReceiveEndpoint($"load-provisioning-{runId}", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<InboxReady>(c =>
                {
                    Done(c.Message.OrderId, ready: true);
                    return Task.CompletedTask;
                });
                e.Handler<InboxProvisioningFailed>(c =>
                {
                    Done(c.Message.OrderId, ready: false);
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync();
        return bus;
    }
}
