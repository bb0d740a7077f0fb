using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrdersMail.Testing.Infrastructure;

/// <summary>
/// A PostgreSQL or RabbitMQ server of a test's own (its own data directory and ports, started with the same
/// deploy/local/infra.sh as everything else), for specs that stop and start a server without disturbing
/// the other tests.
/// </summary>
public abstract class PrivateServer : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("ordersmail-server-").FullName;
    private readonly string _server;

    /// <summary>A server of kind <paramref name="server"/> (<c>postgres</c> or <c>rabbitmq</c>), not started yet.</summary>
    protected PrivateServer(string server) => _server = server;

    /// <summary>The variables that give this server its own ports (on top of its own data directory).</summary>
    protected abstract IReadOnlyDictionary<string, int> Ports { get; }

    /// <summary>Starts it (creating its data the first time).</summary>
    public Task StartAsync() => RunAsync("start");

    /// <summary>Stops it; its data stays for the next start.</summary>
    public Task StopAsync() => RunAsync("stop");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_dataDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A TCP port nobody listens on right now.</summary>
    protected static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task<string> RunAsync(string command)
    {
        var environment = Ports.ToDictionary(p => p.Key, p => p.Value.ToString(CultureInfo.InvariantCulture));
        environment["ORDERSMAIL_DATA_DIR"] = _dataDirectory;
        return ScriptRunner.RunAsync("deploy/local/infra.sh", [command, _server], environment, ScriptTimeout);
    }
}
