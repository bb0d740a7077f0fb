using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Testing;

/// <summary>Finding and pinging a Docker engine, with stand-ins for it: what answers, what refuses, what never answers.</summary>
public sealed class DockerEngine_Specs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public void DOCKER_HOST_Should_win_over_the_default_socket() =>
        Assert.Equal(new Uri("tcp://10.0.0.5:2375"), DockerEngine.Endpoint("tcp://10.0.0.5:2375", _ => true));

    [Fact]
    public void Without_DOCKER_HOST_Should_use_the_default_socket_when_it_exists()
    {
        Assert.Equal(new Uri("unix:///var/run/docker.sock"), DockerEngine.Endpoint(null, path => path == DockerEngine.DefaultSocket));
        Assert.Null(DockerEngine.Endpoint("", _ => false));
    }

    [Fact]
    public async Task A_socket_answering_its_ping_Should_count_as_an_engine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"docker-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        try
        {
            var engine = AnswerPingAsync(listener);

            Assert.True(await DockerEngine.AnswersAsync(new Uri($"unix://{path}"), TimeSpan.FromSeconds(5)));
            Assert.Equal("GET /_ping HTTP/1.1", await engine);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_socket_or_a_refused_port_Should_not()
    {
        Assert.False(await DockerEngine.AnswersAsync(new Uri($"unix:///tmp/no-docker-{Guid.NewGuid():N}.sock"), Timeout));
        Assert.False(await DockerEngine.AnswersAsync(new Uri($"tcp://127.0.0.1:{ClosedPort()}"), Timeout));
    }

    [Fact]
    public async Task An_engine_that_never_answers_Should_not_hold_the_tests_past_the_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var watch = Stopwatch.StartNew();

        Assert.False(await DockerEngine.AnswersAsync(new Uri($"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"), Timeout));
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    /// <summary>Answers one ping as the engine does and returns the request line it got.</summary>
    private static async Task<string> AnswerPingAsync(Socket listener)
    {
        using var connection = await listener.AcceptAsync();
        await using var stream = new NetworkStream(connection);
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        var requestLine = await reader.ReadLineAsync() ?? "";
        while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
        {
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK"));
        return requestLine;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
