using System.Net.Sockets;

namespace OrdersMail.Testing.Infrastructure;

/// <summary>
/// Whether a Docker engine answers, found where Testcontainers looks first (<c>DOCKER_HOST</c>, else
/// <c>/var/run/docker.sock</c>) and asked <c>GET /_ping</c> with a short timeout, so a machine without one
/// (the build machines) costs a missing file or a refused connection, not a wait.
/// </summary>
public static class DockerEngine
{
    /// <summary>The engine's socket when <c>DOCKER_HOST</c> is not set.</summary>
    public const string DefaultSocket = "/var/run/docker.sock";

    /// <summary>How long an engine has to answer its ping.</summary>
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Where this process looks for the engine, for messages.</summary>
    public static string Where => Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host
        ? $"DOCKER_HOST={host}"
        : $"DOCKER_HOST unset, {DefaultSocket}";

    /// <summary>Whether the engine this process would use answers its ping.</summary>
    public static Task<bool> AnswersAsync() =>
        Endpoint(Environment.GetEnvironmentVariable("DOCKER_HOST"), File.Exists) is { } endpoint
            ? AnswersAsync(endpoint, PingTimeout)
            : Task.FromResult(false);

    /// <summary>The engine's address: <paramref name="dockerHost"/> when set, else the default socket when it exists, else none.</summary>
    public static Uri? Endpoint(string? dockerHost, Func<string, bool> socketExists)
    {
        ArgumentNullException.ThrowIfNull(socketExists);
        if (!string.IsNullOrWhiteSpace(dockerHost))
        {
            return Uri.TryCreate(dockerHost, UriKind.Absolute, out var uri) ? uri : null;
        }

        return socketExists(DefaultSocket) ? new Uri($"unix://{DefaultSocket}") : null;
    }

    /// <summary>Whether <c>GET /_ping</c> at <paramref name="endpoint"/> (<c>unix://</c> or <c>tcp://</c>) succeeds within <paramref name="timeout"/>.</summary>
    public static async Task<bool> AnswersAsync(Uri endpoint, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var handler = new SocketsHttpHandler();
        Uri ping;
        switch (endpoint.Scheme)
        {
            case "unix":
                handler.ConnectCallback = (_, cancel) => ConnectAsync(endpoint.AbsolutePath, cancel);
                ping = new Uri("http://docker/_ping");
                break;
            case "tcp":
                ping = new Uri($"http://{endpoint.Authority}/_ping");
                break;
            default:
                // npipe:// and ssh:// are not pinged: the tests run on Linux, and such a machine takes the local path.
                return false;
        }

        using var client = new HttpClient(handler) { Timeout = timeout };
        try
        {
            using var response = await client.GetAsync(ping);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async ValueTask<Stream> ConnectAsync(string path, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
