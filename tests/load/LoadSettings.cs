using System.Globalization;

namespace OrdersMail.Load;

/// <summary>What to run, from the command line; addresses default to the local run's (deploy/local/up.sh).</summary>
/// <param name="Count">Orders to place.</param>
/// <param name="Concurrency">Requests in flight at once.</param>
/// <param name="Users">Distinct customers the orders are spread over.</param>
/// <param name="OrdersApi">orders-api's base URL.</param>
/// <param name="Sandbox">The mail sandbox's base URL (its Clerk issuer signs the tokens).</param>
/// <param name="LatencyMs">Latency the sandbox adds to each AgentMail call (provisioning benchmark).</param>
/// <param name="Rate">Orders per second to publish (provisioning benchmark); 0 publishes them all at once.</param>
public sealed record LoadSettings(int Count, int Concurrency, int Users, Uri OrdersApi, Uri Sandbox, int LatencyMs, int Rate)
{
    /// <summary>Reads <c>--count</c>, <c>--concurrency</c>, <c>--users</c>, <c>--orders-api</c>, <c>--sandbox</c>, <c>--latency-ms</c>, <c>--rate</c>.</summary>
    public static LoadSettings Parse(string[] args)
    {
        string? Value(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        int Number(string name, int fallback) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

        return new LoadSettings(
            Number("--count", 3000),
            Number("--concurrency", 16),
            Number("--users", 200),
            new Uri(Value("--orders-api") ?? $"http://127.0.0.1:{Environment.GetEnvironmentVariable("ORDERSMAIL_OrdersApi__Port") ?? "5100"}"),
            new Uri(Value("--sandbox") ?? $"http://127.0.0.1:{Environment.GetEnvironmentVariable("ORDERSMAIL_MailSandbox__Port") ?? "7070"}"),
            Number("--latency-ms", 20),
            Number("--rate", 0));
    }
}
