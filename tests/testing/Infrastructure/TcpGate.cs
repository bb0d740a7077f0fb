using System.Net;
using System.Net.Sockets;

namespace OrdersMail.Testing.Infrastructure;

/// <summary>
/// A TCP relay on a free loopback port in front of a server, for specs of a server that answers the connections it has
/// but takes no new one (as a broker does for a moment while it starts): while closed, a new connection is accepted and
/// dropped at once, and the connections relayed already go on.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _serverPort;
    private readonly Task _accepting;
    private volatile bool _open = true;
    private int _dropped;

    /// <summary>Relays connections to <paramref name="serverPort"/> on loopback, open.</summary>
    public TcpGate(int serverPort)
    {
        _serverPort = serverPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port to connect to instead of the server's.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many new connections were dropped while closed: a spec can open the gate just after an attempt.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>New connections are dropped until <see cref="Open"/>.</summary>
    public void Close() => _open = false;

    /// <summary>New connections are relayed again.</summary>
    public void Open() => _open = true;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (!_open)
            {
                client.Dispose();
                Interlocked.Increment(ref _dropped);
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _serverPort, _stopping.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), done.Token);
                var down = server.GetStream().CopyToAsync(client.GetStream(), done.Token);
                await Task.WhenAny(up, down);
                await done.CancelAsync();
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // One side went away, or the gate is being disposed: both sides are closed below.
            }
        }
    }
}
