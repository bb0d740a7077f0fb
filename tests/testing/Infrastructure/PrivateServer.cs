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
    private bool _started;

    /// <summary>A server of kind <paramref name="server"/> (<c>postgres</c> or <c>rabbitmq</c>), not started yet.</summary>
    protected PrivateServer(string server) => _server = server;

    /// <summary>The variables that give this server its own ports (on top of its own data directory).</summary>
    protected abstract IReadOnlyDictionary<string, int> Ports { get; }

    /// <summary>
    /// Starts it (creating its data the first time). A free port can be taken between choosing it and the
    /// server binding it, so a failed first start is cleaned up and tried once more on fresh ports; read
    /// the ports (and settings) after the first start returns. A restart keeps its ports: hosts use them.
    /// </summary>
    public async Task StartAsync()
    {
        if (_started)
        {
            await RunAsync("start");
            return;
        }

        _started = true;
        try
        {
            await RunAsync("start");
        }
        catch (InvalidOperationException first)
        {
            await RunAsync("stop");
            ChooseNewPorts();
            try
            {
                await RunAsync("start");
            }
            catch (InvalidOperationException second)
            {
                throw new InvalidOperationException($"{_server} failed to start twice.\nFirst attempt: {first.Message}\nSecond attempt: {second.Message}", second);
            }
        }
    }

    /// <summary>Picks other free ports for a second start.</summary>
    protected abstract void ChooseNewPorts();

    /// <summary>Stops it; its data stays for the next start.</summary>
    public Task StopAsync() => RunAsync("stop");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_dataDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A TCP port nobody listens on right now, outside 35672-35682, where RabbitMQ's command-line tools
    /// listen for the Erlang distribution.
    /// </summary>
    protected static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (port is < 35672 or > 35682)
            {
                return port;
            }
        }
    }

    private Task<string> RunAsync(string command)
    {
        var environment = Ports.ToDictionary(p => p.Key, p => p.Value.ToString(CultureInfo.InvariantCulture));
        environment["ORDERSMAIL_DATA_DIR"] = _dataDirectory;
        return ScriptRunner.RunAsync("deploy/local/infra.sh", [command, _server], environment, ScriptTimeout);
    }
}
