using System.Net;
using System.Net.Sockets;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.InboundRouter.Tests.Support;

/// <summary>
/// inbound-router, unchanged, on Kestrel at a free loopback port (the sandbox posts its signed webhooks there over real
/// HTTP), on a test class's database and vhost, with the sandbox as AgentMail.
/// </summary>
public sealed class RouterFactory : ServiceHostFactory<Program>
{
    private readonly MailSandboxServer _sandbox;
    private readonly int _port = FreePort();

    /// <summary>A router for <paramref name="infrastructure"/> reading AgentMail from <paramref name="sandbox"/>.</summary>
    public RouterFactory(TestInfrastructure infrastructure, MailSandboxServer sandbox)
        : base(infrastructure)
    {
        _sandbox = sandbox;
        UseKestrel(_port);
    }

    /// <summary>Where AgentMail posts the inbox's events.</summary>
    public string WebhookUrl => $"http://127.0.0.1:{_port}/webhooks/agentmail";

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["InboundRouter:Port"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["InboundRouter:AgentMail:BaseUrl"] = _sandbox.AgentMailBaseUrl,
        ["InboundRouter:AgentMail:ApiKey"] = "am_test_router",
        ["InboundRouter:AgentMail:RetryBaseDelay"] = "00:00:00.050",
        ["InboundRouter:Ingress:UnknownInboxRetryAfter"] = "00:00:00",
        ["Messaging:Retry:Limit"] = "2",
        ["Messaging:Retry:MinInterval"] = "00:00:00.050",
        ["Messaging:Retry:MaxInterval"] = "00:00:00.200",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
