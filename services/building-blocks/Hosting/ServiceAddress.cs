using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace OrdersMail.BuildingBlocks.Hosting;

/// <summary>
/// The URL a service listens on unless given URLs the ASP.NET Core way: <c>{Section}:BindAddress</c> (127.0.0.1 by
/// default) and <c>{Section}:Port</c> (the service's default port), refused as read when unusable, each named by its
/// key. Unchecked, port 0 started Kestrel on a random port no probe or script ever found, 70000 failed with an
/// exception naming the URL, and a host name that is not localhost had Kestrel listen on every interface.
/// </summary>
internal static class ServiceAddress
{
    /// <summary>The highest TCP port.</summary>
    public const int HighestPort = 65535;

    /// <summary>The URL <paramref name="service"/> listens on, from its section of <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidOperationException">The bind address or the port is unusable; the message names each key.</exception>
    public static string Url(IConfiguration configuration, ServiceInfo service)
    {
        var section = configuration.GetSection(service.ConfigurationSection);
        var problems = new List<string>();
        var host = Host(section["BindAddress"], $"{section.Path}:BindAddress", problems);
        var port = Port(section["Port"], service.DefaultPort, $"{section.Path}:Port", problems);
        return problems.Count == 0
            ? $"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}"
            : throw new InvalidOperationException(string.Join(" ", problems));
    }

    private static string Host(string? configured, string key, List<string> problems)
    {
        if (configured is null || configured == "localhost")
        {
            return configured ?? "127.0.0.1";
        }

        if (!IPAddress.TryParse(configured, out var address))
        {
            problems.Add($"{key} must be an IP address (e.g. 127.0.0.1, or 0.0.0.0 for every interface) or localhost (got '{configured}').");
            return configured;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    private static int Port(string? configured, int defaultPort, string key, List<string> problems)
    {
        if (configured is null)
        {
            return defaultPort;
        }

        if (!int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > HighestPort)
        {
            problems.Add($"{key} must be a port from 1 to {HighestPort} (got '{configured}').");
        }

        return port;
    }
}
