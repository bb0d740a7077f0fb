using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Everything the system could have written, published or sent, counted: the rows of every table in the four
/// services' schemas, the broker's published-message total and the messages sitting in its queues, in the system's
/// virtual host (<see cref="BrokerAsync"/>),
/// and the sandbox's send log (Resend emails) and webhook attempts. Two equal snapshots around an attack prove it
/// changed nothing.
/// </summary>
public sealed record SideEffects(IReadOnlyDictionary<string, long> Counts)
{
    private const string Waiting = "broker messages waiting to be consumed (queues but _error)";

    private static readonly string[] Schemas = ["orders", "provisioning", "inbound", "delivery"];

    /// <summary>Reads every count now.</summary>
    public static async Task<SideEffects> ReadAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using (var connection = await context.Database.OpenConnectionAsync())
        {
            var tables = await connection.QueryAsync<(string Schema, string Table)>(
                "select table_schema, table_name from information_schema.tables where table_schema = any(@Schemas) and table_type = 'BASE TABLE'",
                new { Schemas });
            foreach (var (schema, table) in tables)
            {
                counts[$"table {schema}.{table}"] = await connection.ExecuteScalarAsync<long>($"select count(*) from \"{schema}\".\"{table}\"");
            }
        }

        foreach (var (name, count) in await BrokerAsync(path => ManagementAsync(context, $"api/{path}"), context.System.RabbitMqVirtualHost))
        {
            counts[name] = count;
        }

        counts["sandbox Resend emails sent"] = (await context.Sandbox.ResendEmailsAsync()).Count;
        counts["sandbox AgentMail webhook attempts"] = await context.Sandbox.WebhookAttemptsRecordedAsync("agentmail");
        counts["sandbox Resend webhook attempts"] = await context.Sandbox.WebhookAttemptsRecordedAsync("resend");
        return new SideEffects(counts);
    }

    /// <summary>
    /// The broker's counts in <paramref name="virtualHost"/> alone, read through <paramref name="management"/> (a GET of
    /// a path of the management API, <c>vhosts/…</c>): test classes running beside the system publish in virtual hosts
    /// of their own on the same broker, which the broker's overview would count too.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, long>> BrokerAsync(Func<string, Task<JsonNode>> management, string virtualHost)
    {
        ArgumentNullException.ThrowIfNull(management);
        var vhost = Uri.EscapeDataString(virtualHost);
        var system = await management($"vhosts/{vhost}");
        var queues = (await management($"queues/{vhost}?columns=name,messages")).AsArray();
        return new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["broker messages published (total)"] = system["message_stats"]?["publish"]?.GetValue<long>() ?? 0,
            ["broker messages in queues"] = system["messages"]?.GetValue<long>() ?? 0,
            [Waiting] = queues.Where(q => !q!["name"]!.GetValue<string>().EndsWith("_error", StringComparison.Ordinal))
                .Sum(q => q!["messages"]?.GetValue<long>() ?? 0),
        };
    }

    /// <summary>
    /// Waits, bounded, until two snapshots <paramref name="apart"/> agree (the broker's statistics refresh every 5 s) and
    /// no queue but the <c>_error</c> ones holds a message,
    /// so an attack is measured against a system that finished its own work; the last snapshot, and whether it settled.
    /// </summary>
    public static async Task<(SideEffects Snapshot, bool Settled)> WhenQuietAsync(ScenarioContext context, TimeSpan apart, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var previous = await ReadAsync(context);
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(apart);
            var current = await ReadAsync(context);
            // Quiet: nothing changed, and no consumer has work left that would change something during the attack.
            if (current.Differences(previous).Count == 0 && current.Counts[Waiting] == 0)
            {
                return (current, true);
            }

            previous = current;
        }

        return (previous, false);
    }

    /// <summary>What changed from <paramref name="before"/>: <c>name: before → after</c>.</summary>
    public IReadOnlyList<string> Differences(SideEffects before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return Counts.Keys.Union(before.Counts.Keys)
            .Where(k => Counts.GetValueOrDefault(k) != before.Counts.GetValueOrDefault(k))
            .Select(k => $"{k}: {before.Counts.GetValueOrDefault(k)} → {Counts.GetValueOrDefault(k)}")
            .ToList();
    }

    /// <summary>GETs <paramref name="path"/> of RabbitMQ's management API with the broker's user.</summary>
    internal static async Task<JsonNode> ManagementAsync(ScenarioContext context, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(context.System.RabbitMqManagement, path));
        var user = Environment.GetEnvironmentVariable("ORDERSMAIL_RabbitMq__Username") ?? "ordersmail";
        var password = Environment.GetEnvironmentVariable("ORDERSMAIL_RabbitMq__Password") ?? "ordersmail";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await context.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }
}
