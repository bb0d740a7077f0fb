using System.Net;
using System.Net.Sockets;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>A loopback URL nothing listens on: connections to it are refused at once.</summary>
public static class ClosedPort
{
    /// <summary>A JWKS URL on a port that was free a moment ago and is closed again.</summary>
    public static string JwksUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/clerk/.well-known/jwks.json";
    }
}
