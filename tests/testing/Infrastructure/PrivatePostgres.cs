using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OrdersMail.BuildingBlocks.Data;

namespace OrdersMail.Testing.Infrastructure;

/// <summary>
/// A PostgreSQL server of a test's own (its own data directory and port, started with the same
/// deploy/local/infra.sh), for specs that stop and start the database without disturbing anyone else.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("ordersmail-pg-").FullName;

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; } = FreePort();

    /// <summary>Where it is, for a service host's settings.</summary>
    public PostgresOptions Options => new() { Host = "127.0.0.1", Port = Port };

    private Dictionary<string, string> Environment => new()
    {
        ["ORDERSMAIL_DATA_DIR"] = _dataDirectory,
        ["ORDERSMAIL_Postgres__Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["ORDERSMAIL_Postgres__Host"] = "127.0.0.1",
    };

    /// <summary>Starts it (creating its cluster the first time).</summary>
    public Task StartAsync() => ScriptRunner.RunAsync("deploy/local/infra.sh", ["start", "postgres"], Environment, ScriptTimeout);

    /// <summary>Stops it; its data stays for the next start.</summary>
    public Task StopAsync() => ScriptRunner.RunAsync("deploy/local/infra.sh", ["stop", "postgres"], Environment, ScriptTimeout);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
