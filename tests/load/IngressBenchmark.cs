using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.Load;

/// <summary>
/// inbound-router's ingress under load: signed <c>message.received</c> deliveries that it verifies, dedupes, records
/// durably and hands to its outbox before answering, closed-loop and at a fixed rate; and, in the same run on the same
/// machine, a bare ASP.NET Core endpoint that only answers 204, so the ratio says what the ingress's work costs.
/// The inbox and its webhook are created in the sandbox; the router learns the webhook's secret from it on the first event.
/// </summary>
public static class IngressBenchmark
{
    private static readonly string[] ReceivedOnly = ["message.received"];

    /// <summary>Runs the benchmark; 0 when every delivery was accepted.</summary>
    public static async Task<int> RunAsync(LoadSettings settings, string[] args)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var router = new Uri(Option(args, "--router") ?? $"http://127.0.0.1:{Environment.GetEnvironmentVariable("ORDERSMAIL_InboundRouter__Port") ?? "5300"}");
        var rate = settings.Rate > 0 ? settings.Rate : 1000;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { Timeout = TimeSpan.FromSeconds(30) };
        var webhookUrl = new Uri(router, "webhooks/agentmail");
        var (inboxId, secret) = await ProvisionAsync(http, settings.Sandbox, webhookUrl);
        var load = new IngressLoad(http, inboxId, secret);
        var runId = Guid.NewGuid().ToString("N")[..8];
        Console.WriteLine($"ingress: {settings.Count} signed message.received per phase, closed-loop at {settings.Concurrency} in flight, then {rate}/s; against {webhookUrl}");

        await using var bare = await BareEndpointAsync();
        var bareUrl = new Uri(bare.Urls.Single() + "/webhooks/agentmail");
        await load.ClosedLoopAsync(webhookUrl, load.Sign(runId + "w", 500), settings.Concurrency);
        await load.ClosedLoopAsync(bareUrl, load.Sign(runId + "bw", 500), settings.Concurrency);

        var since = DateTimeOffset.UtcNow;
        var ingressClosed = await load.ClosedLoopAsync(webhookUrl, load.Sign(runId + "c", settings.Count), settings.Concurrency);
        var bareClosed = await load.ClosedLoopAsync(bareUrl, load.Sign(runId + "bc", settings.Count), settings.Concurrency);
        var ingressPaced = await load.FixedRateAsync(webhookUrl, load.Sign(runId + "r", settings.Count), rate);
        var barePaced = await load.FixedRateAsync(bareUrl, load.Sign(runId + "br", settings.Count), rate);

        Print("ingress closed-loop", ingressClosed);
        Print("bare 204 closed-loop", bareClosed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio ingress / bare (closed-loop throughput): {Throughput(ingressClosed) / Throughput(bareClosed):0.00}"));
        Print($"ingress at {rate}/s", ingressPaced);
        Print($"bare 204 at {rate}/s", barePaced);
        await PrintDurabilityAsync(since, runId, 2 * settings.Count);
        return ingressClosed.Failures + ingressPaced.Failures == 0 ? 0 : 1;
    }

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

    private static async Task<(string InboxId, string Secret)> ProvisionAsync(HttpClient http, Uri sandbox, Uri webhookUrl)
    {
        var agentMail = new Uri(sandbox, "agentmail/");
        var name = $"load-{Guid.NewGuid():N}"[..20];
        var inbox = await PostAsync(http, new Uri(agentMail, "v0/inboxes"), new { username = name, client_id = $"inbox-{name}", metadata = new { order_ref = "ORD-LOAD" } });
        var inboxId = inbox["inbox_id"]!.GetValue<string>();
        var webhook = await PostAsync(http, new Uri(agentMail, $"v0/inboxes/{Uri.EscapeDataString(inboxId)}/webhooks"), new
        {
            url = webhookUrl.ToString(),
            event_types = ReceivedOnly,
            client_id = $"webhook-{name}",
        });
        return (inboxId, webhook["secret"]!.GetValue<string>());
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, Uri url, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "am_load_benchmark");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    // The floor: Kestrel reading the same body and answering 204, in this process, on the same cores.
    private static async Task<WebApplication> BareEndpointAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/webhooks/agentmail", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return TypedResults.NoContent();
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>Every accepted delivery is a row, and its outbox row is published: reads both from the router's schema.</summary>
    private static async Task PrintDurabilityAsync(DateTimeOffset since, string runId, int expected)
    {
        var postgres = new ConfigurationBuilder().AddEnvironmentVariables(ConfigurationConventions.EnvironmentPrefix).Build()
            .GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new PostgresOptions();
        await using var db = NpgsqlDataSource.Create(postgres.ConnectionString("load-benchmark", "inbound"));
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
    }
}
