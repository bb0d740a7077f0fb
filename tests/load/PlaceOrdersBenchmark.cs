using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Configuration;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.Load;

/// <summary>
/// Places orders through orders-api over real HTTP, as many customers signed in with sandbox Clerk tokens,
/// and prints throughput, the latency of <c>POST /api/orders</c>, and the outbox's publish lag (from each
/// order's commit to its <c>OrderCreated</c> being confirmed by the broker, as the relay stamps it).
/// </summary>
public static class PlaceOrdersBenchmark
{
    /// <summary>Runs the benchmark; 0 when every order was accepted.</summary>
    public static async Task<int> RunAsync(LoadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Concurrency }) { Timeout = TimeSpan.FromSeconds(30) };
        var runId = Guid.NewGuid().ToString("N")[..8];
        Console.WriteLine($"placing {settings.Count} orders for {settings.Users} customers, {settings.Concurrency} at a time, against {settings.OrdersApi}");

        var tokens = await MintTokensAsync(http, settings, runId);
        await PlaceAsync(http, settings, tokens, 50, runId + "-warmup");

        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var (latencies, failures) = await PlaceAsync(http, settings, tokens, settings.Count, runId);
        clock.Stop();

        var sorted = latencies.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"accepted {sorted.Count}, failed {failures} in {clock.Elapsed.TotalSeconds:0.00} s: {sorted.Count / clock.Elapsed.TotalSeconds:0} orders/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"POST /api/orders latency ms: p50 {Percentiles.Of(sorted, 50):0.0}, p90 {Percentiles.Of(sorted, 90):0.0}, p99 {Percentiles.Of(sorted, 99):0.0}, max {sorted.LastOrDefault():0.0}"));
        await PrintPublishLagAsync(started, settings.Count);
        return failures == 0 ? 0 : 1;
    }

    private static async Task<IReadOnlyList<string>> MintTokensAsync(HttpClient http, LoadSettings settings, string runId)
    {
        var tokens = new List<string>();
        for (var user = 0; user < settings.Users; user++)
        {
            // An hour's token, so a long run never crosses Clerk's 60 s default lifetime.
            var response = await http.PostAsJsonAsync(new Uri(settings.Sandbox, "clerk/tokens"), new { user_id = $"user_load_{runId}_{user}", ttl_seconds = 3600 });
            response.EnsureSuccessStatusCode();
            tokens.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["jwt"]!.GetValue<string>());
        }

        return tokens;
    }

    private static async Task<(ConcurrentBag<double> Latencies, int Failures)> PlaceAsync(HttpClient http, LoadSettings settings, IReadOnlyList<string> tokens, int count, string runId)
    {
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var next = -1;
        var workers = Enumerable.Range(0, settings.Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.OrdersApi, "api/orders"))
                {
                    Content = JsonContent.Create(new
                    {
                        customer_email = $"customer{i % tokens.Count}@example.com",
                        currency = "EUR",
                        items = new[] { new { sku = "SKU-1", name = "Widget", quantity = 1 + (i % 3), unit_price = 19.99m } },
                    }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[i % tokens.Count]);
                request.Headers.Add("Idempotency-Key", $"{runId}-{i}");
                var clock = Stopwatch.StartNew();
                using var response = await http.SendAsync(request);
                var elapsed = clock.Elapsed.TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    latencies.Add(elapsed);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                    if (failures <= 3)
                    {
                        Console.WriteLine($"  {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }
        });
        await Task.WhenAll(workers);
        return (latencies, failures);
    }

    /// <summary>Waits (bounded) for the relay to publish the run's events, then reads the lag it stamped.</summary>
    private static async Task PrintPublishLagAsync(DateTimeOffset since, int expected)
    {
        var postgres = new ConfigurationBuilder().AddEnvironmentVariables(ConfigurationConventions.EnvironmentPrefix).Build()
            .GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new PostgresOptions();
        await using var db = NpgsqlDataSource.Create(postgres.ConnectionString("load-benchmark", "orders"));
        await using var connection = await db.OpenConnectionAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long pending;
        while ((pending = await connection.ExecuteScalarAsync<long>("select count(*) from outbox_messages where created_at >= @since and published_at is null", new { since })) > 0
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var lag = await connection.QuerySingleAsync<(long Published, double P50, double P99, double Max)>(
            """
            select count(*),
                   coalesce(percentile_cont(0.5) within group (order by extract(epoch from published_at - created_at) * 1000), 'NaN'),
                   coalesce(percentile_cont(0.99) within group (order by extract(epoch from published_at - created_at) * 1000), 'NaN'),
                   coalesce(max(extract(epoch from published_at - created_at) * 1000), 'NaN')
            from outbox_messages where created_at >= @since and published_at is not null
            """,
            new { since });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outbox publish lag ms (commit to broker confirm): p50 {lag.P50:0.0}, p99 {lag.P99:0.0}, max {lag.Max:0.0}; {lag.Published} of {expected} published, {pending} still pending"));
    }
}
