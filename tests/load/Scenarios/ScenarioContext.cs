using Npgsql;

namespace OrdersMail.Load.Scenarios;

/// <summary>What every scenario works with: the running system, one HTTP client, the sandbox, /proc and the database.</summary>
public sealed class ScenarioContext : IAsyncDisposable
{
    private ScenarioContext(LocalSystem system, HttpClient http, NpgsqlDataSource database)
    {
        System = system;
        Http = http;
        Database = database;
        Sandbox = new SandboxApi(http, system.Sandbox);
        Meter = new ProcessMeter(system);
    }

    /// <summary>The system the scenarios drive.</summary>
    public LocalSystem System { get; }

    /// <summary>One client for every call; sized for the storm's concurrency.</summary>
    public HttpClient Http { get; }

    /// <summary>The sandbox's public and control APIs.</summary>
    public SandboxApi Sandbox { get; }

    /// <summary>CPU and memory of the system's processes.</summary>
    public ProcessMeter Meter { get; }

    /// <summary>The shared database, read-only here: the scenarios read timestamps and counts the services wrote.</summary>
    public NpgsqlDataSource Database { get; }

    /// <summary>A context for <paramref name="system"/>.</summary>
    public static ScenarioContext For(LocalSystem system) => For(system, new SocketsHttpHandler { MaxConnectionsPerServer = 64 });

    /// <summary>A context for <paramref name="system"/> whose HTTP calls go through <paramref name="handler"/>, which it then owns.</summary>
    public static ScenarioContext For(LocalSystem system, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(system);
        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        return new ScenarioContext(system, http, NpgsqlDataSource.Create(system.Postgres.ConnectionString("load-scenarios", "orders")));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Database.DisposeAsync();
    }
}
