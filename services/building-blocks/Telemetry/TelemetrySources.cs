namespace OrdersMail.BuildingBlocks.Telemetry;

/// <summary>
/// The activity sources and meters every service listens to, by name: no instrumentation package restores
/// here, and on .NET 10 none is needed, since ASP.NET Core, HttpClient, Npgsql and MassTransit publish natively.
/// </summary>
public static class TelemetrySources
{
    /// <summary>Activity sources of the frameworks a service is built on (its own is added by name).</summary>
    public static readonly IReadOnlyList<string> ActivitySources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "Npgsql",
        "MassTransit",
    ];

    /// <summary>Meters of the frameworks and the runtime (the service's own is added by name).</summary>
    public static readonly IReadOnlyList<string> Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http",
        "System.Runtime",
        "Npgsql",
        "MassTransit",
    ];
}
