using System.Globalization;

namespace OrdersMail.Load.Scenarios;

/// <summary>The <c>scenarios</c> command's options.</summary>
/// <param name="Only">The scenarios to run, by name; all when not given.</param>
/// <param name="Storm">The order storm's size (<c>--small</c>, <c>--orders</c>, <c>--customers</c>).</param>
/// <param name="JsonPath">Where the report's JSON goes.</param>
public sealed record ScenarioOptions(IReadOnlySet<string> Only, OrderStormSettings Storm, string JsonPath)
{
    /// <summary>Every scenario this command runs, in the order it runs them.</summary>
    public static readonly IReadOnlyList<string> All = [OrderStorm.Name, Footprint.Name, InboundStorm.Name, Attack.Name, HostileProvider.Name, ScaleOut.Name, Chaos.Name];

    /// <summary>The inbound storm's size (<c>--small</c> or not).</summary>
    public InboundStormSettings Inbound { get; init; } = InboundStormSettings.Full;

    /// <summary>The hostile-provider storm's size (<c>--small</c> or not).</summary>
    public HostileProviderSettings Hostile { get; init; } = HostileProviderSettings.Full;

    /// <summary>The chaos scenario's size (<c>--small</c> for CI's).</summary>
    public ChaosSettings ChaosSize { get; init; } = ChaosSettings.Full;

    /// <summary>The size of each of the scale-out scenario's two storms (<c>--small</c> for CI's).</summary>
    public OrderStormSettings ScaleOutSize { get; init; } = OrderStormSettings.ScaleOut;

    /// <summary>Reads <c>--small</c>, <c>--only a,b</c>, <c>--json path</c>, <c>--orders N</c>, <c>--customers N</c>.</summary>
    public static ScenarioOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? Value(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        var small = args.Contains("--small");
        var storm = small ? OrderStormSettings.Small : OrderStormSettings.Full;
        if (Value("--orders") is { } orders)
        {
            storm = storm with { Orders = int.Parse(orders, CultureInfo.InvariantCulture) };
        }

        if (Value("--customers") is { } customers)
        {
            storm = storm with { Customers = int.Parse(customers, CultureInfo.InvariantCulture) };
        }

        var only = Value("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() ?? [.. All];
        var unknown = only.Except(All).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", All)}");
        }

        return new ScenarioOptions(only, storm, Value("--json") ?? "scenarios.json")
        {
            Inbound = small ? InboundStormSettings.Small : InboundStormSettings.Full,
            Hostile = small ? HostileProviderSettings.Small : HostileProviderSettings.Full,
            ChaosSize = small ? ChaosSettings.Small : ChaosSettings.Full,
            ScaleOutSize = small ? OrderStormSettings.Small : OrderStormSettings.ScaleOut,
        };
    }

    /// <summary>Whether <paramref name="scenario"/> is to run.</summary>
    public bool Runs(string scenario) => Only.Contains(scenario);
}
